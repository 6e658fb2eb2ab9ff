// The bare baselines' writer, as Pano's: writes queued within 2 ms commit in one transaction
// (synchronous=FULL is the caller's pragma), and each caller hears once its write is on disk.
import type { Database } from "bun:sqlite";

export function groupCommit(db: Database): (write: () => void) => Promise<void> {
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
      setTimeout(flush, 2);
    }
  });
}
