// bench/sms: an Android SMS gateway's signed sms:received webhooks (10,000 by default, one message
// per delivery, 2,000 customers' numbers, sent once each by wrk, 2 threads / 64 connections) into
// a running Pano, beside a bare server doing the same unit of work on the same kind of bodies in
// the same run (signature and timestamp checked, JSON parsed, body digested, group-committed with
// synchronous=FULL, answered after COMMIT: bench/sms-baseline-server.ts); then 5,000 agents'
// replies queued through the API until the gateway simulator has them (outbox -> POST /message,
// Basic auth), beside a bare sender doing the same: a durable queue row, a durable claim, the same
// POST to the same simulator, a durable "sent", group-committed (as many at once as Pano's outbox
// sends: OUTBOX_CONCURRENCY). The replies are
// queued by the JS fetch client (a request to Pano's API each; the bare sender needs none), whose
// CPU is printed beside Pano's.
import { Database } from "bun:sqlite";
import { OUTBOX_CONCURRENCY } from "../src/pipeline/outbox.ts";
import { join } from "node:path";
import { drive, percentile, cpuSeconds, type LoadResult } from "./load.ts";
import { driveWrk, type HttpRequest } from "./wrk.ts";
import { startBenchPano, benchSize, conversationIds, panoInbound } from "./processes.ts";
import { groupCommit } from "./group-commit.ts";
import { tempDir, ROOT, BUN } from "../tests/support/pano.ts";
import { smsGateway } from "../tests/sim/sms-gateway.ts";

const CONCURRENCY = 64;
const CUSTOMERS = 2000;
const LOGIN = { username: "bench", password: "bench-password", signingKey: "bench-signing-key-0123456789abcdef" };
const phone = (i: number) => `+8491${String(2_000_000 + (i % CUSTOMERS)).padStart(7, "0")}`;

/** Signed just before the clock starts (well inside the 5-minute window): signing is the phone's cost. */
function deliveries(gw: ReturnType<typeof smsGateway>, n: number, path: string): HttpRequest[] {
  const at = String(Math.floor(Date.now() / 1000));
  return Array.from({ length: n }, (_, i) => {
    const body = gw.build("sms:received", { messageId: `m${i % 97}`, message: `Shop ơi, đơn hàng #${100000 + i} của em giao chưa ạ? Em cần gấp trước thứ 6.`, phoneNumber: phone(i), simNumber: 1, receivedAt: new Date().toISOString() }, "wh-bench");
    const headers = { "content-type": "application/json", "x-timestamp": at, "x-signature": new Bun.CryptoHasher("sha256", LOGIN.signingKey).update(body + at).digest("hex") };
    return { path, headers, body };
  });
}

async function startSmsBaseline(): Promise<{ url: string; pid: number; stop(): void }> {
  const proc = Bun.spawn([BUN, join(ROOT, "bench/sms-baseline-server.ts"), tempDir("pano-sms-baseline-"), LOGIN.signingKey], { stdout: "pipe", stderr: "inherit" });
  const { value } = await (proc.stdout as ReadableStream<Uint8Array>).getReader().read();
  const port = Number(/listening (\d+)/.exec(new TextDecoder().decode(value))?.[1]);
  if (!port) throw new Error("sms baseline server did not start");
  return { url: `http://127.0.0.1:${port}`, pid: proc.pid, stop: () => proc.kill() };
}

/**
 * The bare sender: each reply is a durable queued row, a durable claim, the same POST /message to
 * the same simulator and a durable "sent", every write group-committed like Pano's, as many at once
 * as Pano's outbox sends (OUTBOX_CONCURRENCY).
 */
async function bareSends(gw: ReturnType<typeof smsGateway>, m: number): Promise<LoadResult> {
  const db = new Database(join(tempDir("pano-sms-sender-"), "outbox.db"), { create: true });
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
  db.exec("CREATE TABLE outbox (id INTEGER PRIMARY KEY, phone TEXT, text TEXT, state TEXT, external_id TEXT)");
  const write = groupCommit(db);
  const auth = `Basic ${Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString("base64")}`;
  const enqueue = db.query("INSERT INTO outbox (id, phone, text, state) VALUES (?, ?, ?, 'queued')");
  const claim = db.query("UPDATE outbox SET state = 'sending' WHERE id = ?");
  const sent = db.query("UPDATE outbox SET state = 'sent', external_id = ? WHERE id = ?");
  const started = performance.now();
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  const worker = async () => {
    for (;;) {
      const id = ++next;
      if (id > m) return;
      const t = performance.now();
      const text = `Dạ shop đã nhận đơn #${id}, giao trong 2 ngày ạ`;
      await write(() => enqueue.run(id, phone(id), text));
      await write(() => claim.run(id));
      const r = await gw.messageRaw(auth, { id: `bare-${id}`, textMessage: { text }, phoneNumbers: [phone(id)], withDeliveryReport: true });
      if (r.ok) {
        const externalId = ((await r.json()) as { id: string }).id;
        await write(() => sent.run(externalId, id));
        ok++;
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: OUTBOX_CONCURRENCY }, worker));
  db.close();
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { n: m, ok, errors: m - ok, seconds, perSecond: ok / seconds, p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99) };
}

