// bench/livechat: N website visitors (BENCH_LIVECHAT_N, default 500) each hold an open widget
// stream (the SSE /chat/api/live), write one message and get one agent reply posted through the
// REST API. Delivery latency is timed from the start of the reply's POST until the visitor holds
// the reply: the SSE "changed" notice arrived and the widget's GET /chat/api/messages returned it,
// as frame.js does. Beside it, in the same run and interleaved with it, the same number of replies
// on the API channel, timed from the same POST until its callback reached a local receiver. Both go
// through the same outbox; the ratio says what the widget's path (notice + fetch) costs on top.
// Pano's memory per open widget: its RSS with every stream open, less its RSS before, over N.
//
// No external load generator: the visitors are this process. It is not the bottleneck: each
// visitor costs it one socket and a few hundred bytes per event, and the report prints this
// process's CPU time beside Pano's for the reply phase. The streams are raw HTTP/1.1 sockets
// (Bun.connect), not fetch(), whose pool caps concurrent requests at 256 per process.
import { startBenchPano, benchSize } from "./processes.ts";
import { percentile, cpuSeconds } from "./load.ts";
import { readFileSync } from "node:fs";

interface Visitor {
  i: number;
  session: string;
  address: string;
  /** Called on each "changed" notice. */
  onChanged: (() => void) | null;
  lastId: number;
  close(): void;
}

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);

