// The WAL's fsync, off the JavaScript thread. With synchronous=FULL SQLite fsyncs the WAL inside
// COMMIT, and bun:sqlite is synchronous: the one thread that answers webhooks, serves the inbox and
// runs routing sat idle for every commit's disk flush (2 to 5 ms under load, a fifth of a busy
// webhook's cycle). Instead the connection runs synchronous=NORMAL (COMMIT writes the WAL frames
// but does not flush them) and this flushes the WAL file on a pool thread; the writer tells its
// callers "stored" only once a flush that began after their COMMIT has finished. The WAL is a log
// read in order after a crash (a frame counts only if every frame before it is whole), so one flush
// makes every commit before it durable; while it runs, the next batches commit and share the next
// flush. What a caller is told is exactly what FULL promised: on disk before "stored".
import { fsync, fstatSync, openSync, closeSync, statSync, fsyncSync } from "node:fs";

type Done = (err?: unknown) => void;

const RECHECK_MS = 1000;

export class WalSync {
  private fd?: number;
  private inode?: number;
  private flushing = false;
  private checkedAt = 0;
  private waiting: Done[] = [];
  private underWay: Done[] = [];
  /** Flushes finished since start (a flush covers every commit made before it began). */
  flushes = 0;

  constructor(private walPath: string) {}

  /** Calls `done` once everything committed so far is on disk (with the error, should the flush fail). */
  after(done: Done): void {
    this.waiting.push(done);
    if (!this.flushing) this.begin();
  }

  /** Flushes now, on this thread (shutdown), and settles whoever waits, including on a flush under way. */
  flushNow(): void {
    const done = [...this.underWay.splice(0), ...this.waiting.splice(0)];
    let error: unknown;
    try {
      if (done.length) fsyncSync(this.file());
    } catch (err) {
      error = err;
    }
    for (const d of done) d(error);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private begin() {
    const done = (this.underWay = this.waiting.splice(0));
    let fd: number;
    try {
      fd = this.file();
    } catch (err) {
      for (const d of done) d(err);
      return;
    }
    this.flushing = true;
    this.flush(fd, (err) => {
      this.flushing = false;
      this.flushes++;
      // Settled already if flushNow ran meanwhile.
      for (const d of done.splice(0)) d(err ?? undefined);
      if (this.waiting.length) this.begin();
    });
  }

  /** fsync(2) on a pool thread; the JavaScript thread goes on meanwhile. */
  protected flush(fd: number, done: (err: NodeJS.ErrnoException | null) => void): void {
    fsync(fd, done);
  }

  /** The WAL's descriptor, opened again if the file was replaced (a different inode at the path). */
  private file(): number {
    // Looked at once a second, not at every flush: a stat per flush was 2% of a webhook's time at
    // a peak, and SQLite replaces the WAL only when its last connection closes.
    const now = performance.now();
    if (this.fd !== undefined && now - this.checkedAt < RECHECK_MS) return this.fd;
    this.checkedAt = now;
    // After a COMMIT in WAL mode the file is there; missing, it was removed under us: say so.
    const ino = statSync(this.walPath).ino;
    if (this.fd !== undefined && ino === this.inode) return this.fd;
    this.close();
    this.fd = openSync(this.walPath, "r");
    this.inode = fstatSync(this.fd).ino;
    return this.fd;
  }
}
