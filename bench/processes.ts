// Starting the processes a benchmark measures: Pano (from source) and the bare baseline.
import { join } from "node:path";
import { startPano, tempDir, freePort, ROOT, BUN, type PanoProcess } from "../tests/support/pano.ts";

export async function startBaseline(): Promise<{ url: string; token: string; pid: number; stop(): void }> {
  const port = await freePort();
  const token = "baseline-token";
  const proc = Bun.spawn([BUN, join(ROOT, "bench/baseline-server.ts"), tempDir("pano-baseline-"), String(port), token], { stdout: "pipe", stderr: "inherit" });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  const { value } = await reader.read();
  if (!new TextDecoder().decode(value).includes("listening")) throw new Error("baseline server did not start");
  return { url: `http://127.0.0.1:${port}`, token, pid: proc.pid, stop: () => proc.kill() };
}

export async function startBenchPano(env: Record<string, string> = {}): Promise<PanoProcess> {
  return startPano({ env: { PANO_LOG_LEVEL: "warn", ...env } });
}

export const benchSize = (dflt: number) => Number(process.env.BENCH_N ?? dflt);
