// The bare baselines' writer, as Pano's: writes queued within PANO_BATCH_WINDOW_MS (Pano's default
// 2 ms; 0: what arrived by the end of this turn of the event loop) commit in one transaction
// (synchronous=FULL is the caller's pragma), and each caller hears once its write is on disk. Both
// sides read the same setting, so a run with another window still compares the same batching.
import type { Database } from "bun:sqlite";

const WINDOW_MS = Number(process.env.PANO_BATCH_WINDOW_MS ?? 2);

export function groupCommit(db: Database, windowMs = WINDOW_MS): (write: () => void) => Promise<void> {
  let queue: { write: () => void; done: () => void; fail: (e: unknown) => void }[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    try {
      db.exec("BEGIN IMMEDIATE");
      for (const j of batch) j.write();
      db.exec("COMMIT");
      for (const j of batch) j.done();
    } catch (e) {
      db.exec("ROLLBACK");
      for (const j of batch) j.fail(e);
    }
  };
  return (write) => new Promise<void>((done, fail) => {
    queue.push({ write, done, fail });
    if (!scheduled) {
      scheduled = true;
      if (windowMs > 0) setTimeout(flush, windowMs);
      else setImmediate(flush);
    }
  });
}
