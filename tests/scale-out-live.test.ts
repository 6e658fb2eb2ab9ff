// Two Pano instances on one PostgreSQL database, behind a load balancer with no stickiness
// (docs/scale-out-live.md): what one instance commits shows live to agents connected to the other;
// a stream that drops and comes back on the other instance gets exactly what it missed, in order,
// once; a lost LISTEN session loses nothing; and the other instance's domain events are not run
// again where they are only shown. Cross-instance latency is printed, never asserted (the lead's
// bench measures it).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPostgres, type PostgresCluster } from "./support/postgres.ts";
import { ADMIN, eventually, startPano, type PanoProcess } from "./support/pano.ts";
import { customerWrites, launchBrowser, logIn, openPage, waitForLive } from "./support/browser.ts";
import { LiveStream, type LiveEvent } from "./support/live-stream.ts";
import { stringeeEvents } from "./sim/stringee.ts";
import postgres from "postgres";
import { postgresOptions } from "../src/store/postgres/options.ts";

let cluster: PostgresCluster;
let databaseUrl: string;
let database: string;
let a: PanoProcess;
let b: PanoProcess;
let browser: Browser;
let channelId: string;
let adminCookie: string;
const SHOP = "842873000077";
const SITE = "https://shop.example";
let chat: { id: string; widget_token: string };
const PHONE_TOKEN = "tong-dai-live-token-01";

async function session(p: PanoProcess, user: { email: string; password: string }): Promise<string> {
  const r = await fetch(`${p.url}/login`, { method: "POST", redirect: "manual", body: new URLSearchParams({ ...user, next: "/inbox" }) });
  const cookie = r.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  if (!cookie.includes("=")) throw new Error(`no session from ${p.url}/login: ${r.status}`);
  return cookie;
}

const seqOf = (e: LiveEvent) => Number(e.id.split(".")[1]);
const msgIds = (s: LiveStream) => s.notices("msg").map((e) => String(e.data.m));

/** Ids of the stored live notices after `afterId` through `throughId` that the admin may see (all but other people's). */
async function storedFor(email: string, afterId: number, throughId: number): Promise<number[]> {
  const out = await cluster.psql(database, `SELECT id FROM live_notices WHERE id > ${afterId} AND id <= ${throughId}
    AND (to_user IS NULL OR to_user = (SELECT id FROM users WHERE email = '${email}')) ORDER BY id`);
  return out.trim().split("\n").filter(Boolean).map(Number);
}

/** Messages B has counted as stored by itself (its bus's message.created), from its /metrics. */
async function messagesCountedBy(p: PanoProcess): Promise<number> {
  const text = await (await fetch(`${p.url}/metrics`)).text();
  return text.split("\n").filter((l) => l.startsWith("pano_messages_in_total{")).reduce((n, l) => n + Number(l.split(" ").pop()), 0);
}

