// The foundation's bare ingest baseline, for channel benchmarks to print their figure beside:
// a minimal Bun server that checks a token, parses and inserts with the same group commit and
// synchronous=FULL (bench/baseline-server.ts, POST /inbound), driven by wrk (2 threads, 64
// connections, each API-channel message sent once: bench/wrk.ts).
export { measureBaseline } from "./ingest.ts";
export { drive, report, percentile, cpuSeconds, type LoadResult } from "./load.ts";
export { startBenchPano, benchSize } from "./processes.ts";
