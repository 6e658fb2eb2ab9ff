// PostgreSQL behind the same door as SQLite. The store is written against bun:sqlite's
// synchronous Database (query().get/all/run, exec, transaction), and so are its ~90 modules and
// their callers; PostgresDatabase keeps that shape. Each statement goes to a worker thread that
// owns one connection (connection-worker.ts) while this thread waits on shared memory, as it
// waits on SQLite's disk: about 0.1 ms per statement over a local socket. SQLite's spelling is
// translated once per statement text (dialect.ts). Errors carry SQLite's codes (SQLITE_CONSTRAINT_
// UNIQUE, SQLITE_FULL, SQLITE_IOERR, ...), so the store's callers keep one vocabulary.
import type { Database } from "bun:sqlite";
import { receiveMessageOnPort } from "node:worker_threads";
import { translate, type Catalog } from "./dialect.ts";
import { describePostgres, postgresOptions } from "./options.ts";
import type { Answer, Mode, Request } from "./connection-worker.ts";

// A compiled executable embeds the worker as an entrypoint of its own (scripts/build.ts).
const ENTRY = import.meta.url.includes("$bunfs") ? "./store/postgres/connection-worker.ts" : new URL("./connection-worker.ts", import.meta.url).href;
// Longer than any statement Pano runs; past it the database counts as unavailable (503).
const ANSWER_WITHIN_MS = 60_000;
// While waiting, the shared flag is looked at again at least this often (a notify is never missed for longer).
const ANSWER_POLL_MS = 50;

export class PostgresError extends Error {
  constructor(message: string, readonly code: string, readonly sqlState?: string) {
    super(message);
  }
}

// SQLSTATE -> the SQLite code the store's callers already handle.
function sqliteCode(sqlState: string | undefined, code: string | undefined): string {
  switch (sqlState) {
    case "23505": return "SQLITE_CONSTRAINT_UNIQUE";
    case "23503": return "SQLITE_CONSTRAINT_FOREIGNKEY";
    case "23502": return "SQLITE_CONSTRAINT_NOTNULL";
    case "23514": return "SQLITE_CONSTRAINT_CHECK";
    case "53100": return "SQLITE_FULL";
    case "53200": return "SQLITE_NOMEM";
    case "25006": return "SQLITE_READONLY";
    case "40001": case "40P01": case "55P03": return "SQLITE_BUSY";
  }
  if (sqlState?.startsWith("08") || sqlState?.startsWith("57") || /^(ECONN|CONNECT|CONNECTION_)/.test(code ?? "")) return "SQLITE_IOERR";
  return "SQLITE_ERROR";
}

type Bindings = unknown[];

export interface RunResult {
  changes: number;
  lastInsertRowid: number;
}

class PostgresStatement {
  private translated: { text: string; returnsId: boolean } | null = null;
  constructor(private readonly db: PostgresDatabase, private readonly source: string) {}

  private text() {
    return (this.translated ??= this.db.translate(this.source));
  }
  all(...params: Bindings): any[] {
    return this.db.call({ sql: this.text().text, params: bind(params), mode: "rows" }).rows ?? [];
  }
  get(...params: Bindings): any {
    return this.all(...params)[0] ?? null;
  }
  values(...params: Bindings): unknown[][] {
    return (this.db.call({ sql: this.text().text, params: bind(params), mode: "values" }).rows ?? []) as unknown[][];
  }
  run(...params: Bindings): RunResult {
    const t = this.text();
    const a = this.db.call({ sql: t.text, params: bind(params), mode: "run" });
    this.db.observe(t.text);
    const first = a.rows?.[0] as { id?: number } | undefined;
    return { changes: a.count ?? 0, lastInsertRowid: t.returnsId && first?.id != null ? first.id : 0 };
  }
  *iterate(...params: Bindings): IterableIterator<any> {
    yield* this.all(...params);
  }
  finalize(): void {}
}

