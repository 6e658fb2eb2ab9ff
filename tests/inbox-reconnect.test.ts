// A network blip loses nothing: the live stream numbers its notices, and a reconnect with
// Last-Event-ID gets every notice it missed (or "reset" when the server no longer knows them,
// and the page reloads its list); an agent's stream carries only what they may see. In Chromium,
// through a TCP relay that drops every connection: customers write while the stream is down,
// and their messages are in the list once it is back, without a reload.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, connect, type Socket } from "node:net";
import type { Browser } from "playwright-core";
import { ADMIN, startPano, type PanoProcess } from "./support/pano.ts";
import { customerWrites, launchBrowser, logIn, openPage, waitForLive } from "./support/browser.ts";
import { sseEvents } from "./support/live-stream.ts";

let pano: PanoProcess;
let browser: Browser;
let channelId: string;
let cookie: string;

interface SseEvent { id: string; data: string }

/** Opens /live, collects events until `enough` says stop, then closes the connection. */
async function listen(headers: Record<string, string>, enough: (events: SseEvent[]) => boolean, ms = 5000): Promise<SseEvent[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  const events: SseEvent[] = [];
  try {
    const r = await fetch(`${pano.url}/live`, { headers: { cookie, accept: "text/event-stream", ...headers }, signal: abort.signal });
    expect(r.status).toBe(200);
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of r.body!) {
      const read = sseEvents(buf + decoder.decode(chunk, { stream: true }));
      buf = read.rest;
      events.push(...read.events);
      if (enough(events)) break;
    }
  } catch (err) {
    if (!abort.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return events;
}

/** A relay to Pano whose connections can all be cut at once, like a flaky Wi-Fi. */
async function flakyRelay(targetPort: number) {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      open.add(s);
      s.on("close", () => open.delete(s));
      s.on("error", () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    cut: () => { for (const s of open) s.destroy(); },
    close: () => server.close(),
  };
}

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
  const login = await fetch(`${pano.url}/login`, {
    method: "POST", redirect: "manual",
    body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password, next: "/inbox" }),
  });
  cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  expect(cookie).toContain("=");
});
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
});

describe("reconnecting to the live stream", () => {
  test("with Last-Event-ID it replays exactly the notices missed while away", async () => {
    const [hello] = await listen({}, (e) => e.length >= 1);
    expect(JSON.parse(hello.data).t).toBe("hello");
    // Away: two customers write.
    const a = await customerWrites(pano, channelId, "kh-an", "Shop ơi còn hàng không?", "An");
    const b = await customerWrites(pano, channelId, "kh-binh", "Cho mình hỏi phí ship", "Bình");
    const missed = await listen({ "last-event-id": hello.id }, (e) => e.filter((x) => JSON.parse(x.data).t === "msg").length >= 2);
    const messages = missed.map((e) => JSON.parse(e.data)).filter((n) => n.t === "msg");
    expect(messages.map((n) => String(n.m))).toEqual([a.message_id, b.message_id]);
    const seqs = missed.map((e) => Number(e.id.split(".")[1]));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(seqs[0]).toBe(Number(hello.id.split(".")[1]) + 1);
  });

  test("an agent's stream carries the messages of their team's conversations, not another team's", async () => {
    const teamA = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Nhóm A" } });
    const teamB = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Nhóm B" } });
    const agent = { email: "agent.a@pano.test", password: "mat-khau-agent-a-1" };
    await pano.json("/api/v1/users", { method: "POST", json: { ...agent, name: "Agent A", team_ids: [teamA.id] } });
    const login = await fetch(`${pano.url}/login`, { method: "POST", redirect: "manual", body: new URLSearchParams({ ...agent, next: "/inbox" }) });
    const agentCookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const ours = await customerWrites(pano, channelId, "kh-team-a", "Khách của nhóm A");
    const theirs = await customerWrites(pano, channelId, "kh-team-b", "Khách của nhóm B");
    await pano.json(`/api/v1/conversations/${ours.conversation_id}`, { method: "PATCH", json: { team_id: teamA.id } });
    await pano.json(`/api/v1/conversations/${theirs.conversation_id}`, { method: "PATCH", json: { team_id: teamB.id } });
    const [hello] = await listen({ cookie: agentCookie }, (e) => e.length >= 1);
    // Theirs first: by the time ours arrives, theirs would have been sent had it been visible.
    const hidden = await customerWrites(pano, channelId, "kh-team-b", "Nhóm B lại hỏi");
    const shown = await customerWrites(pano, channelId, "kh-team-a", "Nhóm A lại hỏi");
    const got = await listen({ cookie: agentCookie, "last-event-id": hello.id }, (e) => e.some((x) => JSON.parse(x.data).m === Number(shown.message_id)));
    const notices = got.map((e) => JSON.parse(e.data));
    expect(notices.some((n) => n.t === "msg" && String(n.m) === shown.message_id)).toBe(true);
    expect(notices.some((n) => String(n.m) === hidden.message_id || String(n.c) === theirs.conversation_id)).toBe(false);
  });

  test("an id the server does not know (it restarted) gets a reset, not silence", async () => {
    const [first] = await listen({ "last-event-id": "otherboot.12" }, (e) => e.length >= 1);
    expect(JSON.parse(first.data).t).toBe("reset");
  });

  test("in Chromium: the connection drops, messages written meanwhile are in the list afterwards, no reload", async () => {
    const relay = await flakyRelay(pano.port);
    const w = await openPage(browser);
    try {
      await logIn(w.page, { ...pano, url: relay.url });
      await waitForLive(w.page);
      await w.page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
      // Drop every connection, then write at once: the stream cannot be there to carry it.
      relay.cut();
      const c = await customerWrites(pano, channelId, "kh-chi", "Mình nhắn lúc mạng chập chờn", "Chi");
      await w.page.locator(`#conv-${c.conversation_id}`).waitFor({ timeout: 15_000 });
      expect(await w.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
      expect(w.errors).toEqual([]);
    } finally {
      await w.context.close();
      relay.close();
    }
  });
});
