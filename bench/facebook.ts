// bench/facebook: Messenger webhook deliveries in batches of 1 to 10 message events (5.5 on
// average, as Meta batches under load), 5,000 customers, signed with the app secret before the
// clock starts (Meta's cost, not Pano's). The same signed bodies go to Pano's /webhooks/facebook
// and, in the same run, to the bare server (bench/baseline-server.ts, POST /facebook), which
// checks X-Hub-Signature-256 over the raw body, parses the batch and group-commits every message
// (WAL, synchronous=FULL) before its 200, as Pano must. Load: wrk, 2 threads, 64 connections,
// every delivery sent once, after a warm-up round of N/5 deliveries from other customers (not
// measured) on each side. Counted in messages: both sides store every event of every batch,
// checked in their databases afterwards. bench/webhook is the same with one event per delivery.
// Pano also fetches each new customer's profile from the simulator's Graph API after commit
// (deferred work the bare server does not do: it shows in "CPU until idle", not in the ack).
import { randomBytes } from "node:crypto";
import { cpuWhenIdle, report, type LoadResult } from "./load.ts";
import { driveWrk, type HttpRequest, type WrkResult } from "./wrk.ts";
import { startBaseline, startBenchPano, benchSize, panoInbound, baselineStored, panoAddress } from "./processes.ts";
import { customerMessage, startFacebookSim, type FacebookSim } from "../tests/sim/facebook.ts";

export const CUSTOMERS = 5000;
export const psid = (i: number) => String(7_100_000_000_000_000 + (i % CUSTOMERS));
// The warm-up round's customers: others than the measured ones, so the measured round still meets
// each of its 5,000 customers for the first time, as before.
const warmPsid = (i: number) => String(7_200_000_000_000_000 + (i % CUSTOMERS));

/** Signed bodies made before the clock starts: `size(b)` message events in delivery b. */
export function signedDeliveries(sim: FacebookSim, n: number, size: (b: number) => number, customer: (i: number) => string = psid, tag = ""): { request: HttpRequest; size: number }[] {
  const out = [];
  let made = 0;
  for (let b = 0; made < n; b++) {
    const k = Math.min(n - made, size(b));
    const events = Array.from({ length: k }, (_, j) =>
      customerMessage(sim.pageId, customer(made + j), `Shop ơi, đơn hàng #${tag}${100000 + made + j} của mình giao chưa ạ? Mình cần gấp trước thứ 6.`),
    );
    const { raw, headers } = sim.prepare([{ pageId: sim.pageId, events }]);
    out.push({ request: { path: "/webhooks/facebook", headers, body: raw }, size: k });
    made += k;
  }
  return out;
}

/** wrk counts deliveries; the figures in messages (what both servers store), ack latency per delivery. */
function inMessages(d: WrkResult, messages: number): LoadResult {
  const ok = d.errors ? Math.round((messages * d.ok) / d.n) : messages;
  const perMessage = (ms?: number) => (ms === undefined || !ok ? undefined : (ms * d.ok) / ok);
  return { ...d, n: messages, ok, errors: messages - ok, perSecond: ok / d.seconds, cpuMsPerMsg: perMessage(d.cpuMsPerMsg), cpuMsPerMsgSettled: perMessage(d.cpuMsPerMsgSettled) };
}

export interface FacebookRun { n: number; size: (delivery: number) => number; title: (messages: number, deliveries: number) => string; target: number; goal?: number }

/** The same signed deliveries into the bare server, then into Pano, both by wrk; printed as report(). */
export async function compareFacebook(o: FacebookRun): Promise<{ pano: LoadResult; baseline: LoadResult }> {
  const page = { pageId: "100000000000777", appSecret: randomBytes(16).toString("hex"), pageToken: "EAAG-bench-token-0001" };
  const sim = await startFacebookSim({ ...page, echoes: false });
  try {
    for (let i = 0; i < CUSTOMERS; i++) {
      sim.addProfile(psid(i), `Khách ${i}`, "Nguyễn");
      sim.addProfile(warmPsid(i), `Khách quen ${i}`, "Trần");
    }
    const deliveries = signedDeliveries(sim, o.n, o.size);
    const messages = deliveries.reduce((sum, d) => sum + d.size, 0);
    // Each side first takes a warm-up round of N/5 deliveries (not measured), so both are measured
    // JIT-warm, as a server that has been up at a peak is (bench/outbox does the same).
    const warm = signedDeliveries(sim, Math.round(o.n / 5), o.size, warmPsid, "W");
    const warmMessages = warm.reduce((sum, d) => sum + d.size, 0);

    const base = await startBaseline({ facebookAppSecret: page.appSecret });
    let baseline: LoadResult;
    try {
      await driveWrk(base.url, warm.map((d) => ({ ...d.request, path: "/facebook" })));
      await cpuWhenIdle(base.pid);
      baseline = inMessages(await driveWrk(base.url, deliveries.map((d) => ({ ...d.request, path: "/facebook" })), { pid: base.pid }), messages);
      baseline.stored = baselineStored(base) - warmMessages;
    } finally {
      base.stop();
    }

    const pano = await startBenchPano({ PANO_FACEBOOK_GRAPH_URL: sim.url });
    try {
      await pano.json("/api/v1/channels", {
        method: "POST",
        json: { type: "facebook", name: "bench", config: { page_id: page.pageId, page_access_token: page.pageToken, app_secret: page.appSecret, verify_token: "bench-verify-token" } },
      });
      await driveWrk(panoAddress(pano), warm.map((d) => d.request));
      // The warm-up's deferred work (profile fetches, triage) done before the clock starts.
      await cpuWhenIdle(pano.proc.pid);
      const result = inMessages(await driveWrk(panoAddress(pano), deliveries.map((d) => d.request), { pid: pano.proc.pid }), messages);
      result.stored = panoInbound(pano) - warmMessages;
      console.log(report(o.title(messages, deliveries.length), result, baseline, o.target, o.goal));
      return { pano: result, baseline };
    } finally {
      await pano.stop();
    }
  } finally {
    await sim.stop();
  }
}

export async function run() {
  return compareFacebook({
    n: benchSize(100_000),
    size: (b) => 1 + ((b * 7) % 10),
    title: (messages, deliveries) =>
      `bench/facebook: ${messages} Messenger messages in ${deliveries} signed deliveries of 1-10 events (${(messages / deliveries).toFixed(1)} on average), 5,000 customers, same bodies both sides, wrk 2 threads / 64 connections, group commit, synchronous=FULL`,
    target: 0.5,
  });
}

if (import.meta.main) await run();
