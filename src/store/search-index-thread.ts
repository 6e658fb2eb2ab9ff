// Customers' messages are indexed for search on a thread of their own. Inline, the full-text index
// was about a tenth of the main thread's time per webhook (FTS5 tokenising each message, then
// writing a segment at every group commit), on the one thread that answers webhooks and serves
// the inbox, while the second core sat partly idle. The message itself is stored and acknowledged
// as before; the thread indexes what lies past `search_position` every EVERY_MS, up to CHUNK
// messages a turn, taking turns with the main writer through the write lock (write-lock.ts), so
// search finds a message a fraction of a second after it is stored. Through a peak (over 1,000
// messages a second) it indexes 2,000 a second and catches up once the peak passes, or once
// 100,000 wait (search-index-worker.ts). Agents' replies are still indexed in their own
// transaction. Should the thread fail to start or die, the main writer indexes inline again and
// first catches up from the position.
import type { Database } from "bun:sqlite";
import type { Writer } from "./writer.ts";
import type { WriteLock } from "./write-lock.ts";
import type { SearchIndexReport, SearchIndexRequest } from "./search-index-worker.ts";
import { startBackgroundThread } from "./background-thread.ts";
import { indexPastPosition, searchBacklog } from "./search-position.ts";
import { setIndexedByThread } from "./search-index.ts";

// A compiled executable embeds the worker as an entrypoint of its own (scripts/build.ts).
const ENTRY = import.meta.url.includes("$bunfs") ? "./store/search-index-worker.ts" : new URL("./search-index-worker.ts", import.meta.url).href;
const EVERY_MS = 200;
// A turn holds the write lock for ~15 ms at most (~7 us a message), which the main writer's
// webhooks wait out. Smaller turns were slower in all (250: 0.20-0.24 ms of CPU per webhook
// against 0.16-0.17): each turn's commit costs the main connection its page cache (SQLite's rule
// once another connection wrote), and each turn is a wake-up of both threads.
const CHUNK = 2000;

export interface SearchThread {
  /** Messages the thread has indexed since start. */
  readonly indexed: number;
  /**
   * Called before a search: what is not indexed yet is indexed now, by the main writer, when it is
   * at most one turn's worth, so a message stored a moment ago is found (an integration that posts
   * a message and then searches for it). Through a peak the backlog is larger and search lags.
   */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

type Log = (msg: string, fields: Record<string, unknown>) => void;

export function indexSearchOffThread(store: { sqlite: Database; path: string }, writer: Writer, lock: WriteLock, log: Log, everyMs = EVERY_MS): SearchThread | null {
  let indexed = 0;
  let failing = false;
  const thread = startBackgroundThread<SearchIndexRequest, SearchIndexReport>(
    ENTRY,
    (report) => {
      if ("indexed" in report) {
        indexed += report.indexed;
        failing = false;
      }
      if ("error" in report && !failing) {
        failing = true;
        log("search indexing failed; retried every turn until it succeeds", { error: report.error });
      }
    },
    (error) => {
      setIndexedByThread(store.sqlite, false);
      log("search thread failed; messages are indexed as they are stored again", { error });
      catchUpOnMain(writer, log);
    },
  );
  if ("error" in thread) {
    log("search thread cannot start; messages are indexed as they are stored", { error: thread.error });
    return null;
  }
  setIndexedByThread(store.sqlite, true);
  thread.post({ open: { path: store.path, lock: lock.buffer, everyMs, chunk: CHUNK } });
  return {
    get indexed() {
      return indexed;
    },
    async ready() {
      const backlog = searchBacklog(store.sqlite);
      if (backlog > 0 && backlog <= CHUNK) await writer.submit((tx) => indexPastPosition(tx.db, CHUNK), { rerunnable: true });
    },
    stop: () => thread.stop(),
  };
}

/** What the thread left: indexed by the main writer, a chunk per write, until nothing is past the position. */
function catchUpOnMain(writer: Writer, log: Log) {
  const next = (): Promise<unknown> =>
    writer.submit((tx) => indexPastPosition(tx.db, CHUNK)).then(
      (n) => n === CHUNK && next(),
      (err) => log("search catch-up failed; `pano search rebuild` indexes everything again", { error: String(err) }),
    );
  void next();
}
