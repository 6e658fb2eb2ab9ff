// WAL checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside the COMMIT
// that crosses 1,000 pages of WAL, on whatever thread committed: for Pano, the one thread that
// answers webhooks, which then stood still while the pages were copied into the database file and
// both files flushed (about half of all the time COMMIT took under load). Here a worker thread
// with its own connection runs PASSIVE checkpoints whenever the WAL has changed, and the
// committing connection checkpoints only past BACKSTOP_PAGES. That backstop is what keeps the WAL
// from growing through a long peak: SQLite writes the WAL from its start again only when a write
// begins with every page already copied, which a thread copying every 100 ms rarely sees while
// commits come every few milliseconds; by then the thread has copied nearly everything, so the
// inline checkpoint is short. Should the thread fail to start or die, the connection checkpoints
// itself again at SQLite's default, as before.
import type { Database } from "bun:sqlite";
import { startBackgroundThread } from "./background-thread.ts";
import type { CheckpointReport, CheckpointRequest } from "./checkpoint-worker.ts";

// A compiled executable embeds the worker as an entrypoint of its own (scripts/build.ts), named by
// its path below src/ inside the executable's /$bunfs/root.
const ENTRY = import.meta.url.includes("$bunfs") ? "./store/checkpoint-worker.ts" : new URL("./checkpoint-worker.ts", import.meta.url).href;
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;
// 16 MB of WAL at 4 KB pages.
const BACKSTOP_PAGES = 4000;

export interface Checkpoints {
  /** Checkpoints that copied pages into the database file, since start. */
  readonly runs: number;
  /** Ends the thread (replication hands checkpoints to Litestream; shutdown). */
  stop(): Promise<void>;
}

export function checkpointOffThread(store: { sqlite: Database; path: string }, log: (msg: string, fields: Record<string, unknown>) => void, everyMs = 100): Checkpoints | null {
  let runs = 0;
  let failing = false;
  const thread = startBackgroundThread<CheckpointRequest, CheckpointReport>(
    ENTRY,
    (report) => {
      if ("checkpointed" in report) {
        runs++;
        failing = false;
      }
      // Said once per spell of failures (a full disk would otherwise say it ten times a second).
      if ("error" in report && !failing) {
        failing = true;
        log("checkpoint failed; retried on every change until it succeeds", { error: report.error });
      }
    },
    (error) => {
      store.sqlite.exec(`PRAGMA wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
      log("checkpoint thread failed; SQLite checkpoints on commit again", { error });
    },
  );
  if ("error" in thread) {
    log("checkpoint thread cannot start; SQLite checkpoints on commit", { error: thread.error });
    return null;
  }
  store.sqlite.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  thread.post({ open: { path: store.path, everyMs } });
  return {
    get runs() {
      return runs;
    },
    stop: () => thread.stop(),
  };
}