beforeAll(async () => {
  cluster = await startPostgres();
  const url = (databaseUrl = await cluster.createDatabase());
  database = new URL(url).pathname.slice(1);
  a = await startPano({ env: { PANO_DATABASE_URL: url } });
  channelId = (await a.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
  await a.json("/api/v1/channels", { method: "POST", json: { type: "phone", name: "Tổng đài", config: { provider: "stringee", numbers: [SHOP], api_key_sid: "SKlive", api_key_secret: "bi-mat-stringee-live", webhook_token: PHONE_TOKEN } } });
  chat = await a.json("/api/v1/channels", { method: "POST", json: { type: "web_chat", name: "Chat trên web", config: { allowed_origins: [SITE] } } });
  [b, browser] = await Promise.all([startPano({ env: { PANO_DATABASE_URL: url } }), launchBrowser()]);
  adminCookie = await session(a, ADMIN);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await cluster?.stop();
});

describe("live updates across instances", () => {
  test("an agent's browser on B sees a customer's message posted to A appear, in the list and in the open conversation", async () => {
    const w = await openPage(browser);
    try {
      await logIn(w.page, b);
      await waitForLive(w.page);
      let started = performance.now();
      const first = await customerWrites(a, channelId, "kh-lan", "Shop ơi, váy hoa còn size S không?", "Chị Lan");
      const answered = performance.now() - started;
      const row = w.page.locator(`#conv-${first.conversation_id}`);
      await row.waitFor({ timeout: 20_000 });
      console.log(`live across instances (browser): A answered the message in ${answered.toFixed(0)} ms; its row showed on B's page ${(performance.now() - started).toFixed(0)} ms after the post`);
      expect(await row.innerText()).toContain("Chị Lan");

      // The conversation open on B: the next message through A lands in its timeline without a reload.
      await row.click();
      await w.page.locator("#conversation").getByText("Shop ơi, váy hoa còn size S không?").waitFor({ timeout: 20_000 });
      await w.page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
      started = performance.now();
      await customerWrites(a, channelId, "kh-lan", "Mình lấy 2 cái nhé", "Chị Lan");
      await w.page.locator("#conversation").getByText("Mình lấy 2 cái nhé").waitFor({ timeout: 20_000 });
      console.log(`live across instances (browser): the open timeline on B showed it ${(performance.now() - started).toFixed(0)} ms after the post to A`);
      expect(await w.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
      expect(w.errors).toEqual([]);
    } finally {
      await w.context.close();
    }
  });

  test("a stream that drops on A and comes back on B with Last-Event-ID gets exactly what it missed, in order, once", async () => {
    const away = await LiveStream.open(a.url, adminCookie);
    const [hello] = await away.until((e) => e.length >= 1, "the stream's first event");
    expect(hello.data.t).toBe("hello");
    expect(hello.id).toMatch(/^pg\.\d+$/);
    away.close();

    // While the agent's network is down, three customers write through A.
    const written: Awaited<ReturnType<typeof customerWrites>>[] = [];
    for (const [who, text] of [["kh-minh", "Cho mình hỏi giờ mở cửa"], ["kh-hoa", "Đơn 1234 giao chưa shop?"], ["kh-tuan", "Có xuất hóa đơn VAT không?"]]) {
      written.push(await customerWrites(a, channelId, who, text));
    }
    const back = await LiveStream.open(b.url, adminCookie, hello.id);
    await back.until((e) => written.every((w) => e.some((x) => x.data.t === "msg" && String(x.data.m) === w.message_id)), "the three missed messages");
    const got = back.events;
    expect(got[0].data.t).not.toBe("hello");
    expect(got[0].data.t).not.toBe("reset");
    expect(msgIds(back)).toEqual(written.map((w) => w.message_id));
    // Exactly the stored notices after the last id it had, in order, each once: none skipped, none twice.
    const seqs = got.map(seqOf);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(await storedFor(ADMIN.email, seqOf(hello), seqs[seqs.length - 1])).toEqual(seqs);

    // And it goes on live from there: the next message through A comes once, after the replay.
    const next = await customerWrites(a, channelId, "kh-minh", "À mình hỏi thêm phí ship");
    await back.until((e) => e.some((x) => x.data.t === "msg" && String(x.data.m) === next.message_id), "the next message, live");
    back.close();
    expect(msgIds(back)).toEqual([...written, next].map((w) => w.message_id));
    const all = back.events.map(seqOf);
    expect(all).toEqual([...new Set(all)].sort((x, y) => x - y));
  });

  test("notices of B's own writes reach a stream on A, and neither instance runs the other's events again", async () => {
    const onA = await LiveStream.open(a.url, adminCookie);
    const onB = await LiveStream.open(b.url, adminCookie);
    await Promise.all([onA.until((e) => e.length >= 1, "A's hello"), onB.until((e) => e.length >= 1, "B's hello")]);
    const [countedByA, countedByB] = await Promise.all([messagesCountedBy(a), messagesCountedBy(b)]);

    let started = performance.now();
    const viaB = await customerWrites(b, channelId, "kh-vy", "Mình chuyển khoản rồi nhé");
    await onA.until((e) => e.some((x) => x.data.t === "msg" && String(x.data.m) === viaB.message_id), "B's message on A's stream");
    console.log(`live across instances (SSE): B's message reached A's stream ${(performance.now() - started).toFixed(0)} ms after the post`);
    started = performance.now();
    const viaA = await customerWrites(a, channelId, "kh-vy", "Shop kiểm tra giúp mình");
    await onB.until((e) => e.some((x) => x.data.t === "msg" && String(x.data.m) === viaA.message_id), "A's message on B's stream");
    console.log(`live across instances (SSE): A's message reached B's stream ${(performance.now() - started).toFixed(0)} ms after the post`);
    // Both streams carry both messages, each once.
    await onA.until((e) => e.some((x) => x.data.t === "msg" && String(x.data.m) === viaA.message_id), "A's own message on A's stream");
    await onB.until((e) => e.some((x) => x.data.t === "msg" && String(x.data.m) === viaB.message_id), "B's own message on B's stream");
    for (const s of [onA, onB]) expect(msgIds(s)).toEqual([viaB.message_id, viaA.message_id]);
    onA.close();
    onB.close();

    // Each instance's bus heard only its own message: what listens there (metrics here; triage,
    // webhooks, notifications alike) ran once, where the message was stored.
    expect(await messagesCountedBy(a)).toBe(countedByA + 1);
    expect(await messagesCountedBy(b)).toBe(countedByB + 1);
  });

  test("an agent's stream on B carries A's notices only for the conversations they may see", async () => {
    const ours = await a.json("/api/v1/teams", { method: "POST", json: { name: "Nhóm Bán hàng" } });
    const theirs = await a.json("/api/v1/teams", { method: "POST", json: { name: "Nhóm Kho" } });
    const agent = { email: "thu.agent@pano.test", password: "mat-khau-agent-thu-1" };
    await a.json("/api/v1/users", { method: "POST", json: { ...agent, name: "Thu", team_ids: [ours.id] } });
    const mine = await customerWrites(a, channelId, "kh-team-ban", "Hỏi về đơn hàng");
    const other = await customerWrites(a, channelId, "kh-team-kho", "Hỏi về tồn kho");
    await a.json(`/api/v1/conversations/${mine.conversation_id}`, { method: "PATCH", json: { team_id: ours.id } });
    await a.json(`/api/v1/conversations/${other.conversation_id}`, { method: "PATCH", json: { team_id: theirs.id } });

    const s = await LiveStream.open(b.url, await session(b, agent));
    await s.until((e) => e.length >= 1, "the agent's hello");
    // The other team's first: by the time ours arrives, theirs would have come had it been shown.
    const hidden = await customerWrites(a, channelId, "kh-team-kho", "Kho còn hàng không?");
    const shown = await customerWrites(a, channelId, "kh-team-ban", "Đơn của mình tới đâu rồi?");
    await s.until((e) => e.some((x) => x.data.t === "msg" && String(x.data.m) === shown.message_id), "the agent's team's message");
    s.close();
    expect(s.events.some((x) => String(x.data.m) === hidden.message_id || String(x.data.c) === other.conversation_id)).toBe(false);
  });

  test("B's LISTEN session is cut: B hears again and catches up, nothing is lost", async () => {
    const s = await LiveStream.open(b.url, adminCookie);
    await s.until((e) => e.length >= 1, "B's hello");
    const cut = await cluster.psql(database, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'pano-live' AND datname = current_database()");
    // Both instances' listening sessions are gone.
    expect(Number(cut.trim())).toBe(2);
    const during = await customerWrites(a, channelId, "kh-quang", "Alo shop ơi");
    await s.until((e) => e.some((x) => x.data.t === "msg" && String(x.data.m) === during.message_id), "A's message after B's session was cut");
    // Both listen on a new session, and say so on /metrics.
    await eventually(async () => Number((await cluster.psql(database, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pano-live' AND datname = current_database()")).trim()) === 2, 30_000, "both instances listening again");
    for (const p of [a, b]) await eventually(async () => (await (await fetch(`${p.url}/metrics`)).text()).includes("\npano_live_listening 1"), 30_000, "pano_live_listening 1");
    const after = await customerWrites(a, channelId, "kh-quang", "Shop trả lời mình với");
    await s.until((e) => e.some((x) => x.data.t === "msg" && String(x.data.m) === after.message_id), "A's next message");
    s.close();
    expect(msgIds(s)).toEqual([during.message_id, after.message_id]);
  });

  test("a peer stuck while holding the notices' turn does not stop the writes: they commit without their notices, and the next ones flow", async () => {
    const s = await LiveStream.open(b.url, adminCookie);
    await s.until((e) => e.length >= 1, "B's hello");
    // A session that takes the turn and then goes silent, as an instance cut off mid-commit would.
    const peer = postgres({ ...postgresOptions(databaseUrl), max: 1, onnotice: () => {} });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const stuck = peer.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(1885433455, 1818850917)`;
      holding();
      await released;
    });
    try {
      await held;
      const during = await customerWrites(a, channelId, "kh-ket", "Mình nhắn lúc tổng đài kẹt");
      const stored = (await a.json(`/api/v1/conversations/${during.conversation_id}/messages`)).data as { id: string; text: string }[];
      expect(stored.some((m) => m.id === during.message_id && m.text === "Mình nhắn lúc tổng đài kẹt")).toBe(true);
      expect(a.logs()).toMatch(/before-commit hook failed.*live-notices.*lock timeout/);
    } finally {
      release();
      await stuck;
      await peer.end();
    }
    const after = await customerWrites(a, channelId, "kh-ket", "Giờ thì ổn rồi");
    await s.until((e) => e.some((x) => x.data.t === "msg" && String(x.data.m) === after.message_id), "the next message, live on B");
    s.close();
  });

  test("a website visitor typing through A is shown on the streams of both instances, once each", async () => {
    const visitor = (path: string, json: unknown, session?: string) =>
      fetch(`${a.url}/chat/api/${path}`, { method: "POST", headers: { origin: a.url, "content-type": "application/json", ...(session ? { "x-pano-session": session } : {}) }, body: JSON.stringify(json) });
    const { session } = (await (await visitor("session", { token: chat.widget_token, origin: SITE })).json()) as { session: string };
    expect((await visitor("messages", { client_id: crypto.randomUUID().replace(/-/g, ""), text: "Shop ơi cho mình hỏi" }, session)).status).toBe(201);
    const [conversation] = await eventually(async () => {
      const d = (await a.json(`/api/v1/conversations?channel_id=${chat.id}&status=all`)).data;
      return d.length ? d : null;
    }, 20_000, "the visitor's conversation");
    const onA = await LiveStream.open(a.url, adminCookie);
    const onB = await LiveStream.open(b.url, adminCookie);
    await Promise.all([onA.until((e) => e.length >= 1, "A's hello"), onB.until((e) => e.length >= 1, "B's hello")]);

    expect((await visitor("typing", {}, session)).status).toBe(204);
    const typing = (s: LiveStream) => s.events.filter((x) => x.data.t === "typing" && String(x.data.c) === conversation.id);
    await onB.until((e) => typing(onB).length > 0, "the visitor typing, on B");
    await onA.until((e) => typing(onA).length > 0, "the visitor typing, on A");
    // Then their message: by the time it is on both streams, a second "typing" would have come too.
    expect((await visitor("messages", { client_id: crypto.randomUUID().replace(/-/g, ""), text: "Mẫu này còn màu xanh không?" }, session)).status).toBe(201);
    const sent = (s: LiveStream) => s.events.some((x) => x.data.t === "msg" && String(x.data.c) === conversation.id);
    await Promise.all([onA.until(() => sent(onA), "the visitor's message on A"), onB.until(() => sent(onB), "the visitor's message on B")]);
    onA.close();
    onB.close();
    for (const s of [onA, onB]) {
      expect(typing(s).length).toBe(1);
      expect(typing(s)[0].id).toBe("");
    }
  });

  test("a call ringing through A shows on B, and on an instance started mid-ring; answered, it goes everywhere", async () => {
    const onB = await LiveStream.open(b.url, adminCookie);
    await onB.until((e) => e.length >= 1, "B's hello");
    const ev = stringeeEvents(`${a.url}/webhooks/phone/${PHONE_TOKEN}/events`);
    const caller = { number: "84912777001", type: "external" as const };
    const shop = { number: SHOP, type: "external" as const };
    expect((await ev.post("call-live-1", "ringing", caller, shop)).status).toBe(200);
    const [ring] = await onB.until((e) => e.some((x) => x.data.t === "call" && x.data.ring === true), "the ring on B").then((e) => e.filter((x) => x.data.t === "call"));
    const callId = ring.data.m;

    // C starts while it rings: a stream opened there gets the card at once (a passing notice, no id).
    const c = await startPano({ env: { PANO_DATABASE_URL: databaseUrl } });
    try {
      const onC = await LiveStream.open(c.url, await session(c, ADMIN));
      const [, rang] = await onC.until((e) => e.some((x) => x.data.t === "call"), "the ringing call on C's new stream");
      expect(rang.data).toEqual({ t: "call", m: callId, ring: true });
      expect(rang.id).toBe("");
      onC.close();

      expect((await ev.post("call-live-1", "answered", caller, shop)).status).toBe(200);
      await onB.until((e) => e.some((x) => x.data.t === "call" && x.data.m === callId && x.data.ring === false), "the call answered, on B");
      onB.close();
      // A stream opened on C now is told of no ringing call: its hello, then the next message only.
      const later = await LiveStream.open(c.url, await session(c, ADMIN));
      const next = await customerWrites(a, channelId, "kh-sau-cuoc-goi", "Mình vừa gọi shop xong");
      await later.until((e) => e.some((x) => x.data.t === "msg" && String(x.data.m) === next.message_id), "a message after the call, on C");
      later.close();
      expect(later.events.some((x) => x.data.t === "call")).toBe(false);
    } finally {
      await c.stop();
    }
  });

  test("a stream that was away longer than the notices are kept gets a reset, and its page reloads its list", async () => {
    const away = await LiveStream.open(b.url, adminCookie);
    const [hello] = await away.until((e) => e.length >= 1, "the stream's first event");
    away.close();
    const missed = await customerWrites(a, channelId, "kh-xa", "Mình nhắn lúc bạn đi vắng");
    await customerWrites(a, channelId, "kh-xa", "Còn đó không shop?");
    // Still kept: a reconnect now would replay them.
    const soon = await LiveStream.open(a.url, adminCookie, hello.id);
    await soon.until((e) => e.some((x) => x.data.t === "msg" && String(x.data.m) === missed.message_id), "the replay while still kept");
    soon.close();
    // What pruning does after an hour, or past the newest 10,000: the notices after its id are gone.
    await cluster.psql(database, `DELETE FROM live_notices WHERE id <= ${seqOf(hello) + 1} AND id < (SELECT max(id) FROM live_notices)`);
    const back = await LiveStream.open(a.url, adminCookie, hello.id);
    const [first] = await back.until((e) => e.length >= 1, "the first event after coming back");
    back.close();
    expect(first.data.t).toBe("reset");
  });
});
