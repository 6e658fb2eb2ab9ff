// The search thread (search-index-thread.ts): indexes customers' messages on a connection of its
// own, in turns taken through the write lock, a few thousand at a time.
import { Database } from "bun:sqlite";
import { WriteLock } from "./write-lock.ts";
import { indexPastPosition } from "./search-position.ts";

declare const self: Worker;

export type SearchIndexRequest = { open: { path: string; lock: SharedArrayBuffer; everyMs: number; chunk: number } } | { stop: true };
export type SearchIndexReport = { indexed: number } | { error: string } | { stopped: true };

const PAUSE_MS = 2;

let db: Database | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let stopping = false;

function turn(lock: WriteLock, everyMs: number, chunk: number) {
  timer = null;
  if (!db || stopping) return;
  let indexed = 0;
  try {
    // A backlog read first, without the lock: most turns under a light load find nothing to do.
    if (hasBacklog(db)) {
      lock.takeBlocking();
      try {
        indexed = db.transaction(() => indexPastPosition(db!, chunk)).immediate();
      } finally {
        lock.release();
      }
    }
    if (indexed) self.postMessage({ indexed } satisfies SearchIndexReport);
  } catch (err) {
    self.postMessage({ error: String((err as Error)?.message ?? err) } satisfies SearchIndexReport);
  }
  // A full chunk means more is waiting: the next turn comes soon, after a pause in which the main
  // writer, which waits without blocking, can take its turn.
  timer = setTimeout(() => turn(lock, everyMs, chunk), indexed === chunk ? PAUSE_MS : everyMs);
}

function hasBacklog(db: Database): boolean {
  return !!db.query<{ pending: number }, []>("SELECT (SELECT max(id) FROM messages) > coalesce((SELECT message_id FROM search_position WHERE id = 1), 0) AS pending").get()?.pending;
}

self.onmessage = (ev: MessageEvent<SearchIndexRequest>) => {
  const m = ev.data;
  if ("open" in m) {
    db = new Database(m.open.path);
    // Waits out a write the main thread makes outside its writer (which takes the lock instead).
    db.exec("PRAGMA busy_timeout = 5000");
    // No flush of its own while it holds the turn: the main writer's next WAL flush covers these
    // frames, and a crash that loses them loses the position with them (it is indexed again).
    db.exec("PRAGMA synchronous = NORMAL");
    const lock = new WriteLock(m.open.lock);
    const { everyMs, chunk } = m.open;
    // What an earlier run left is indexed at once; otherwise the first look is a period away.
    timer = setTimeout(() => turn(lock, everyMs, chunk), hasBacklog(db) ? 0 : everyMs);
    return;
  }
  stopping = true;
  if (timer) clearTimeout(timer);
  db?.close();
  db = null;
  self.postMessage({ stopped: true } satisfies SearchIndexReport);
};
