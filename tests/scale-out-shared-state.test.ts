// Several Pano instances on one PostgreSQL database, each with a data dir of its own (empty, or
// lost with its machine), behind a load balancer with no stickiness: whatever one instance used to
// keep to itself, the others share (docs/scale-out-state.md).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { startPostgres, type PostgresCluster } from "./support/postgres.ts";
import { ADMIN, eventually, startPano, tempDir, type PanoProcess } from "./support/pano.ts";
import { startFacebookStory, psidOf } from "./sim/facebook-pano.ts";
import { customerWrites, launchBrowser, logIn, openPage, waitForLive } from "./support/browser.ts";
import { AN, LAN, teamOfTwo } from "./support/two-agents.ts";
import { openStore } from "../src/store/db.ts";
import { REVOCATION_CHECK_MS } from "../src/web/auth.ts";
import { SharedAgentsHere } from "../src/pipeline/agents-here-shared.ts";
import { TYPING_MS, VIEW_MS } from "../src/pipeline/agents-here.ts";

let cluster: PostgresCluster;
const running: PanoProcess[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await cluster?.stop();
});

/** One more instance on `url`, with a data dir of its own unless given one. */
async function instance(url: string, env: Record<string, string> = {}, dataDir?: string): Promise<PanoProcess> {
  const p = await startPano({ dataDir, env: { PANO_DATABASE_URL: url, ...env } });
  running.push(p);
  return p;
}

/** Two instances on `url`, started together; neither is left running if the other fails to start. */
async function pair(url: string): Promise<[PanoProcess, PanoProcess]> {
  const [a, b] = await Promise.allSettled([instance(url), instance(url)]);
  if (a.status === "rejected") throw a.reason;
  if (b.status === "rejected") throw b.reason;
  return [a.value, b.value];
}

async function stopped(p: PanoProcess): Promise<void> {
  running.splice(running.indexOf(p), 1);
  await p.stop();
}

/** `pano serve` on `url` that is expected to refuse to start: its exit code and what it said. */
async function refusedStart(url: string, env: Record<string, string>): Promise<{ code: number; said: string }> {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "../src/main.ts"), "serve"], {
    env: { ...process.env, PORT: "0", PANO_DATA_DIR: tempDir(), PANO_DATABASE_URL: url, PANO_PUBLIC_URL: "", ...env },
    stdout: "pipe", stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, said: out + err };
}

/** POST /login on one instance, as the login form does: the answer's status and session cookie. */
async function logInAt(p: PanoProcess, who = ADMIN): Promise<{ status: number; cookie: string | null }> {
  const res = await fetch(`${p.url}/login`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ email: who.email, password: who.password, next: "/inbox" }) });
  return { status: res.status, cookie: res.headers.get("set-cookie")?.split(";")[0] ?? null };
}

const keyRows = async (url: string) => (await cluster.psql(new URL(url).pathname.slice(1), "SELECT name FROM pano_instance_keys ORDER BY name")).trim().split("\n").filter(Boolean);

