// Starting the processes a benchmark measures: Pano (from source) and the bare baseline.
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { startPano, tempDir, ROOT, BUN, type PanoProcess } from "../tests/support/pano.ts";

export interface Baseline { url: string; token: string; pid: number; dbPath: string; stop(): void }

/** The bare server (bench/baseline-server.ts); `secrets` are what it checks Facebook's and Zalo's signatures with. */
export async function startBaseline(secrets: { facebookAppSecret?: string; zaloOaSecretKey?: string } = {}): Promise<Baseline> {
  const token = "baseline-token";
  const dir = tempDir("pano-baseline-");
  // Port 0: the baseline binds a free port itself and says which ("listening <port>").
  const args = [dir, "0", token, secrets.facebookAppSecret ?? "", secrets.zaloOaSecretKey ?? ""];
  const proc = Bun.spawn([BUN, join(ROOT, "bench/baseline-server.ts"), ...args], { stdout: "pipe", stderr: "inherit" });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  const { value } = await reader.read();
  const port = Number(/listening (\d+)/.exec(new TextDecoder().decode(value))?.[1]);
  if (!port) throw new Error("baseline server did not start");
  const stop = () => {
    proc.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `http://127.0.0.1:${port}`, token, pid: proc.pid, dbPath: join(dir, "baseline.db"), stop };
}

/** A count read from a benchmark's database after the run (read-only, beside the running server). */
export function countIn(dbPath: string, sql: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.query<{ n: number }, []>(sql).get()!.n;
  } finally {
    db.close();
  }
}

/** Inbound messages Pano has stored (all channels). */
export const panoInbound = (pano: PanoProcess) => countIn(join(pano.dataDir, "pano.db"), "SELECT count(*) AS n FROM messages WHERE direction = 'in'");
/** Messages the bare server has stored. */
export const baselineStored = (base: Baseline) => countIn(base.dbPath, "SELECT count(*) AS n FROM messages");

/** Pano's base URL by address: wrk would try ::1 first for "localhost". */
export const panoAddress = (pano: PanoProcess) => `http://127.0.0.1:${pano.port}`;

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
