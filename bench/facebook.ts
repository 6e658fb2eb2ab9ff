// bench/facebook: the Facebook simulator delivers N signed Messenger messages (batches of 1-10
// events, 5,000 customers, concurrency 256) into a running Pano as fast as it acknowledges them;
// printed as messages/s beside the bare ingest baseline measured in the same run.
import { randomBytes } from "node:crypto";
import { measureBaseline, drive, report, startBenchPano, benchSize, type LoadResult } from "./baseline.ts";
import { customerMessage, startFacebookSim, type FacebookSim } from "../tests/sim/facebook.ts";

const CONCURRENCY = 256;
const CUSTOMERS = 5000;
const psid = (i: number) => String(7_100_000_000_000_000 + (i % CUSTOMERS));

/** Signed bodies made before the clock starts: signing is Meta's cost, not Pano's. */
function signedBatches(sim: FacebookSim, n: number): { raw: string; headers: Record<string, string>; size: number }[] {
  const out = [];
  let made = 0;
  for (let b = 0; made < n; b++) {
    const size = Math.min(n - made, 1 + ((b * 7) % 10));
    const events = Array.from({ length: size }, (_, k) =>
      customerMessage(sim.pageId, psid(made + k), `Shop ơi, đơn hàng #${100000 + made + k} của mình giao chưa ạ? Mình cần gấp trước thứ 6.`),
    );
    out.push({ ...sim.prepare([{ pageId: sim.pageId, events }]), size });
    made += size;
  }
  return out;
}

export async function run(): Promise<{ pano: LoadResult; baseline: LoadResult }> {
  const n = benchSize(100_000);
  const baseline = await measureBaseline(n);
  // The simulator also serves the Graph API, so the profile fetches Pano makes after commit
  // for each new customer are part of the measured load, as in production.
  const page = { pageId: "100000000000777", appSecret: randomBytes(16).toString("hex"), pageToken: "EAAG-bench-token-0001" };
  const sim = await startFacebookSim({ ...page, echoes: false });
  for (let i = 0; i < CUSTOMERS; i++) sim.addProfile(psid(i), `Khách ${i}`, "Nguyễn");
  const batches = signedBatches(sim, n);
  const pano = await startBenchPano({ PANO_FACEBOOK_GRAPH_URL: sim.url });
  try {
    await pano.json("/api/v1/channels", {
      method: "POST",
      json: { type: "facebook", name: "bench", config: { page_id: page.pageId, page_access_token: page.pageToken, app_secret: page.appSecret, verify_token: "bench-verify-token" } },
    });
    const url = `${pano.url}/webhooks/facebook`;
    const deliveries = await drive(batches.length, CONCURRENCY, (i) => fetch(url, { method: "POST", headers: batches[i].headers, body: batches[i].raw }), pano.proc.pid);
    const messages = batches.reduce((sum, b) => sum + b.size, 0);
    const okMessages = deliveries.errors ? Math.round((messages * deliveries.ok) / deliveries.n) : messages;
    // The same figures counted in messages (what the baseline counts), ack latency per delivery.
    const result: LoadResult = { ...deliveries, n: messages, ok: okMessages, errors: messages - okMessages, perSecond: okMessages / deliveries.seconds };
    // drive() divides CPU by acknowledged deliveries; a delivery carries 1-10 messages.
    const perMessage = (ms?: number) => (ms === undefined || !okMessages ? undefined : (ms * deliveries.ok) / okMessages);
    result.cpuMsPerMsg = perMessage(deliveries.cpuMsPerMsg);
    result.cpuMsPerMsgSettled = perMessage(deliveries.cpuMsPerMsgSettled);
    console.log(report(`bench/facebook: ${messages} signed Messenger messages in ${batches.length} batches of 1-10, 5,000 customers, concurrency ${CONCURRENCY}`, result, baseline, 0.5));
    return { pano: result, baseline };
  } finally {
    await pano.stop();
    await sim.stop();
  }
}

if (import.meta.main) await run();