// bun:sqlite takes run(a, b) and run([a, b]); booleans are stored as 1 and 0 there.
function bind(params: Bindings): unknown[] {
  const list = params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params;
  return list.map((p) => (p === undefined ? null : typeof p === "boolean" ? (p ? 1 : 0) : typeof p === "bigint" ? String(p) : p));
}

export class PostgresDatabase {
  readonly dialect = "postgres" as const;
  readonly filename: string;
  inTransaction = false;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag: Int32Array;
  private readonly statements = new Map<string, PostgresStatement>();
  private readonly keys = new Map<string, string[]>();
  private readonly ids = new Map<string, boolean>();
  private depth = 0;
  private closed = false;
  private seq = 0;
  /** Answers that came after their call had given up (each one a statement that outlived ANSWER_WITHIN_MS). */
  lateAnswers = 0;

  /** `answerWithinMs`: how long a call waits for its answer (tests shorten it). */
  constructor(url: string, private readonly answerWithinMs = ANSWER_WITHIN_MS) {
    const options = postgresOptions(url);
    this.filename = `postgres:${options.database}`;
    const signal = new SharedArrayBuffer(4);
    this.flag = new Int32Array(signal);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(ENTRY);
    (this.worker as Worker & { unref(): void }).unref();
    this.worker.postMessage({ options, port: port2, signal }, [port2]);
    try {
      this.wait();
    } catch (err) {
      this.worker.terminate();
      // Said for an operator: which server, and why (the password left out).
      const e = err as PostgresError;
      throw new PostgresError(`cannot connect to PostgreSQL at ${describePostgres(url)}: ${e.message}`, e.code, e.sqlState);
    }
  }

  /** The statement as PostgreSQL says it. */
  translate(sql: string) {
    return translate(sql, this.catalog);
  }

