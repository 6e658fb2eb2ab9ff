// The one writer. Everything submitted within a short window is committed in ONE transaction
// (group commit): with synchronous=FULL each commit costs an fsync, so batching is what makes
// thousands of durable messages per second possible on a small VPS. Each job runs inside its
// own savepoint, so one bad job fails alone; a failed COMMIT (disk full) fails the whole batch.
import type { Database, Statement } from "bun:sqlite";
import type { DomainEvent } from "../domain/events.ts";

export interface Tx {
  db: Database;
  now: number;
  emit(e: DomainEvent): void;
}

interface Job {
  run: (tx: Tx) => unknown;
  resolve: (v: any) => void;
  reject: (e: unknown) => void;
}

export class StoreUnavailable extends Error {
  constructor(public cause: unknown) {
    super(`database unavailable: ${String((cause as Error)?.message ?? cause)}`);
  }
}

export interface WriterStats {
  batches: number;
  jobs: number;
  failedBatches: number;
  lastBatchSize: number;
}

export class Writer {
  private queue: Job[] = [];
  private scheduled = false;
  private closed = false;
  readonly stats: WriterStats = { batches: 0, jobs: 0, failedBatches: 0, lastBatchSize: 0 };
  /**
   * Runs inside each batch's transaction after its jobs, with the events they emitted: rows that
   * must commit with what caused them (outgoing webhook deliveries). A failure here is logged and
   * rolled back alone; the batch still commits.
   */
  beforeCommit?: (tx: Tx, events: DomainEvent[]) => void;

  constructor(
    private db: Database,
    private opts: { windowMs: number; max: number; now?: () => number; afterCommit(events: DomainEvent[]): void },
  ) {}

  get depth(): number {
    return this.queue.length;
  }

  submit<T>(run: (tx: Tx) => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailable("writer is closed"));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve, reject });
      if (this.queue.length >= this.opts.max) this.flushSoon(true);
      else this.flushSoon(false);
    });
  }

  private flushSoon(now: boolean) {
    if (this.scheduled && !now) return;
    this.scheduled = true;
    if (now) queueMicrotask(() => this.flush());
    else if (this.opts.windowMs <= 0) setImmediate(() => this.flush());
    else setTimeout(() => this.flush(), this.opts.windowMs);
  }

  /** Commits whatever is queued now. Synchronous inside: no other JS runs mid-transaction. */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.opts.max);
      this.commit(batch);
    }
  }

  // Prepared once: at thousands of jobs a second, parsing "SAVEPOINT job" twice per job shows.
  private statements?: Record<"begin" | "commit" | "savepoint" | "release" | "rollbackTo", Statement>;
  private get sql() {
    const p = (q: string) => this.db.prepare(q);
    return (this.statements ??= { begin: p("BEGIN IMMEDIATE"), commit: p("COMMIT"), savepoint: p("SAVEPOINT job"), release: p("RELEASE job"), rollbackTo: p("ROLLBACK TO job") });
  }

  private commit(batch: Job[]) {
    const sql = this.sql;
    // One Tx for the whole batch; a failed job's events are cut off again at its mark.
    const events: DomainEvent[] = [];
    const tx: Tx = { db: this.db, now: this.opts.now?.() ?? Date.now(), emit: (e) => void events.push(e) };
    const values: unknown[] = new Array(batch.length);
    const failed: boolean[] = new Array(batch.length).fill(false);
    try {
      sql.begin.run();
    } catch (err) {
      this.stats.failedBatches++;
      for (const j of batch) j.reject(new StoreUnavailable(err));
      return;
    }
    try {
      for (let i = 0; i < batch.length; i++) {
        const mark = events.length;
        sql.savepoint.run();
        try {
          values[i] = batch[i].run(tx);
          sql.release.run();
        } catch (err) {
          sql.rollbackTo.run();
          sql.release.run();
          if (isStorageFailure(err)) throw err;
          events.length = mark;
          values[i] = err;
          failed[i] = true;
        }
      }
      if (events.length && this.beforeCommit) this.runBeforeCommit(tx, events);
      sql.commit.run();
    } catch (err) {
      try {
        this.db.exec("ROLLBACK");
      } catch {
        // already rolled back by SQLite (e.g. SQLITE_FULL aborts the transaction)
      }
      this.stats.failedBatches++;
      for (const j of batch) j.reject(new StoreUnavailable(err));
      return;
    }
    this.stats.batches++;
    this.stats.jobs += batch.length;
    this.stats.lastBatchSize = batch.length;
    for (let i = 0; i < batch.length; i++) {
      if (failed[i]) batch[i].reject(values[i]);
      else batch[i].resolve(values[i]);
    }
    if (events.length) this.opts.afterCommit(events);
  }

  private runBeforeCommit(tx: Tx, events: DomainEvent[]) {
    const sql = this.sql;
    sql.savepoint.run();
    try {
      this.beforeCommit!(tx, events);
      sql.release.run();
    } catch (err) {
      sql.rollbackTo.run();
      sql.release.run();
      if (isStorageFailure(err)) throw err;
      console.error(JSON.stringify({ level: "error", msg: "before-commit hook failed", error: String(err) }));
    }
  }

  /** Stop accepting, commit what is queued. */
  close(): void {
    this.closed = true;
    this.flush();
  }
}

/** Disk full, read-only volume, I/O errors: the whole batch fails and the caller gets 503. */
export function isStorageFailure(err: unknown): boolean {
  const code = String((err as { code?: string })?.code ?? "");
  const msg = String((err as Error)?.message ?? "");
  return /SQLITE_(FULL|IOERR|READONLY|BUSY|LOCKED|CANTOPEN|CORRUPT|NOMEM)/.test(code) || /disk is full|readonly|disk I\/O|database is locked/i.test(msg);
}
