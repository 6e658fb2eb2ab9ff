// bench/ingest: N API-channel messages (POST /api/v1/channels/:id/inbound, one message per
// request, bearer token, 5,000 contacts) into Pano with synchronous=FULL, and the same bodies in
// the same run into the bare server (bench/baseline-server.ts, POST /inbound: token checked,
// JSON parsed, group-committed insert, WAL, synchronous=FULL, 202 after COMMIT). Load: wrk,
// 2 threads, 64 connections, each request sent once; both sides' stored counts are read from
// their databases afterwards.
import { report, type LoadResult } from "./load.ts";
import { driveWrk, type HttpRequest } from "./wrk.ts";
import { startBaseline, startBenchPano, benchSize, panoInbound, baselineStored, panoAddress } from "./processes.ts";

export function inboundBody(i: number, salt: string) {
  return JSON.stringify({
    external_contact_id: `kh-${i % 5000}`,
    contact_name: `Khách ${i % 5000}`,
    external_message_id: `${salt}-${i}`,
    text: `Shop ơi, đơn hàng #${100000 + i} của mình giao chưa ạ? Mình cần gấp trước thứ 6.`,
  });
}

function inboundRequests(n: number, path: string, token: string): HttpRequest[] {
  const salt = `i${Date.now()}`;
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  return Array.from({ length: n }, (_, i) => ({ path, headers, body: inboundBody(i, salt) }));
}

/** The bare server's figure for N API-channel messages (wrk, `connections` connections). */
export async function measureBaseline(n: number, connections = 64): Promise<LoadResult> {
  const base = await startBaseline();
  try {
    const result = await driveWrk(base.url, inboundRequests(n, "/inbound", base.token), { pid: base.pid, connections });
    result.stored = baselineStored(base);
    return result;
  } finally {
    base.stop();
  }
}

export async function run(): Promise<{ pano: LoadResult; baseline: LoadResult }> {
  const n = benchSize(100_000);
  const baseline = await measureBaseline(n);
  const pano = await startBenchPano();
  try {
    const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "bench" } });
    const result = await driveWrk(panoAddress(pano), inboundRequests(n, `/api/v1/channels/${ch.id}/inbound`, pano.token), { pid: pano.proc.pid });
    result.stored = panoInbound(pano);
    console.log(report(`bench/ingest: ${n} API-channel messages, one per request, 5,000 contacts, same bodies both sides, wrk 2 threads / 64 connections, group commit, synchronous=FULL`, result, baseline, 0.5));
    return { pano: result, baseline };
  } finally {
    await pano.stop();
  }
}

if (import.meta.main) await run();
