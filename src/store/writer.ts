// The one writer. Everything submitted within a short window is committed in ONE transaction
// (group commit): with synchronous=FULL each commit costs an fsync, so batching is what makes
// thousands of durable messages per second possible on a small VPS. Given a WalSync, that fsync
// runs off this thread and callers hear back once it is done (wal-sync.ts). One bad job fails alone (its
// own savepoint, or for re-runnable jobs a replay of the batch job by job); a failed COMMIT (disk
// full) fails the whole batch. On PostgreSQL a batch made to give way to another instance's
// (deadlock, serialization) is run again whole, so no job may act outside its transaction.
import type { Database, Statement } from "bun:sqlite";
import type { DomainEvent } from "../domain/events.ts";
import { refreshMarked } from "./report-rollups.ts";
import type { Tx } from "./tx.ts";
import type { WalSync } from "./wal-sync.ts";
import type { WriteLock } from "./write-lock.ts";

export type { Tx } from "./tx.ts";

interface BeforeCommit {
  run: (tx: Tx, events: DomainEvent[]) => void;
  everyBatch: boolean;
  last: boolean;
}

interface Job {
  run: (tx: Tx) => unknown;
  resolve: (v: any) => void;
  reject: (e: unknown) => void;
  rerunnable: boolean;
}

export interface SubmitOptions {
  /**
   * The job only reads and writes the database and emits events: running it again after a
   * rollback does exactly what running it once does. A batch made only of such jobs runs without
   * a savepoint per job (a savepoint copies every page a job touches into a sub-journal, a fifth
   * of ingest's cost); should one of them fail, the batch is rolled back and run again with
   * savepoints, so that job still fails alone.
   */
  rerunnable?: boolean;
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
   * Run inside each batch's transaction after its jobs, with the events they emitted, in the order
   * they were set: rows that must commit with what caused them (outgoing webhook deliveries, the
   * report roll-ups). Each failure is logged and rolled back alone; the batch still commits.
   */
  private hooks = new Map<string, BeforeCommit>();

  /**
   * Sets (or, with no hook, removes) the named hook; `everyBatch` runs it also for batches that
   * emitted no event; `last` runs it after every other hook, however they come and go (it takes a
   * lock held to the COMMIT: the live notices on PostgreSQL).
   */
  setBeforeCommit(name: string, hook?: (tx: Tx, events: DomainEvent[]) => void, opts: { everyBatch?: boolean; last?: boolean } = {}): void {
    if (hook) this.hooks.set(name, { run: hook, everyBatch: !!opts.everyBatch, last: !!opts.last });
    else this.hooks.delete(name);
    for (const [n, h] of [...this.hooks]) if (h.last) this.hooks.delete(n), this.hooks.set(n, h);
  }

  constructor(
    private db: Database,
    private opts: {
      windowMs: number;
      max: number;
      now?: () => number;
      afterCommit(events: DomainEvent[]): void;
      /** The connection commits without flushing (synchronous=NORMAL): callers hear back after this flushes the WAL. */
      walSync?: WalSync;
      /** Another thread writes the same database: turns are taken through this (write-lock.ts). */
      lock?: WriteLock;
      /** This writer's thread may block for its turn (the ingest thread; never the main thread). */
      blockingTurn?: boolean;
    },
  ) {
    // Whatever writes the database keeps the dashboard's roll-ups in the same transaction.
    this.setBeforeCommit("report-rollups", refreshMarked, { everyBatch: true });
  }

  get depth(): number {
    return this.queue.length;
  }