test("a Page connected through one instance is answered through another, whose data dir never saw its key", async () => {
  const url = await cluster.createDatabase();
  const s = await startFacebookStory({ env: { PANO_DATABASE_URL: url } });
  const a = s.pano;
  running.push(a);
  // B starts after the Page was connected on A: it opens the Page's sealed secrets with the shared key.
  const b = await instance(url, { PANO_FACEBOOK_GRAPH_URL: s.sim.url, PANO_RETRY_BASE_MS: "50" });
  for (const p of [a, b]) {
    expect(existsSync(join(p.dataDir, "secret.key"))).toBe(false);
    expect(existsSync(join(p.dataDir, "vapid.json"))).toBe(false);
  }
  // Web Push: devices subscribed through A are reached with the key B signs with.
  const pushKey = async (p: PanoProcess) => (await (await fetch(`${p.url}/notifications/push/key`, { headers: { cookie: (await logInAt(p)).cookie! } })).json()).public_key;
  const [keyA, keyB] = await Promise.all([pushKey(a), pushKey(b)]);
  expect(keyA).toMatch(/^[A-Za-z0-9_-]{87}$/);
  expect(keyB).toBe(keyA);

  // A is gone with its machine: the customer's message (signed with the app secret) and the reply go through B.
  await stopped(a);
  s.sim.setPano(b.url);
  const psid = psidOf(41);
  const { delivery } = await s.sim.customerSays(psid, "Shop ơi, áo size M còn không ạ?");
  if (delivery.status !== 200) throw new Error(`delivery through B: ${delivery.status}\n${b.logs()}`);
  const contacts = (await b.json(`/api/v1/contacts?q=${psid}`)).data as any[];
  const conversationId = contacts[0].conversation_ids[0];
  const reply = await b.json(`/api/v1/conversations/${conversationId}/messages`, { method: "POST", json: { text: "Dạ còn ạ, shop gửi ảnh nhé" } });
  const sent = await eventually(async () => ((await b.json(`/api/v1/conversations/${conversationId}/messages?limit=10`)).data as any[]).find((m) => m.id === reply.id && m.status === "sent"), 15_000, "the reply sent through B");
  expect(sent.text).toBe("Dạ còn ạ, shop gửi ảnh nhé");
  const call = s.sim.sendCalls().find((r) => r.body?.recipient?.id === psid)!;
  expect(call.query.access_token).toBe(s.page.pageToken);
  expect(call.body.message.text).toBe("Dạ còn ạ, shop gửi ảnh nhé");
  await stopped(b);
  await s.sim.stop();
  // Without PANO_SECRET_KEY the database holds the key, with its fingerprint and the sealed VAPID pair.
  expect(await keyRows(url)).toEqual(["secret_key", "secret_key_sha256", "vapid"]);
});

test("PANO_SECRET_KEY: an instance given another key refuses to start; given the right one, the database stops holding it", async () => {
  const url = await cluster.createDatabase();
  const key = randomBytes(32).toString("base64");
  const a = await instance(url, { PANO_SECRET_KEY: key });
  const channel = await a.json("/api/v1/channels", { method: "POST", json: { type: "facebook", name: "Shop Hoa Mai", config: { page_id: "1234567", page_access_token: "EAAG-sealed-token", app_secret: "s3cr3t-of-the-shop", verify_token: "verify-me-please" } } });
  expect(await keyRows(url)).toEqual(["secret_key_sha256", "vapid"]);

  const wrong = await refusedStart(url, { PANO_SECRET_KEY: randomBytes(32).toString("base64") });
  expect(wrong.code).toBe(2);
  expect(wrong.said).toContain("PANO_SECRET_KEY is not the key the other Pano instances on this database seal secrets with");
  const missing = await refusedStart(url, {});
  expect(missing.code).toBe(2);
  expect(missing.said).toContain("set the same PANO_SECRET_KEY here too");

  const b = await instance(url, { PANO_SECRET_KEY: key });
  const seen = await b.json(`/api/v1/channels/${channel.id}`);
  expect(seen.name).toBe("Shop Hoa Mai");
  expect(seen.status).toBe("active");
  await Promise.all([stopped(a), stopped(b)]);
});

test("a data dir moved over from SQLite keeps its secret.key: the first instance shares it, a later key seals everything again", async () => {
  const url = await cluster.createDatabase();
  // The data dir of a shop that ran on SQLite: its secret.key sealed the Page's token.
  const old = tempDir();
  const oldKey = randomBytes(32);
  writeFileSync(join(old, "secret.key"), oldKey.toString("base64") + "\n", { mode: 0o600 });
  const a = await instance(url, {}, old);
  const channel = await a.json("/api/v1/channels", { method: "POST", json: { type: "facebook", name: "Shop cũ", config: { page_id: "7654321", page_access_token: "EAAG-old-token", app_secret: "old-secret-of-the-shop", verify_token: "verify-me-please" } } });
  const db = new URL(url).pathname.slice(1);
  expect((await cluster.psql(db, "SELECT value FROM pano_instance_keys WHERE name = 'secret_key'")).trim()).toBe(oldKey.toString("base64"));
  await stopped(a);

  // The operator moves to a key of their own, on the instance that still has the old one.
  const newKey = randomBytes(32).toString("base64");
  const moved = await instance(url, { PANO_SECRET_KEY: newKey }, old);
  await stopped(moved);
  expect(await keyRows(url)).toEqual(["secret_key_sha256", "vapid"]);
  // A fresh instance with only the new key opens the Page sealed long ago.
  const fresh = await instance(url, { PANO_SECRET_KEY: newKey });
  const seen = await fresh.json(`/api/v1/channels/${channel.id}`);
  expect(seen.name).toBe("Shop cũ");
  await stopped(fresh);
});