const line = (name: string, r: LoadResult, unit: string) =>
  `  ${name.padEnd(9)} ${r.perSecond.toFixed(0).padStart(7)} ${unit}  p50 ${r.p50ms.toFixed(1)} ms  p99 ${r.p99ms.toFixed(1)} ms  (${r.ok}/${r.n} ok, ${r.seconds.toFixed(1)} s)`;

export async function run() {
  const n = benchSize(10_000);
  const m = Math.max(100, Math.round(n / 2));
  const gw = smsGateway(LOGIN);
  const base = await startSmsBaseline();
  const pano = await startBenchPano({ PANO_OUTBOX_POLL_MS: "50" });
  try {
    const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "sms", name: "bench", config: { provider: "android_gateway", base_url: gw.url, username: LOGIN.username, password: LOGIN.password, signing_key: LOGIN.signingKey } } });
    const started = performance.now();
    while (gw.webhooks.size < 4 && performance.now() - started < 30_000) await Bun.sleep(20);
    const eventsUrl = [...gw.webhooks.values()][0]?.url;
    if (!eventsUrl) throw new Error(`Pano did not register its webhooks for channel ${ch.id}`);

    const baseline = await driveWrk(base.url, deliveries(gw, n, "/"), { pid: base.pid });
    const events = new URL(eventsUrl);
    const inbound: LoadResult = await driveWrk(`http://127.0.0.1:${events.port}`, deliveries(gw, n, events.pathname + events.search), { pid: pano.proc.pid });
    inbound.stored = panoInbound(pano);
    const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(1)}%`;
    console.log([
      `bench/sms inbound: ${n} signed sms:received webhooks, one message each, ${CUSTOMERS} numbers, wrk 2 threads / 64 connections, group commit, synchronous=FULL (${inbound.stored} stored by Pano)`,
      line("pano", inbound, "msg/s"),
      line("baseline", baseline, "msg/s"),
      `  ratio     ${pct(inbound.perSecond, baseline.perSecond)} of the bare server doing the same checks and write`,
      `  load      wrk's CPU ${inbound.clientCpuPct?.toFixed(0)}% of a core (pano run), ${baseline.clientCpuPct?.toFixed(0)}% (baseline run)`,
      // CPU per message moves much less than msg/s when other processes share the cores.
      ...(inbound.cpuMsPerMsg && baseline.cpuMsPerMsg
        ? [`  cpu       pano ${inbound.cpuMsPerMsg.toFixed(3)} ms/msg, baseline ${baseline.cpuMsPerMsg.toFixed(3)} ms/msg: baseline/pano ${pct(baseline.cpuMsPerMsg, inbound.cpuMsPerMsg)}`]
        : []),
    ].join("\n"));

    const bare = await bareSends(gw, m);
    const convs = await conversationIds(pano, CUSTOMERS);
    const before = gw.messages.length;
    const t0 = performance.now();
    const [panoCpu0, client0] = [cpuSeconds(pano.proc.pid) ?? 0, process.cpuUsage()];
    const queued = await drive(m, CONCURRENCY, (i) => pano.api(`/api/v1/conversations/${convs[i % convs.length]}/messages`, { method: "POST", json: { text: `Dạ shop đã nhận đơn #${i}, giao trong 2 ngày ạ` } }));
    while (gw.messages.length - before < queued.ok && performance.now() - t0 < 300_000) await Bun.sleep(20);
    const seconds = (performance.now() - t0) / 1000;
    const [panoCpu, client] = [(cpuSeconds(pano.proc.pid) ?? 0) - panoCpu0, process.cpuUsage(client0)];
    const sent = gw.messages.length - before;
    const sends: LoadResult = { n: m, ok: sent, errors: m - sent, seconds, perSecond: sent / seconds, p50ms: queued.p50ms, p99ms: queued.p99ms };
    console.log([
      `bench/sms sends: ${m} agent replies queued through the API until the gateway simulator has them (outbox -> POST /message)`,
      line("pano", sends, "sends/s") + "  (p50/p99: queueing through the API)",
      line("baseline", bare, "sends/s") + `  (bare: durable queue, claim, POST /message, durable sent; concurrency ${OUTBOX_CONCURRENCY}, as Pano)`,
      `  ratio     ${pct(sends.perSecond, bare.perSecond)} of the bare sender`,
      `  cpu       Pano ${((panoCpu / seconds) * 100).toFixed(0)}% of a core; this process (queueing client + gateway simulator) ${(((client.user + client.system) / 1e6 / seconds) * 100).toFixed(0)}%`,
    ].join("\n"));
    return { inbound, baseline, sends, bare };
  } finally {
    await pano.stop();
    base.stop();
    gw.stop();
  }
}

if (import.meta.main) await run();
