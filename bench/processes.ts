// Starting the processes a benchmark measures: Pano (from source) and the bare baseline.
import { join } from "node:path";
import { startPano, tempDir, ROOT, BUN, type PanoProcess } from "../tests/support/pano.ts";

export async function startBaseline(): Promise<{ url: string; token: string; pid: number; stop(): void }> {
  const token = "baseline-token";
  // Port 0: the baseline binds a free port itself and says which ("listening <port>").
  const proc = Bun.spawn([BUN, join(ROOT, "bench/baseline-server.ts"), tempDir("pano-baseline-"), "0", token], { stdout: "pipe", stderr: "inherit" });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  const { value } = await reader.read();
  const port = Number(/listening (\d+)/.exec(new TextDecoder().decode(value))?.[1]);
  if (!port) throw new Error("baseline server did not start");
  return { url: `http://127.0.0.1:${port}`, token, pid: proc.pid, stop: () => proc.kill() };
}

export async function startBenchPano(env: Record<string, string> = {}): Promise<PanoProcess> {
  return startPano({ env: { PANO_LOG_LEVEL: "warn", ...env } });
}

export const benchSize = (dflt: number) => Number(process.env.BENCH_N ?? dflt);

/** The first `max` conversations the API lists (a benchmark's replies go to them). */
export async function conversationIds(pano: PanoProcess, max: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: { id: string }[]; next_cursor: string | null } = await pano.json(`/api/v1/conversations?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    ids.push(...page.data.map((c) => c.id));
    cursor = page.next_cursor;
  } while (cursor && ids.length < max);
  return ids.slice(0, max);
}
