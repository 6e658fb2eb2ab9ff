// The in-process load generator (a JavaScript fetch client: N requests, fixed concurrency,
// keep-alive, latency of each acknowledgement recorded) and the report every ingest benchmark
// prints. HTTP ingest benches drive load with wrk instead (bench/wrk.ts); the benches that keep
// this client print its CPU beside the server's, so a client at the limit of a core shows.
import { existsSync, readFileSync } from "node:fs";

export interface LoadResult {
  n: number;
  ok: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  /** CPU milliseconds the measured process spent per acknowledged message while acknowledging, when known. */
  cpuMsPerMsg?: number;
  /** The same until the process went idle again: with the work it deferred (triage, routing). */
  cpuMsPerMsgSettled?: number;
  /** What sent the load, e.g. "wrk 2 threads, 64 connections". */
  generator?: string;
  /** The load generator's CPU over the run, in % of one core. */
  clientCpuPct?: number;
  /** Messages found stored afterwards (database count), when the bench checked. */
  stored?: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** With `pid`, also the CPU time that process used per acknowledged message (Linux /proc). */
export async function drive(n: number, concurrency: number, request: (i: number) => Promise<Response>, pid?: number): Promise<LoadResult> {
  const cpuBefore = pid ? cpuSeconds(pid) : null;
  const clientBefore = process.cpuUsage();
  const latencies = new Float64Array(n);
  let next = 0;
  let ok = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const t = performance.now();
      try {
        const r = await request(i);
        await r.arrayBuffer();
        if (r.ok) ok++;
        else errors++;
      } catch {
        errors++;
      }
      latencies[i] = performance.now() - t;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = pid ? cpuSeconds(pid) : null;
  const client = process.cpuUsage(clientBefore);
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const result: LoadResult = {
    n, ok, errors, seconds, perSecond: ok / seconds, p50ms: percentile(sorted, 50), p99ms: percentile(sorted, 99),
    generator: `JS fetch client in the bench process, concurrency ${concurrency}`,
    clientCpuPct: ((client.user + client.system) / 1e6 / seconds) * 100,
  };
  if (cpuBefore !== null && cpuAfter !== null && ok) {
    result.cpuMsPerMsg = ((cpuAfter - cpuBefore) * 1000) / ok;
    const idle = await cpuWhenIdle(pid!);
    if (idle !== null) result.cpuMsPerMsgSettled = ((idle - cpuBefore) * 1000) / ok;
  }
  return result;
}

/** `goal`: the issue's aim above the target, printed beside it. */
export function report(name: string, subject: LoadResult, baseline: LoadResult, target: number, goal?: number): string {
  const ratio = subject.perSecond / baseline.perSecond;
  const stored = (r: LoadResult) => (r.stored === undefined ? "" : `, ${r.stored} stored${r.stored < r.n ? " MISSING " + (r.n - r.stored) : ""}`);
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  const lines = [
    `${name}`,
    `  pano      ${subject.perSecond.toFixed(0).padStart(7)} msg/s  ack p50 ${subject.p50ms.toFixed(1)} ms  p99 ${subject.p99ms.toFixed(1)} ms  (${subject.ok}/${subject.n} ok, ${subject.errors} errors${stored(subject)}, ${subject.seconds.toFixed(1)} s)`,
    `  baseline  ${baseline.perSecond.toFixed(0).padStart(7)} msg/s  ack p50 ${baseline.p50ms.toFixed(1)} ms  p99 ${baseline.p99ms.toFixed(1)} ms  (${baseline.ok}/${baseline.n} ok, ${baseline.errors} errors${stored(baseline)}, ${baseline.seconds.toFixed(1)} s)`,
    `  ratio     ${(ratio * 100).toFixed(1)}% of baseline (target >= ${pct(target)}${goal ? `, goal ${pct(goal)}` : ""}) ${ratio >= target ? "OK" : "BELOW TARGET"}`,
  ];
  const cpu = (r: LoadResult) => `${r.cpuMsPerMsg!.toFixed(3)} ms/msg` + (r.cpuMsPerMsgSettled === undefined ? "" : ` (${r.cpuMsPerMsgSettled.toFixed(3)} until idle)`);
  if (subject.cpuMsPerMsg !== undefined && baseline.cpuMsPerMsg !== undefined) {
    // CPU per message moves much less than msg/s when other processes share the cores.
    const ratio = (a?: number, b?: number) => (a && b ? `${((a / b) * 100).toFixed(1)}%` : "n/a");
    lines.push(
      `  cpu       pano ${cpu(subject)}, baseline ${cpu(baseline)}`,
      `  cpu ratio baseline/pano ${ratio(baseline.cpuMsPerMsg, subject.cpuMsPerMsg)} while acknowledging, ${ratio(baseline.cpuMsPerMsgSettled, subject.cpuMsPerMsgSettled)} with the deferred work`,
    );
  }
  const gen = (r: LoadResult) => `${r.generator ?? "?"}${r.clientCpuPct === undefined ? "" : `, its CPU ${r.clientCpuPct.toFixed(0)}% of a core`}`;
  if (subject.generator || baseline.generator) lines.push(`  load      pano: ${gen(subject)}; baseline: ${gen(baseline)}`);
  return lines.join("\n");
}

/** CPU seconds a process has used (Linux /proc utime + stime): steadier than msg/s on a shared machine. */
export function cpuSeconds(pid: number): number | null {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return null;
  const fields = readFileSync(path, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds once the process has gone quiet: under 5% of a core for 1.5 s on end (deferred work
 * such as triage pauses up to a second between batches while busy), at most 60 s on.
 */
export async function cpuWhenIdle(pid: number): Promise<number | null> {
  let last = cpuSeconds(pid);
  let quiet = 0;
  const deadline = performance.now() + 60_000;
  while (last !== null && quiet < 3 && performance.now() < deadline) {
    await Bun.sleep(500);
    const now = cpuSeconds(pid);
    if (now === null) return null;
    quiet = now - last < 0.025 ? quiet + 1 : 0;
    last = now;
  }
  return last;
}
