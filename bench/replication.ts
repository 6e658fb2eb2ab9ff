// bench/replication: ingest throughput with Litestream replicating to a file:// replica beside the
// same Pano without a replica, in the same run (pairs of back-to-back rounds), and the replication
// lag: for every acknowledged message of the replicated rounds, from the moment its 202 reached
// the client to the mtime of the first replica file holding it (bench/replica-contents.ts), at
// the default 1 s sync interval. Unit of work both sides: one API-channel message per request
// (5,000 contacts, synchronous=FULL), the same load generator: the JS fetch client in this process
// (concurrency 256), kept here because the lag needs each request's own acknowledgement time,
// which wrk does not give; its CPU is printed beside the rounds to show it is not the limit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { drive, percentile, type LoadResult } from "./load.ts";
import { inboundBody } from "./ingest.ts";
import { startBenchPano, benchSize } from "./processes.ts";
import { tempDir } from "../tests/support/pano.ts";
import { firstInReplica } from "./replica-contents.ts";

const CONCURRENCY = 256;
const now = () => performance.timeOrigin + performance.now();

interface Round { result: LoadResult; cpuSeconds: number; lagsMs?: number[]; missing?: number; files?: number; mb?: number }

/** User + system CPU seconds a process has used (Linux /proc; 0 elsewhere). */
function cpuSeconds(pid: number | null | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function round(n: number, replicated: boolean, tag: string): Promise<Round> {
  const replica = join(tempDir("pano-bench-replica-"), "replica");
  const pano = await startBenchPano(replicated ? { PANO_REPLICA_URL: `file://${replica}` } : {});
  const salt = `${tag}r${Date.now().toString(36)}n`;
  // The terminator keeps an id from running into the digits SQLite stores after it.
  const body = (i: number) => inboundBody(i, salt).replace(`"${salt}-${i}"`, `"${salt}${i}z"`);
  const ackAt = new Float64Array(n);
  try {
    const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "bench" } });
    const headers = { authorization: `Bearer ${pano.token}`, "content-type": "application/json" };
    const litestream: number | null = replicated ? (await pano.json("/api/v1/ops/replication")).pid : null;
    const cpu = () => cpuSeconds(pano.proc.pid) + cpuSeconds(litestream);
    const cpuBefore = cpu();
    const result = await drive(n, CONCURRENCY, async (i) => {
      const r = await fetch(`${pano.url}/api/v1/channels/${ch.id}/inbound`, { method: "POST", headers, body: body(i) });
      ackAt[i] = now();
      return r;
    });
    const cpuUsed = cpu() - cpuBefore;
    if (!replicated) return { result, cpuSeconds: cpuUsed };
    // Two sync intervals with no load: the last messages reach the replica by Litestream's own
    // schedule, not by the final sync of a shutdown.
    await Bun.sleep(2_500);
    const { seen, files, bytes } = firstInReplica(join(replica, "db"), new RegExp(`${salt}\\d+z`, "g"));
    const lagsMs: number[] = [];
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const at = seen.get(`${salt}${i}z`);
      if (at === undefined) missing++;
      // A sync can land between the commit and the client reading the 202: that is no lag.
      else lagsMs.push(Math.max(0, at - ackAt[i]!));
    }
    return { result, cpuSeconds: cpuUsed, lagsMs, missing, files, mb: bytes / 1e6 };
  } finally {
    await pano.stop();
  }
}

function combine(rounds: Round[]): LoadResult {
  const ok = rounds.reduce((s, r) => s + r.result.ok, 0);
  const seconds = rounds.reduce((s, r) => s + r.result.seconds, 0);
  const pick = (f: (r: LoadResult) => number) => Math.max(...rounds.map((r) => f(r.result)));
  return { n: rounds.reduce((s, r) => s + r.result.n, 0), ok, errors: rounds.reduce((s, r) => s + r.result.errors, 0), seconds, perSecond: ok / seconds, p50ms: pick((r) => r.p50ms), p99ms: pick((r) => r.p99ms) };
}

