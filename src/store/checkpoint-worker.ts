// The checkpoint thread (checkpoints.ts): copies the WAL's committed pages into the database file
// on a connection of its own, so the thread that commits never stops to do it. PASSIVE never
// waits for a reader or a writer; what it cannot copy now it copies next time.
import { Database } from "bun:sqlite";
import { statSync } from "node:fs";

declare const self: Worker;

export type CheckpointRequest = { open: { path: string; everyMs: number } } | { stop: true };
export type CheckpointReport = { checkpointed: number } | { error: string } | { stopped: true };

let db: Database | null = null;
let timer: ReturnType<typeof setInterval> | null = null;
let seen = "";

function tick(path: string) {
  let now: string;
  try {
    const s = statSync(`${path}-wal`);
    now = `${s.size}:${s.mtimeMs}`;
  } catch {
    return; // no WAL yet (or between a close and the next write)
  }
  if (now === seen || !db) return;
  try {
    const r = db.query<{ busy: number; log: number; checkpointed: number }, []>("PRAGMA wal_checkpoint(PASSIVE)").get();
    seen = now;
    if (r && r.checkpointed > 0) self.postMessage({ checkpointed: r.checkpointed } satisfies CheckpointReport);
  } catch (err) {
    self.postMessage({ error: String((err as Error)?.message ?? err) } satisfies CheckpointReport);
  }
}

self.onmessage = (ev: MessageEvent<CheckpointRequest>) => {
  const m = ev.data;
  if ("open" in m) {
    db = new Database(m.open.path);
    db.exec("PRAGMA busy_timeout = 1000");
    const path = m.open.path;
    timer = setInterval(() => tick(path), m.open.everyMs);
    return;
  }
  if (timer) clearInterval(timer);
  timer = null;
  db?.close();
  db = null;
  self.postMessage({ stopped: true } satisfies CheckpointReport);
};
