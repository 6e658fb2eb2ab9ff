// bench/zalo: Zalo OA webhooks, one user_send_text event per signed delivery (as Zalo sends
// them), 5,000 followers, signed before the clock starts (X-ZEvent-Signature, as
// tests/sim/zalo.ts signs: Zalo's cost, not Pano's). The same bodies go to Pano's /webhooks/zalo
// (synchronous=FULL) and, in the same run, to the bare server (bench/baseline-server.ts,
// POST /zalo): parse, check the mac (sha256 of app_id + raw body + timestamp + OA secret key) in
// constant time, group-committed insert (WAL, synchronous=FULL), 200 after COMMIT. Load: wrk,
// 2 threads, 64 connections, each delivery sent once, after a warm-up round of N/5 deliveries from
// 5,000 other followers on each side (not measured, settled before the clock starts, as
// bench/webhook); stored counts read from both databases.
// Replies to Zalo (the outbox) are bench/outbox's.
import { cpuWhenIdle, report, type LoadResult } from "./load.ts";
import { driveWrk, type HttpRequest } from "./wrk.ts";
import { startBaseline, startBenchPano, benchSize, panoInbound, baselineStored, panoAddress } from "./processes.ts";
import { startZaloSim, type ZaloSim } from "../tests/sim/zalo.ts";

const FOLLOWERS = 5000;
const userId = (i: number) => String(5_100_000_000_000_000_000n + BigInt(i % FOLLOWERS));
const warmUserId = (i: number) => String(5_200_000_000_000_000_000n + BigInt(i % FOLLOWERS));

/** Signed before the clock starts: hashing is Zalo's cost, not Pano's. */
function signedDeliveries(sim: ZaloSim, n: number, user = userId, tag = ""): HttpRequest[] {
  return Array.from({ length: n }, (_, i) => {
    const event = sim.events.userText(user(i), `Shop ơi, đơn hàng #${tag}${100000 + i} của em giao chưa ạ? Em cần gấp trước thứ 6.`);
    const raw = JSON.stringify(event);
    return { path: "/webhooks/zalo", headers: { "user-agent": "ZaloWebhook/1.0", ...sim.signedHeaders(event, raw) }, body: raw };
  });
}

export async function run() {
  const n = benchSize(100_000);
  const sim = await startZaloSim({ echoes: false });
  for (let i = 0; i < FOLLOWERS; i++) {
    sim.addUser(userId(i), { display_name: `Khách ${i}` });
    sim.addUser(warmUserId(i), { display_name: `Khách quen ${i}` });
  }
  const deliveries = signedDeliveries(sim, n);
  const warm = signedDeliveries(sim, Math.round(n / 5), warmUserId, "W");
  const base = await startBaseline({ zaloOaSecretKey: sim.oaSecretKey });
  let baseline: LoadResult;
  try {
    await driveWrk(base.url, warm.map((d) => ({ ...d, path: "/zalo" })));
    await cpuWhenIdle(base.pid);
    baseline = await driveWrk(base.url, deliveries.map((d) => ({ ...d, path: "/zalo" })), { pid: base.pid });
    baseline.stored = baselineStored(base) - warm.length;
  } finally {
    base.stop();
  }
  const pano = await startBenchPano({ PANO_ZALO_API_URL: sim.url, PANO_ZALO_OAUTH_URL: sim.url });
  try {
    await pano.json("/api/v1/channels", { method: "POST", json: { type: "zalo", name: "bench", config: sim.channelConfig() } });
    await driveWrk(panoAddress(pano), warm);
    // The warm-up's deferred work (profile fetches, triage) done before the clock starts.
    await cpuWhenIdle(pano.proc.pid);
    const inbound = await driveWrk(panoAddress(pano), deliveries, { pid: pano.proc.pid });
    inbound.stored = panoInbound(pano) - warm.length;
    console.log(report(`bench/zalo: ${n} Zalo messages, one user_send_text event per signed delivery, ${FOLLOWERS} followers, same bodies both sides, wrk 2 threads / 64 connections, group commit, synchronous=FULL`, inbound, baseline, 0.5));
    return { pano: inbound, baseline };
  } finally {
    await pano.stop();
    await sim.stop();
  }
}

if (import.meta.main) await run();