  private readonly catalog: Catalog = {
    primaryKey: (table) => {
      let key = this.keys.get(table);
      if (!key) {
        key = this.native<{ column_name: string }>(
          `SELECT a.attname AS column_name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
           WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
          [`"${table}"`],
        ).map((r) => r.column_name);
        if (key.length) this.keys.set(table, key);
      }
      return key;
    },
    hasId: (table) => {
      let has = this.ids.get(table);
      if (has === undefined) {
        has = this.native(`SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'id'`, [table]).length > 0;
        // Tables are made by migrations at start; one not there yet is asked again.
        if (has) this.ids.set(table, has);
      }
      return has;
    },
  };

  call(req: Request): Answer {
    if (this.closed) throw new PostgresError("the database connection is closed", "SQLITE_MISUSE");
    const seq = ++this.seq;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ ...req, seq });
    return this.wait(req.sql, seq);
  }

  /**
   * The answer numbered `seq`. An answer to an earlier call that gave up waiting (its statement
   * outlived ANSWER_WITHIN_MS) may still come first: it is dropped, never read as this call's.
   * Before answers were numbered, one such late answer made every later call read the answer of
   * the call before it, for the life of the process (a second instance then saw no new channel,
   * no new token: bench/postgres, 2026-12-05).
   */
  private wait(sql?: string, seq = 0): Answer {
    const deadline = Date.now() + this.answerWithinMs;
    let a: Answer | undefined;
    // The flag was cleared before the call was posted, so the first wait ends at its answer (or
    // at a late one, which is dropped; then the flag is cleared and the port looked at once more,
    // so an answer posted in between is not slept through).
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new PostgresError(`PostgreSQL did not answer within ${this.answerWithinMs / 1000} s`, "SQLITE_IOERR");
      Atomics.wait(this.flag, 0, 0, Math.min(left, ANSWER_POLL_MS));
      if ((a = this.nextAnswer(seq))) break;
      Atomics.store(this.flag, 0, 0);
      if ((a = this.nextAnswer(seq))) break;
    }
    if (a.error) {
      // The statement is named: a PostgreSQL error alone rarely says which of Pano's it was.
      const where = sql ? ` [in: ${sql.length > 240 ? sql.slice(0, 240) + "..." : sql}]` : "";
      const err = new PostgresError(`${a.error.message}${a.error.detail ? ` (${a.error.detail})` : ""}${where}`, sqliteCode(a.error.sqlState, a.error.code), a.error.sqlState);
      if (this.inTransaction && a.error.sqlState === undefined && sqliteCode(undefined, a.error.code) === "SQLITE_IOERR") this.inTransaction = false;
      throw err;
    }
    return a;
  }

  /** The queued answer numbered `seq` (seq 0: the worker's first, unnumbered answer), late ones dropped. */
  private nextAnswer(seq: number): Answer | undefined {
    for (;;) {
      const m = receiveMessageOnPort(this.port as unknown as import("node:worker_threads").MessagePort);
      if (!m) return undefined;
      const a = m.message as Answer;
      if ((a.seq ?? 0) === seq) return a;
      this.lateAnswers++;
    }
  }

  /** Keeps inTransaction true between BEGIN and COMMIT/ROLLBACK, as bun:sqlite reports it. */
  observe(text: string): void {
    const head = text.trimStart().slice(0, 12).toUpperCase();
    if (head.startsWith("BEGIN")) this.inTransaction = true;
    else if (head.startsWith("COMMIT") || head.startsWith("END") || (head.startsWith("ROLLBACK") && !/^ROLLBACK\s+TO/i.test(text.trimStart()))) this.inTransaction = false;
  }

  query(sql: string): PostgresStatement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = new PostgresStatement(this, sql)));
    return s;
  }
  prepare(sql: string): PostgresStatement {
    return this.query(sql);
  }
  run(sql: string, ...params: Bindings): RunResult {
    return this.query(sql).run(...params);
  }

  /** One or more statements without parameters (DDL, PRAGMA-free scripts). */
  exec(sql: string, ...params: Bindings): void {
    if (params.length) {
      this.query(sql).run(...params);
      return;
    }
    const t = this.translate(sql).text;
    if (/^\s*PRAGMA\b/i.test(sql)) return;
    this.call({ sql: t, mode: "script" });
    this.observe(t);
  }

  /** PostgreSQL's own SQL, as written ($1 parameters). */
  native<R = Record<string, unknown>>(sql: string, params: unknown[] = []): R[] {
    return (this.call({ sql, params: bind(params), mode: "rows" }).rows ?? []) as R[];
  }

  transaction<A extends unknown[], R>(fn: (...args: A) => R) {
    const run = (begin: string) => (...args: A): R => {
      const nested = this.depth > 0 || this.inTransaction;
      const name = `pano_tx_${this.depth}`;
      this.exec(nested ? `SAVEPOINT ${name}` : begin);
      this.depth++;
      try {
        const out = fn(...args);
        this.depth--;
        this.exec(nested ? `RELEASE SAVEPOINT ${name}` : "COMMIT");
        return out;
      } catch (err) {
        this.depth--;
        try {
          this.exec(nested ? `ROLLBACK TO SAVEPOINT ${name}` : "ROLLBACK");
          if (nested) this.exec(`RELEASE SAVEPOINT ${name}`);
        } catch {
          // The connection is gone; the transaction went with it.
          if (!nested) this.inTransaction = false;
        }
        throw err;
      }
    };
    return Object.assign(run("BEGIN"), { deferred: run("BEGIN"), immediate: run("BEGIN"), exclusive: run("BEGIN") });
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call({ close: true } as unknown as Request);
    } catch {
      // Closing a connection that already failed.
    }
    this.closed = true;
    this.worker.terminate();
  }
}

/** Opens PANO_DATABASE_URL behind bun:sqlite's shape (the type the store is written against). */
export function openPostgres(url: string): Database {
  return new PostgresDatabase(url) as unknown as Database;
}

export function isPostgres(db: Database | PostgresDatabase): boolean {
  return (db as PostgresDatabase).dialect === "postgres";
}

export type { Mode };