// Pairs of back-to-back rounds, which one goes first alternating: other load on a shared machine
// comes and goes over seconds, so each pair is compared under nearly the same conditions and the
// median pair decides.
const PAIRS = 5;

export async function run() {
  const n = benchSize(30_000);
  const per = Math.max(1, Math.round(n / PAIRS));
  await round(Math.min(per, 1000), false, "w"); // warms the load generator; not counted
  const pairs: { on: Round; off: Round }[] = [];
  for (let k = 0; k < PAIRS; k++) {
    const first = await round(per, k % 2 === 1, `p${k}a`);
    const second = await round(per, k % 2 === 0, `p${k}b`);
    pairs.push(k % 2 === 1 ? { on: first, off: second } : { on: second, off: first });
  }
  const [onRounds, offRounds] = [pairs.map((p) => p.on), pairs.map((p) => p.off)];
  const [on, off] = [combine(onRounds), combine(offRounds)];
  const pairRatios = pairs.map((p) => p.on.result.perSecond / p.off.result.perSecond);
  const ratio = [...pairRatios].sort((a, b) => a - b)[Math.floor(PAIRS / 2)]!;
  const cpuPerK = (rs: Round[]) => (rs.reduce((s, r) => s + r.cpuSeconds, 0) / rs.reduce((s, r) => s + r.result.ok, 0)) * 1e6;
  const lags = onRounds.flatMap((r) => r.lagsMs!).sort((a, b) => a - b);
  const sum = (f: (r: Round) => number) => onRounds.reduce((s, r) => s + f(r), 0);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const line = (name: string, r: LoadResult, rs: Round[]) =>
    `  ${name.padEnd(18)} ${r.perSecond.toFixed(0).padStart(6)} msg/s  ack p50 ${r.p50ms.toFixed(1)} ms  p99 ${r.p99ms.toFixed(1)} ms  CPU ${cpuPerK(rs).toFixed(0)} ms per 1,000 messages  (${r.ok}/${r.n} ok, ${r.errors} errors, ${r.seconds.toFixed(1)} s)`;
  console.log([
    `bench/replication: ${n} API-channel messages per side in ${PAIRS} pairs of rounds of ${per} (off+on, on+off, ...), concurrency ${CONCURRENCY}, synchronous=FULL`,
    line("with Litestream", on, onRounds),
    line("without (baseline)", off, offRounds),
    `  ratio              ${pct(ratio)} of the throughput without replication, median of pairs (target >= 90%) ${ratio >= 0.9 ? "OK" : "BELOW TARGET"}`,
    `                     pairs ${pairRatios.map(pct).join(", ")}; all rounds pooled ${pct(on.perSecond / off.perSecond)}; CPU (pano + litestream) per message ${pct(cpuPerK(onRounds) / cpuPerK(offRounds))} of pano alone`,
    `  replication lag    ack -> first replica file holding the message, sync interval 1 s: p50 ${percentile(lags, 50).toFixed(0)} ms  p99 ${percentile(lags, 99).toFixed(0)} ms  max ${(lags.at(-1) ?? 0).toFixed(0)} ms`,
    `                     over ${lags.length} messages; not in the replica: ${sum((r) => r.missing!)}; replica files scanned ${sum((r) => r.files!)} (${sum((r) => r.mb!).toFixed(0)} MB of pages)`,
    `  load               JS fetch client in this process, concurrency ${CONCURRENCY}: its CPU ${(pairs.flatMap((p) => [p.on, p.off]).reduce((s, r) => s + (r.result.clientCpuPct ?? 0), 0) / (2 * PAIRS)).toFixed(0)}% of a core on average over the rounds (Pano's: ${((cpuPerK(offRounds) / 1e6) * off.perSecond * 100).toFixed(0)}% without replication)`,
  ].join("\n"));
  return { on, off, ratio, lagP99Ms: percentile(lags, 99) };
}

if (import.meta.main) await run();
