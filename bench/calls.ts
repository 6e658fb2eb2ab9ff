// bench/calls: Stringee's answer URL (GET /webhooks/phone/<token>/answer) under 200 concurrent
// calls, alone and again while chat ingest runs beside it (API-channel messages paced at
// BENCH_CALLS_INGEST_RATE, default 5,000 msg/s, concurrency 256), p50/p99 both times; Stringee
// waits about 2 s for the answer. Callers are customers with open conversations (half assigned to
// an agent, so the sticky lookup runs) and unknown numbers. The ingest rate actually reached is
// printed: on a small machine it may fall short of the target, and the figure says so.
// Unit of work on both sides: one GET of the answer URL until its SCCO has been read, the same
// requests from the same load generator (drive, 200 at a time); the in-run baseline is the answer
// URL alone, and the ratio is with ingest over alone. Both load generators run in this process:
// its CPU is printed beside Pano's for each round to show whether the client was the limit.
import { drive, cpuSeconds, type LoadResult } from "./load.ts";
import { startBenchPano, benchSize } from "./processes.ts";
import { inboundBody } from "./ingest.ts";

const TOKEN = "bench-calls-answer-token-001";
const SHOP = "842873009999";
const CONCURRENCY = 200;

const phoneOf = (i: number) => `0912${String(i % 1_000_000).padStart(6, "0")}`;

export async function run() {
  const calls = Number(process.env.BENCH_CALLS_N ?? benchSize(20_000));
  const customers = Number(process.env.BENCH_CALLS_CUSTOMERS ?? 2000);
  const rate = Number(process.env.BENCH_CALLS_INGEST_RATE ?? 5000);
  const pano = await startBenchPano({ PANO_TRIAGE: "off" });
  try {
    await pano.json("/api/v1/channels", { method: "POST", json: { type: "phone", name: "bench switchboard", config: { provider: "stringee", numbers: [SHOP], api_key_sid: "SKbench", api_key_secret: "bench-secret", webhook_token: TOKEN, fallback_number: "84909000000" } } });
    const api = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "bench chat" } });
    const agent = await pano.json("/api/v1/users", { method: "POST", json: { email: "bench-agent@shop.vn", password: "mat-khau-dai-du-8", role: "agent", phone_user_id: "bench_agent" } });
    const headers = { authorization: `Bearer ${pano.token}`, "content-type": "application/json" };
    // Customers who wrote before calling; every other one's conversation is the agent's.
    const setup = await drive(customers, 64, async (i) => {
      const r = await fetch(`${pano.url}/api/v1/channels/${api.id}/inbound`, { method: "POST", headers, body: JSON.stringify({ external_contact_id: `caller-${i}`, external_message_id: `caller-${i}-1`, text: "Shop ơi cho mình hỏi", phone: phoneOf(i) }) });
      const body = (await r.clone().json()) as { conversation_id: string };
      if (i % 2 === 0) await fetch(`${pano.url}/api/v1/conversations/${body.conversation_id}`, { method: "PATCH", headers, body: JSON.stringify({ assignee_id: agent.id }) });
      return r;
    });
    if (setup.ok < customers) throw new Error(`only ${setup.ok} of ${customers} callers' first messages were taken`);
    // Three calls in four from a known customer, the rest from numbers Pano has never seen.
    const answer = (i: number) => {
      const from = i % 4 === 3 ? `8497${String(i).padStart(7, "0")}` : `84${phoneOf(i % customers).slice(1)}`;
      return fetch(`${pano.url}/webhooks/phone/${TOKEN}/answer?from=${from}&to=${SHOP}&uuid=bench-${i}&fromInternal=false`);
    };
    // CPU seconds of Pano and of this client over a round, and the round's wall seconds.
    const cpuOf = async (round: () => Promise<LoadResult>) => {
      const pano0 = cpuSeconds(pano.proc.pid) ?? 0, me0 = process.cpuUsage(), t0 = performance.now();
      const result = await round();
      const me = process.cpuUsage(me0);
      return { result, pano: (cpuSeconds(pano.proc.pid) ?? 0) - pano0, client: (me.user + me.system) / 1e6, wall: (performance.now() - t0) / 1000 };
    };
    const alone = await cpuOf(() => drive(calls, CONCURRENCY, answer));

    // Chat ingest paced to `rate` messages a second, running until the answer-URL load is done.
    let stop = false;
    let sent = 0;
    let ingestErrors = 0;
    const salt = `c${Date.now()}`;
    const began = performance.now();
    const ingest = Promise.all(Array.from({ length: 256 }, async () => {
      while (!stop) {
        const i = sent++;
        const due = began + (i / rate) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await Bun.sleep(wait);
        if (stop) return;
        const r = await fetch(`${pano.url}/api/v1/channels/${api.id}/inbound`, { method: "POST", headers, body: inboundBody(i, salt) }).catch(() => null);
        if (!r?.ok) ingestErrors++;
        await r?.arrayBuffer();
      }
    }));
    await Bun.sleep(1000); // let ingest reach its pace first
    const ingestFrom = { at: performance.now(), sent };
    const busy = await cpuOf(() => drive(calls, CONCURRENCY, answer));
    const ingestRate = ((sent - ingestFrom.sent) * 1000) / (performance.now() - ingestFrom.at);
    stop = true;
    await ingest;

    const line = (name: string, { result: r, pano: p, client: c, wall: w }: Awaited<ReturnType<typeof cpuOf>>) =>
      `  ${name.padEnd(22)} p50 ${r.p50ms.toFixed(1).padStart(7)} ms  p99 ${r.p99ms.toFixed(1).padStart(7)} ms  ${r.perSecond.toFixed(0).padStart(6)} answers/s  (${r.ok}/${r.n} ok)  CPU Pano ${((p / w) * 100).toFixed(0)}%, client ${((c / w) * 100).toFixed(0)}% of a core`;
    const a = alone.result, b = busy.result;
    console.log([
      `bench/calls: ${calls} answer-URL requests per round, ${CONCURRENCY} concurrent, ${customers} known callers (half with an owner)`,
      `  unit of work: one GET /webhooks/phone/<token>/answer until its SCCO is read, same requests and generator both rounds`,
      line("answer URL alone", alone) + "  (baseline)",
      line("with chat ingest", busy),
      `  ratio with / alone      p50 ${(b.p50ms / a.p50ms).toFixed(2)}x, p99 ${(b.p99ms / a.p99ms).toFixed(2)}x latency; ${((b.perSecond / a.perSecond) * 100).toFixed(0)}% of the answers/s`,
      `  chat ingest beside it   ${ingestRate.toFixed(0)} msg/s reached (target ${rate}), ${ingestErrors} errors`,
      `  within Stringee's 2 s   ${b.p99ms < 2000 ? "OK" : "TOO SLOW"} (p99 under load ${b.p99ms.toFixed(0)} ms)`,
    ].join("\n"));
  } finally {
    await pano.stop();
  }
}

if (import.meta.main) await run();