test("signed in through one instance, signed in on the other; signing out on either ends it on both, live stream too", async () => {
  const url = await cluster.createDatabase();
  const [a, b] = await pair(url);
  const { status, cookie } = await logInAt(a);
  expect(status).toBe(303);
  const inbox = await fetch(`${b.url}/inbox`, { headers: { cookie: cookie! }, redirect: "manual" });
  expect(inbox.status).toBe(200);
  const html = await inbox.text();
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(html)![1];
  // The inbox's live stream, open on A.
  const live = await fetch(`${a.url}/live`, { headers: { cookie: cookie! } });
  expect(live.status).toBe(200);
  const stream = live.body!.getReader();
  // The CSRF token A issued is the one B checks.
  const out = await fetch(`${b.url}/logout`, { method: "POST", redirect: "manual", headers: { cookie: cookie!, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ _csrf: csrf }) });
  expect(out.status).toBe(303);
  // A hears of it at its next look (REVOCATION_CHECK_MS) and ends the stream.
  const ended = (async () => {
    while (!(await stream.read()).done);
    return true;
  })();
  expect(await Promise.race([ended, Bun.sleep(REVOCATION_CHECK_MS * 3).then(() => false)])).toBe(true);
  for (const p of [a, b]) {
    const after = await fetch(`${p.url}/inbox`, { headers: { cookie: cookie! }, redirect: "manual" });
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toStartWith("/login");
  }
  await Promise.all([stopped(a), stopped(b)]);
});

test("password guesses spread over two instances are counted together: the 21st is refused on both", async () => {
  const url = await cluster.createDatabase();
  const [a, b] = await pair(url);
  const wrong = { email: ADMIN.email, password: "doan-mo-sai-mat-khau" };
  for (let i = 0; i < 20; i++) expect((await logInAt(i % 2 ? b : a, wrong)).status).toBe(401);
  // Even the right password waits now, wherever it is sent.
  for (const p of [a, b]) {
    const res = await fetch(`${p.url}/login`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password }) });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("600");
    expect(await res.text()).toContain("Bạn đã thử đăng nhập quá nhiều lần");
  }
  await Promise.all([stopped(a), stopped(b)]);
});