/** Runs fn over items with at most `limit` at once. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/** The promise, or an error after `ms` (the timer is cleared either way, so nothing lingers). */
async function within<T>(ms: number, p: Promise<T>, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export async function run() {
  const n = Number(process.env.BENCH_LIVECHAT_N ?? benchSize(500));
  const concurrency = Number(process.env.BENCH_LIVECHAT_CONCURRENCY ?? 32);
  // Every visitor its own address (behind a trusted proxy), as on the Internet: the per-address
  // limits stay on and are not what is measured. Triage off: both channels would pay it alike.
  const pano = await startBenchPano({ PANO_TRUST_PROXY: "1", PANO_TRIAGE: "off" });
  const received = new Map<string, number>();
  const receiver = Bun.serve({
    port: 0, hostname: "127.0.0.1",
    async fetch(req) {
      const body = await req.json() as { conversation_id: string };
      received.set(body.conversation_id, performance.now());
      return new Response("ok");
    },
  });
  const visitors: Visitor[] = [];
  try {
    const origin = new URL(pano.url).origin;
    const { port } = new URL(pano.url);
    const web = await pano.json("/api/v1/channels", { method: "POST", json: { type: "web_chat", name: "bench web", config: { allowed_origins: ["https://shop.example"] } } });
    const api = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "bench api", config: { callback_url: `http://127.0.0.1:${receiver.port}/callback` } } });
    const address = (i: number) => `198.18.${i >> 8}.${i & 255}`;
    const visitorApi = (v: { session: string; address: string }, path: string, init: RequestInit = {}) =>
      fetch(`${pano.url}/chat/api/${path}`, { ...init, headers: { "x-pano-session": v.session, "x-forwarded-for": v.address, "content-type": "application/json", ...(init.headers ?? {}) } });

    // Sessions first, then Pano's RSS before any stream is open.
    const sessions: { i: number; session: string; address: string }[] = [];
    await pool([...Array(n).keys()], concurrency, async (i) => {
      const r = await fetch(`${pano.url}/chat/api/session`, {
        method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": address(i) },
        body: JSON.stringify({ token: web.widget_token, origin }),
      });
      if (!r.ok) throw new Error(`session ${i}: ${r.status} ${await r.text()}`);
      sessions.push({ i, session: (await r.json()).session, address: address(i) });
    });
    await Bun.sleep(1000);
    const rssBefore = rssKb(pano.proc.pid);

    // Each visitor's stream: a raw socket reading the SSE text; "hello" opens it, "changed" wakes it.
    const opened: Promise<void>[] = [];
    for (const s of sessions) {
      const v: Visitor = { ...s, onChanged: null, lastId: 0, close: () => {} };
      // Settles once: "hello" opens it; an answer other than 200, "full" or a close before "hello" fails it.
      let ready!: () => void, refused!: (why: string) => void, isOpen = false;
      opened.push(new Promise<void>((resolve, reject) => {
        ready = () => ((isOpen = true), resolve());
        refused = (why) => reject(new Error(`visitor ${v.i}'s stream: ${why}`));
      }));
      let text = "";
      const socket = await Bun.connect({
        hostname: "127.0.0.1", port: Number(port),
        socket: {
          close() {
            if (!isOpen) refused("closed before hello");
          },
          data(_s, chunk) {
            if (!isOpen && !text && !chunk.toString().startsWith("HTTP/1.1 200")) return refused(chunk.toString().split("\r\n")[0]);
            text += chunk.toString();
            for (;;) {
              const at = text.indexOf("event: ");
              if (at < 0) break;
              const end = text.indexOf("\n", at);
              if (end < 0) break;
              const event = text.slice(at + 7, end).trim();
              text = text.slice(end);
              if (event === "hello") ready();
              else if (event === "changed") v.onChanged?.();
              else if (event === "full") refused("Pano answered full");
            }
            if (text.length > 4096) text = text.slice(-256);
          },
        },
      });
      socket.write(`GET /chat/api/live?session=${encodeURIComponent(v.session)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\nX-Forwarded-For: ${v.address}\r\n\r\n`);
      v.close = () => socket.end();
      visitors.push(v);
    }
    await within(30_000, Promise.all(opened), "the streams were not all open within 30 s");
    await Bun.sleep(1000);
    const rssOpen = rssKb(pano.proc.pid);

    // Every visitor writes; every API contact writes. Then the conversations are looked up once.
    await pool(visitors, concurrency, async (v) => {
      const r = await visitorApi(v, "messages", { method: "POST", body: JSON.stringify({ client_id: `bench-${v.i}-xxxxxxxx`, text: `Shop ơi, mình là khách số ${v.i}` }) });
      if (r.status !== 201) throw new Error(`visitor ${v.i} message: ${r.status} ${await r.text()}`);
      // The visitor's widget has its own message: the reply is what comes after it.
      const items = (await (await visitorApi(v, "messages?after=0")).json()).items as { id: number }[];
      v.lastId = Math.max(...items.map((m) => m.id));
    });
    await pool([...Array(n).keys()], concurrency, async (i) => {
      await pano.json(`/api/v1/channels/${api.id}/inbound`, { method: "POST", json: { external_contact_id: `bench-${i}`, external_message_id: `bench-${i}`, text: `Shop ơi, mình là khách số ${i}` } });
    });
    const list = async (channelId: string) => {
      const out: { id: string }[] = [];
      let cursor = "";
      for (;;) {
        const page = await pano.json(`/api/v1/conversations?channel_id=${channelId}&status=all&limit=100${cursor ? `&cursor=${cursor}` : ""}`);
        out.push(...page.data);
        if (!page.next_cursor) return out;
        cursor = page.next_cursor;
      }
    };
    const [webConvs, apiConvs] = [await list(web.id), await list(api.id)];
    if (webConvs.length !== n || apiConvs.length !== n) throw new Error(`expected ${n} conversations each, got ${webConvs.length} and ${apiConvs.length}`);
    const webConvOf = new Map<number, string>();
    // The newest conversation is the last visitor to write, and so on: match by the message instead.
    await pool(webConvs, concurrency, async (c) => {
      const msgs = (await pano.json(`/api/v1/conversations/${c.id}/messages`)).data as { text: string }[];
      webConvOf.set(Number(/số (\d+)/.exec(msgs[0].text)![1]), c.id);
    });

    // The replies, interleaved: web visitor i, then API contact i, with the same concurrency.
    const webLatency: number[] = [];
    const apiLatency: number[] = [];
    const apiSentAt = new Map<string, number>();
    const tasks = visitors.flatMap((v, k) => [{ kind: "web" as const, v, conv: webConvOf.get(v.i)! }, { kind: "api" as const, v, conv: apiConvs[k].id }]);
    const webDone: Promise<void>[] = [];
    const cpuPano0 = cpuSeconds(pano.proc.pid) ?? 0;
    const cpuMe0 = process.cpuUsage();
    const wall0 = performance.now();
    await pool(tasks, concurrency, async (t) => {
      const text = `Dạ shop trả lời khách ${t.v.i}`;
      const t0 = performance.now();
      if (t.kind === "web") {
        webDone.push(new Promise<void>((resolve) => {
          // A notice before the reply is stored (none expected) just finds nothing new and waits for the next.
          t.v.onChanged = async () => {
            const items = (await (await visitorApi(t.v, `messages?after=${t.v.lastId}`)).json()).items as { id: number; text: string }[];
            if (!items.some((m) => m.text === text)) return;
            t.v.onChanged = null;
            webLatency.push(performance.now() - t0);
            resolve();
          };
        }));
      } else apiSentAt.set(t.conv, t0);
      await pano.json(`/api/v1/conversations/${t.conv}/messages`, { method: "POST", json: { text } });
    });
    const deadline = Date.now() + 60_000;
    await within(60_000, Promise.all(webDone), "").catch(() => {}); // the count below says what arrived
    while (received.size < n && Date.now() < deadline) await Bun.sleep(20);
    const wall = (performance.now() - wall0) / 1000;
    const cpuPano = (cpuSeconds(pano.proc.pid) ?? 0) - cpuPano0;
    const me = process.cpuUsage(cpuMe0);
    const cpuMe = (me.user + me.system) / 1e6;
    for (const [conv, t0] of apiSentAt) {
      const t1 = received.get(conv);
      if (t1 !== undefined) apiLatency.push(t1 - t0);
    }
    webLatency.sort((a, b) => a - b);
    apiLatency.sort((a, b) => a - b);
    if (webLatency.length < n || apiLatency.length < n) throw new Error(`delivered ${webLatency.length}/${n} widget replies, ${apiLatency.length}/${n} callbacks within 60 s`);

    const w50 = percentile(webLatency, 50), w99 = percentile(webLatency, 99), a50 = percentile(apiLatency, 50), a99 = percentile(apiLatency, 99);
    console.log(`${n} visitors with an open widget stream, ${n} API-channel contacts; replies posted ${concurrency} at a time, interleaved`);
    console.log(`unit of work: one agent reply, from the start of its POST /api/v1/conversations/:id/messages until the customer holds it`);
    console.log(`  (web_chat: SSE "changed" notice + the widget's GET /chat/api/messages returned it; API channel: its callback POST arrived)`);
    console.log(`bench/livechat web_chat delivery: p50 ${w50.toFixed(1)} ms, p99 ${w99.toFixed(1)} ms`);
    console.log(`bench/livechat API channel (callback) delivery: p50 ${a50.toFixed(1)} ms, p99 ${a99.toFixed(1)} ms`);
    console.log(`bench/livechat ratio web_chat / API channel per reply: p50 ${(w50 / a50).toFixed(2)}x, p99 ${(w99 / a99).toFixed(2)}x`);
    console.log(`bench/livechat Pano RSS: ${(rssBefore / 1024).toFixed(1)} MB before the streams, ${(rssOpen / 1024).toFixed(1)} MB with ${n} open -> ${((rssOpen - rssBefore) / n).toFixed(1)} KB per open widget`);
    console.log(`reply phase: ${wall.toFixed(1)} s wall; CPU Pano ${cpuPano.toFixed(2)} s (${((cpuPano / wall) * 100).toFixed(0)}% of a core), this client ${cpuMe.toFixed(2)} s (${((cpuMe / wall) * 100).toFixed(0)}%; not the bottleneck while well under one core)`);
    console.log(`target: web_chat p99 < 1000 ms (the issue's "within a second")`);
    return { webP50: w50, webP99: w99, apiP50: a50, apiP99: a99, kbPerWidget: (rssOpen - rssBefore) / n };
  } finally {
    for (const v of visitors) v.close();
    receiver.stop(true);
    await pano.stop();
  }
}

if (import.meta.main) await run();
