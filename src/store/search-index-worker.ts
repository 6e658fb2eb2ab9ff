// The search thread (search-index-thread.ts): indexes customers' messages on a connection of its
// own, in turns taken through the write lock, a few thousand at a time.
import { Database } from "bun:sqlite";
import { WriteLock } from "./write-lock.ts";
import { indexPastPosition, searchProgress } from "./search-position.ts";

declare const self: Worker;

export type SearchIndexRequest = { open: { path: string; lock: SharedArrayBuffer; everyMs: number; chunk: number } } | { stop: true };
export type SearchIndexReport = { indexed: number } | { error: string } | { stopped: true };

const PAUSE_MS = 2;
/**
 * Through a peak the index yields, as triage does: each turn holds the write lock the webhooks
 * commit under, and costs the main connection its page cache. While messages arrive faster than
 * PEAK_RATE a second, a turn comes once every PEAK_PAUSE_MS (CHUNK a second at most, ~1.5% of the
 * time holding the lock), and the rest waits for the peak to pass, unless more than
 * MAX_PEAK_BACKLOG wait (~20 s of a 5,000 msg/s sale): then it keeps pace again.
 */
const PEAK_RATE = 1000;
const PEAK_PAUSE_MS = 1000;
const MAX_PEAK_BACKLOG = 100_000;

let db: Database | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let stopping = false;
let last = { top: 0, at: 0 };

function turn(lock: WriteLock, everyMs: number, chunk: number) {
  timer = null;
  if (!db || stopping) return;
  let indexed = 0;
  let next = everyMs;
  try {
    // Read first, without the lock: most turns under a light load find nothing to do.
    const { top, position } = searchProgress(db);
    const now = performance.now();
    const peak = last.at > 0 && ((top - last.top) * 1000) / (now - last.at) > PEAK_RATE;
    last = { top, at: now };
    if (top > position) {
      lock.takeBlocking();
      try {
        indexed = db.transaction(() => indexPastPosition(db!, chunk)).immediate();
      } finally {
        lock.release();
      }
      // More waiting: soon, after a pause in which the main writer (which waits without blocking) takes its turn.
      if (peak && top - position < MAX_PEAK_BACKLOG) next = PEAK_PAUSE_MS;
      else if (indexed === chunk) next = PAUSE_MS;
    }
    if (indexed) self.postMessage({ indexed } satisfies SearchIndexReport);
  } catch (err) {
    self.postMessage({ error: String((err as Error)?.message ?? err) } satisfies SearchIndexReport);
  }
  timer = setTimeout(() => turn(lock, everyMs, chunk), next);
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
    const { top, position } = searchProgress(db);
    timer = setTimeout(() => turn(lock, everyMs, chunk), top > position ? 0 : everyMs);
    return;
  }
  stopping = true;
  if (timer) clearTimeout(timer);
  db?.close();
  db = null;
  self.postMessage({ stopped: true } satisfies SearchIndexReport);
};
