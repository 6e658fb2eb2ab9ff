// The load generator every ingest benchmark shares: N requests, fixed concurrency, keep-alive,
// latency of each acknowledgement recorded.
export interface LoadResult {
  n: number;
  ok: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function drive(n: number, concurrency: number, request: (i: number) => Promise<Response>): Promise<LoadResult> {
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
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return { n, ok, errors, seconds, perSecond: ok / seconds, p50ms: percentile(sorted, 50), p99ms: percentile(sorted, 99) };
}

export function report(name: string, subject: LoadResult, baseline: LoadResult, target: number): string {
  const ratio = subject.perSecond / baseline.perSecond;
  const lines = [
    `${name}`,
    `  pano      ${subject.perSecond.toFixed(0).padStart(7)} msg/s  ack p50 ${subject.p50ms.toFixed(1)} ms  p99 ${subject.p99ms.toFixed(1)} ms  (${subject.ok}/${subject.n} ok, ${subject.errors} errors, ${subject.seconds.toFixed(1)} s)`,
    `  baseline  ${baseline.perSecond.toFixed(0).padStart(7)} msg/s  ack p50 ${baseline.p50ms.toFixed(1)} ms  p99 ${baseline.p99ms.toFixed(1)} ms  (${baseline.ok}/${baseline.n} ok)`,
    `  ratio     ${(ratio * 100).toFixed(1)}% of baseline (target >= ${(target * 100).toFixed(0)}%) ${ratio >= target ? "OK" : "BELOW TARGET"}`,
  ];
  return lines.join("\n");
}
