// bench/webhooks: the ingest benchmark's messages (API channel, one message per request, 5,000
// contacts, synchronous=FULL, sent once each by wrk, 2 threads / 64 connections) into a Pano with
// one outgoing webhook subscribed to every event, beside the same messages into a Pano with none,
// in the same run: the same unit of work and load generator on both sides, the webhook's cost
// being the difference. Also: how long after the last acknowledgement every delivery had reached the
// receiver (a local Bun.serve that checks each signature, as an integrator's would), and the same
// messages with a receiver that never answers, which leaves only the cost of writing the deliveries
// in the ingest transactions (sending them is the rest).
import { createHmac } from "node:crypto";
import { report, type LoadResult } from "./load.ts";
import { driveWrk } from "./wrk.ts";
import { startBenchPano, benchSize, panoAddress, panoInbound } from "./processes.ts";
import { inboundBody } from "./ingest.ts";
import { WEBHOOK_EVENTS } from "../src/domain/webhooks.ts";

const SECRET = "bench-webhook-secret";

async function ingest(n: number, webhookUrl: string | null, drain = true): Promise<{ result: LoadResult; drained?: { seconds: number; delivered: number; bad: number } }> {
  const pano = await startBenchPano();
  try {
    if (webhookUrl) await pano.json("/api/v1/webhooks", { method: "POST", json: { url: webhookUrl, events: WEBHOOK_EVENTS, secret: SECRET } });
    const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "bench" } });
    const salt = `w${Date.now()}`;
    const headers = { authorization: `Bearer ${pano.token}`, "content-type": "application/json" };
    const requests = Array.from({ length: n }, (_, i) => ({ path: `/api/v1/channels/${ch.id}/inbound`, headers, body: inboundBody(i, salt) }));
    const result: LoadResult = await driveWrk(panoAddress(pano), requests, { pid: pano.proc.pid });
    result.stored = panoInbound(pano);
    if (!webhookUrl || !drain) return { result };
    const acked = performance.now();
    // Every message is one message.created delivery; wait until none is pending.
    for (;;) {
      const w = (await pano.json("/api/v1/webhooks")).data[0];
      if (w.pending_deliveries === 0) break;
      await Bun.sleep(100); // polling interval while the sender drains
    }
    return { result, drained: { seconds: (performance.now() - acked) / 1000, delivered: received.count, bad: received.bad } };
  } finally {
    await pano.stop();
  }
}

const received = { count: 0, bad: 0 };

export async function run() {
  const n = benchSize(100_000);
  const receiver = Bun.serve({
    port: 0,
    async fetch(req) {
      const raw = await req.text();
      if (new URL(req.url).pathname === "/never") return new Promise<Response>(() => {});
      const expected = "sha256=" + createHmac("sha256", SECRET).update(raw).digest("hex");
      if (req.headers.get("x-pano-signature") === expected) received.count++;
      else received.bad++;
      return new Response("ok");
    },
  });
  try {
    const without = await ingest(n, null);
    const withHook = await ingest(n, `http://127.0.0.1:${receiver.port}/hook`);
    const writtenOnly = await ingest(n, `http://127.0.0.1:${receiver.port}/never`, false);
    console.log(report(`bench/webhooks: ${n} API-channel messages with one webhook on every event, delivered as they come (pano) vs no webhook (baseline), wrk 2 threads / 64 connections, synchronous=FULL`, withHook.result, without.result, 0.5));
    const d = withHook.drained!;
    console.log(`  deliveries ${d.delivered} signed deliveries received (${d.bad} bad signatures); the last ${d.seconds.toFixed(1)} s after the last acknowledgement`);
    console.log(report(`bench/webhooks: the same with a receiver that never answers: deliveries written in the ingest transactions, hardly any sent (pano) vs no webhook (baseline)`, writtenOnly.result, without.result, 0.8));
  } finally {
    receiver.stop(true);
  }
}

if (import.meta.main) await run();