test("Lan's inbox is on one instance and An's on the other: each sees the other in the conversation, and who is typing", async () => {
  const url = await cluster.createDatabase();
  const [a, b] = await pair(url);
  const browser = await launchBrowser();
  try {
    const team = await teamOfTwo(a);
    const web = (await a.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
    const conv = (await customerWrites(a, web, "kh-minh", "Đơn hàng #1234 của mình bao giờ giao ạ?", "Trần Minh")).conversation_id;
    await a.json(`/api/v1/conversations/${conv}`, { method: "PATCH", json: { team_id: team } });
    const [lan, an] = await Promise.all([openPage(browser), openPage(browser)]);
    await logIn(lan.page, a, LAN);
    await logIn(an.page, b, AN);
    await Promise.all([waitForLive(lan.page), waitForLive(an.page)]);
    const bar = (w: typeof lan) => w.page.locator("#composer [data-agents-here]");
    for (const w of [lan, an]) {
      await w.page.locator(`#conv-${conv} a`).click();
      await w.page.locator(`#composer [data-agents-here][data-conversation="${conv}"]`).waitFor({ state: "attached" });
    }
    await bar(lan).locator("li", { hasText: "An đang xem hội thoại này" }).waitFor();
    await bar(an).locator("li", { hasText: "Lan đang xem hội thoại này" }).waitFor();

    // Lan types on A: An, on B, is warned before answering the same customer.
    await lan.page.locator("#reply-text").pressSequentially("Dạ shop kiểm tra đơn", { delay: 20 });
    await bar(an).locator("li.typing", { hasText: "Lan đang soạn trả lời…" }).waitFor();
    // Lan moves on to her inbox's next view: An sees her go.
    await lan.page.goto(`${a.url}/settings`);
    await bar(an).waitFor({ state: "hidden", timeout: 15_000 });
    expect(lan.errors.concat(an.errors)).toEqual([]);
  } finally {
    await browser.close();
    await Promise.all([stopped(a), stopped(b)]);
  }
});

test("an agent whose live connection is on one instance is online for the other; closing it ends that everywhere", async () => {
  const url = await cluster.createDatabase();
  const [a, b] = await pair(url);
  const me = ((await b.json("/api/v1/users")).data as any[]).find((u) => u.email === ADMIN.email);
  const connectedOnB = async () => (await b.json(`/api/v1/users/${me.id}/status`, { method: "PUT", json: {} })).connected as boolean;
  expect(await connectedOnB()).toBe(false);
  const stream = new AbortController();
  const res = await a.api("/api/v1/presence/stream", { signal: stream.signal });
  const reader = res.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toContain("event: presence");
  expect(await connectedOnB()).toBe(true);
  stream.abort();
  await eventually(async () => !(await connectedOnB()), 10_000, "B to see the agent offline");
  await Promise.all([stopped(a), stopped(b)]);
});

test("who is here, by the clock, through the database: what one instance is told, another hears at its next look", async () => {
  const url = await cluster.createDatabase();
  const store = openStore(tempDir(), { databaseUrl: url });
  try {
    let now = 1_000_000;
    const clock = () => now;
    const [onA, onB] = [new SharedAgentsHere(store.sqlite, clock), new SharedAgentsHere(store.sqlite, clock)];
    const heardOnB: string[] = [];
    onB.onChange((c, list) => heardOnB.push(`${c}:${list.map((x) => `${x.name}${x.typing ? "*" : ""}`).join(",")}`));
    const lan = { id: 1, name: "Lan" };
    const an = { id: 2, name: "An" };
    expect(onA.viewing(7, lan, "tab-1")).toEqual([{ userId: 1, name: "Lan", typing: false }]);
    // B's heartbeat answer already says who A was told about.
    expect(onB.viewing(7, an, "tab-9").map((x) => x.name)).toEqual(["Lan", "An"]);
    onB.sweep();
    onA.typing(7, lan);
    onB.sweep();
    onB.sweep(); // nothing new: nothing told
    now += TYPING_MS + 1;
    onB.sweep(); // the pause ends typing
    onA.viewing(7, lan, "tab-2"); // a second tab
    onA.leave(7, lan.id, "tab-1");
    onB.sweep();
    expect(onB.list(7).map((x) => x.name)).toEqual(["Lan", "An"]);
    onA.leave(7, lan.id, "tab-2");
    onB.sweep();
    now += VIEW_MS; // An's tab stopped saying so
    onB.sweep();
    expect(heardOnB).toEqual(["7:Lan,An", "7:Lan*,An", "7:Lan,An", "7:An", "7:"]);
    onA.stop();
    onB.stop();
  } finally {
    store.close();
  }
});

test("a retrained triage model kept through one instance is the model a new instance with an empty data dir classifies with", async () => {
  const url = await cluster.createDatabase();
  const a = await instance(url);
  const chasing = "ê shop, vụ hôm bữa sao rồi";
  const classify = async (p: PanoProcess) => (await p.json("/api/v1/triage", { method: "POST", json: { text: chasing } })).intent;
  const shipped = await classify(a);
  expect(shipped).not.toBe("support_request");
  const web = (await a.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Zalo OA" } })).id;
  const { conversation_id } = await customerWrites(a, web, "kh-hoi-don", chasing);
  await eventually(async () => (await a.json(`/api/v1/conversations/${conversation_id}`)).intent, 10_000, "the conversation to be triaged");
  // The agent says what it really is; the admin retrains now through A.
  await a.json(`/api/v1/conversations/${conversation_id}`, { method: "PATCH", json: { intent: "support_request", urgent: false } });
  const outcome = await a.json("/api/v1/triage/retrain", { method: "POST" });
  expect(outcome.accepted).toBe(true);
  expect(await classify(a)).toBe("support_request");
  expect(existsSync(join(a.dataDir, "triage-model.json"))).toBe(false);
  const c = await instance(url);
  expect(c.logs()).toContain("triage: using the retrained model from the database");
  expect(await classify(c)).toBe("support_request");
  await Promise.all([stopped(a), stopped(c)]);
});
