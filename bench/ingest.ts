// bench/ingest: N API-channel messages (many contacts, concurrency 256) into a running Pano,
// and the same messages into the bare baseline in the same run.
import { drive, report, type LoadResult } from "./load.ts";
import { startBaseline, startBenchPano, benchSize } from "./processes.ts";

export function inboundBody(i: number, salt: string) {
  return JSON.stringify({
    external_contact_id: `kh-${i % 5000}`,
    contact_name: `Khách ${i % 5000}`,
    external_message_id: `${salt}-${i}`,
    text: `Shop ơi, đơn hàng #${100000 + i} của mình giao chưa ạ? Mình cần gấp trước thứ 6.`,
  });
}

export async function measureBaseline(n: number, concurrency = 256): Promise<LoadResult> {
  const base = await startBaseline();
  try {
    const salt = `b${Date.now()}`;
    return await drive(n, concurrency, (i) =>
      fetch(`${base.url}/inbound`, { method: "POST", headers: { authorization: `Bearer ${base.token}`, "content-type": "application/json" }, body: inboundBody(i, salt) }),
      base.pid,
    );
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
    const salt = `p${Date.now()}`;
    const headers = { authorization: `Bearer ${pano.token}`, "content-type": "application/json" };
    const result = await drive(n, 256, (i) => fetch(`${pano.url}/api/v1/channels/${ch.id}/inbound`, { method: "POST", headers, body: inboundBody(i, salt) }), pano.proc.pid);
    console.log(report(`bench/ingest: ${n} API-channel messages, 5,000 contacts, concurrency 256, synchronous=FULL`, result, baseline, 0.5));
    return { pano: result, baseline };
  } finally {
    await pano.stop();
  }
}

if (import.meta.main) await run();