  submit<T>(run: (tx: Tx) => T, opts: SubmitOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailable("writer is closed"));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve, reject, rerunnable: opts.rerunnable === true });
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

  /** Commits whatever is queued now (or, while the other thread writes, as soon as it is this writer's turn). Synchronous inside: no other JS runs mid-transaction. */
  flush(): void {
    this.scheduled = false;
    const lock = this.opts.lock;
    if (!lock) return this.commitQueued();
    if (!this.queue.length) return;
    if (this.opts.blockingTurn) lock.takeBlocking();
    else if (!lock.tryTake()) {
      if (this.awaitingTurn) return;
      this.awaitingTurn = true;
      void lock.take().then(() => {
        this.awaitingTurn = false;
        this.commitInTurn(lock);
      });
      return;
    }
    this.commitInTurn(lock);
  }

  private awaitingTurn = false;

  private commitInTurn(lock: WriteLock) {
    try {
      this.commitQueued();
    } finally {
      lock.release();
    }
  }

  private commitQueued() {
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

  private commit(batch: Job[], attempt = 1): void {
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
      const together = batch.every((j) => j.rerunnable);
      if (!(together && this.runTogether(batch, tx, values))) {
        events.length = 0;
        // After a failed run together, straight to one savepoint each.
        this.runIsolated(batch, tx, events, values, failed, !together);
      }
      for (const [name, hook] of this.hooks) if (events.length || hook.everyBatch) this.runBeforeCommit(name, hook, tx, events);
      sql.commit.run();
    } catch (err) {
      try {
        this.db.exec("ROLLBACK");
      } catch {
        // already rolled back by SQLite (e.g. SQLITE_FULL aborts the transaction)
      }
      // On PostgreSQL another instance's batch may take the same rows in another order: one of the
      // two is chosen to give way, and only a whole rollback frees the rows it already holds. Every
      // job is then run again, not only re-runnable ones: the rollback left nothing of any of them,
      // and a caller (an agent's reply) must not hear 503 because two instances met on a row.
      if (isConflict(err) && attempt < CONFLICT_ATTEMPTS) {
        giveWay(attempt);
        return this.commit(batch, attempt + 1);
      }
      this.stats.failedBatches++;
      for (const j of batch) j.reject(new StoreUnavailable(err));
      return;
    }
    this.stats.batches++;
    this.stats.jobs += batch.length;
    this.stats.lastBatchSize = batch.length;
    const sync = this.opts.walSync;
    if (!sync) return this.settle(batch, values, failed, events);
    // The next batch may commit while this one's flush runs; it waits for a flush of its own.
    sync.after((err) => {
      if (err) {
        console.error(JSON.stringify({ level: "error", msg: "WAL flush failed", error: String(err) }));
        for (const j of batch) j.reject(new StoreUnavailable(err));
        // The rows are committed and visible: what reacts to them still hears of them.
        if (events.length) this.opts.afterCommit(events);
        return;
      }
      this.settle(batch, values, failed, events);
    });
  }

  /** Tells each caller its outcome, then the bus what the batch did: only once it is on disk. */
  private settle(batch: Job[], values: unknown[], failed: boolean[], events: DomainEvent[]) {
    for (let i = 0; i < batch.length; i++) {
      if (failed[i]) batch[i].reject(values[i]);
      else batch[i].resolve(values[i]);
    }
    if (events.length) this.opts.afterCommit(events);
  }

  /** Every job straight in the transaction; false (all undone) when one failed. */
  private runTogether(batch: Job[], tx: Tx, values: unknown[]): boolean {
    const sql = this.sql;
    try {
      for (let i = 0; i < batch.length; i++) values[i] = batch[i].run(tx);
      return true;
    } catch (err) {
      if (isStorageFailure(err)) throw err;
      // Undone whole and begun again: not even one savepoint is paid on the way that succeeds.
      this.db.exec("ROLLBACK");
      sql.begin.run();
      return false;
    }
  }

  /**
   * Each job in its own savepoint, so a failing job is undone alone and its caller hears why; a run
   * of consecutive re-runnable jobs (the ingest between two other writes) shares one savepoint,
   * and only if one of them fails are they run again one by one.
   */
  private runIsolated(batch: Job[], tx: Tx, events: DomainEvent[], values: unknown[], failed: boolean[], group: boolean) {
    for (let i = 0; i < batch.length; ) {
      let end = i + 1;
      while (group && end < batch.length && batch[i].rerunnable && batch[end].rerunnable) end++;
      if (end - i === 1 || !this.inSavepoint(tx, events, () => { for (let k = i; k < end; k++) values[k] = batch[k].run(tx); })) {
        for (let k = i; k < end; k++) {
          this.inSavepoint(tx, events, () => void (values[k] = batch[k].run(tx)), (err) => {
            values[k] = err;
            failed[k] = true;
          });
        }
      }
      i = end;
    }
  }

  /** Runs `work` in a savepoint; on failure undoes it and its events, and says so (storage failures end the batch). */
  private inSavepoint(tx: Tx, events: DomainEvent[], work: () => void, onFail?: (err: unknown) => void): boolean {
    const sql = this.sql;
    const mark = events.length;
    sql.savepoint.run();
    try {
      work();
      sql.release.run();
      return true;
    } catch (err) {
      sql.rollbackTo.run();
      sql.release.run();
      if (isStorageFailure(err)) throw err;
      events.length = mark;
      onFail?.(err);
      return false;
    }
  }

  private runBeforeCommit(name: string, hook: BeforeCommit, tx: Tx, events: DomainEvent[]) {
    this.inSavepoint(tx, events, () => hook.run(tx, events), (err) =>
      console.error(JSON.stringify({ level: "error", msg: "before-commit hook failed", hook: name, error: String(err) })));
  }

  /** Stop accepting, commit what is queued. */
  close(): void {
    this.closed = true;
    const lock = this.opts.lock;
    // At shutdown the other thread has stopped; should it still hold its turn, SQLite's own busy wait decides.
    if (lock?.tryTake()) this.commitInTurn(lock);
    else this.commitQueued();
    this.opts.walSync?.flushNow();
  }
}

const CONFLICT_ATTEMPTS = 5;
const GIVE_WAY = new Int32Array(new SharedArrayBuffer(4));

/**
 * Before running a batch again: a few milliseconds, more each time and never the same for two
 * instances, so the transaction that won can commit first instead of meeting this one again. It
 * blocks this thread on purpose: a later batch must not commit before this one (replies in order).
 */
function giveWay(attempt: number): void {
  Atomics.wait(GIVE_WAY, 0, 0, Math.random() * 5 * attempt);
}

/** PostgreSQL's deadlock and serialization failures: the transaction may simply be run again. */
function isConflict(err: unknown): boolean {
  const state = (err as { sqlState?: string })?.sqlState;
  return state === "40P01" || state === "40001";
}

/** Disk full, read-only volume, I/O errors: the whole batch fails and the caller gets 503. */
export function isStorageFailure(err: unknown): boolean {
  const code = String((err as { code?: string })?.code ?? "");
  const msg = String((err as Error)?.message ?? "");
  return /SQLITE_(FULL|IOERR|READONLY|BUSY|LOCKED|CANTOPEN|CORRUPT|NOMEM)/.test(code) || /disk is full|readonly|disk I\/O|database is locked/i.test(msg);
}
