// Opens the one SQLite database, sets the pragmas Pano relies on and applies migrations.
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { migrations } from "./migrations.ts";
import { privateDataDir, privateDir } from "./private-files.ts";
import { completeSearchBackfill } from "./search-index.ts";
import { WalSync } from "./wal-sync.ts";
import type { Checkpoints } from "./checkpoints.ts";
import { openPostgres } from "./postgres/connection.ts";
import { applyPostgresMigrations } from "./postgres/migrate.ts";

export interface Store {
  /** The database behind the store's door: SQLite's own, or PostgreSQL behind the same shape (postgres/). */
  sqlite: Database;
  kind: "sqlite" | "postgres";
  /** The SQLite file ("" on PostgreSQL). */
  path: string;
  close(): void;
  /** The checkpoint thread, when a server runs one (checkpoints.ts). */
  checkpoints?: Checkpoints | null;
}

/**
 * For a server asked for FULL: from here on the connection commits without flushing the WAL
 * (synchronous=NORMAL) and the writer given this flushes it off the JavaScript thread before any
 * caller hears "stored" (wal-sync.ts). Anything written on the connection outside the writer is
 * flushed with the writer's next flush or the next checkpoint. Undefined (SQLite flushes in COMMIT,
 * as before) for NORMAL, or when the database is not in WAL mode.
 */
export function flushWalOffThread(store: Pick<Store, "sqlite" | "path">, synchronous: "FULL" | "NORMAL"): WalSync | undefined {
  if (synchronous !== "FULL") return undefined;
  const mode = store.sqlite.query<{ journal_mode: string }, []>("PRAGMA journal_mode").get()?.journal_mode;
  if (mode !== "wal") return undefined;
  store.sqlite.exec("PRAGMA synchronous = NORMAL");
  return new WalSync(`${store.path}-wal`);
}

export function openStore(dataDir: string, opts: { synchronous?: "FULL" | "NORMAL"; cacheMb?: number; databaseUrl?: string | null } = {}): Store {
  if (opts.databaseUrl) {
    // No database here, but the customers' files may be: a folder an older version left readable is made private.
    privateDataDir(dataDir);
    return openPostgresStore(opts.databaseUrl);
  }
  privateDir(dataDir);
  const path = join(dataDir, "pano.db");
  const sqlite = new Database(path, { create: true, strict: true });
  // First: switching a new file to WAL and migrating take locks that another pano process
  // (serve starting while an operator runs user create) may hold for a moment.
  sqlite.exec("PRAGMA busy_timeout = 5000");
  switchToWal(sqlite);
  // Now that the WAL and SHM exist: a data dir an older version left readable is made private.
  privateDataDir(dataDir);
  connectionPragmas(sqlite, opts);
  applyMigrations(sqlite);
  // Rows stored before the search migration are indexed once, by code (SQLite cannot fold Vietnamese).
  completeSearchBackfill(sqlite);
  return { sqlite, kind: "sqlite", path, close: () => sqlite.close() };
}

/**
 * Two processes opening a new data dir at once (serve, or two `pano user create`) both switch it
 * to WAL, and SQLite can answer one of them SQLITE_BUSY at once, without waiting on its busy
 * handler (seen in 1 of ~25 such pairs): that one tries again for the same 5 s.
 */
function switchToWal(sqlite: Database): void {
  const until = Date.now() + 5000;
  for (;;) {
    try {
      sqlite.exec("PRAGMA journal_mode = WAL");
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > until) throw err;
      Bun.sleepSync(10 + Math.random() * 20);
    }
  }
}

/** PANO_DATABASE_URL: the same store on PostgreSQL, migrated by whichever instance locks first. */
function openPostgresStore(url: string): Store {
  const sqlite = openPostgres(url);
  try {
    applyPostgresMigrations(sqlite as unknown as Parameters<typeof applyPostgresMigrations>[0]);
    completeSearchBackfill(sqlite);
  } catch (err) {
    sqlite.close();
    throw err;
  }
  return { sqlite, kind: "postgres", path: "", close: () => sqlite.close() };
}

/**
 * A second writing connection to a database the main one has opened and migrated (the ingest
 * thread's): the same pragmas, its own WAL flush for FULL, and no checkpoints of its own (those
 * are the main side's: its checkpoint thread, or Litestream).
 */
export function openSecondWriter(path: string, opts: { synchronous: "FULL" | "NORMAL"; cacheMb: number }): Store & { walSync?: WalSync } {
  const sqlite = new Database(path, { strict: true });
  sqlite.exec("PRAGMA busy_timeout = 5000");
  connectionPragmas(sqlite, opts);
  sqlite.exec("PRAGMA wal_autocheckpoint = 0");
  const walSync = flushWalOffThread({ sqlite, path }, opts.synchronous);
  return { sqlite, kind: "sqlite", path, walSync, close: () => (walSync?.close(), sqlite.close()) };
}

/** What every connection to the database runs with (the main one, the ingest thread's). */
export function connectionPragmas(sqlite: Database, opts: { synchronous?: "FULL" | "NORMAL"; cacheMb?: number }): void {
  // FULL: a commit is on disk before the caller hears "stored" (webhooks answer 200 after it).
  sqlite.exec(`PRAGMA synchronous = ${opts.synchronous ?? "FULL"}`);
  sqlite.exec("PRAGMA foreign_keys = ON");
  // 32 MB by default: the pages every write and the inbox's first screen touch stay in it; the rest
  // of a large database is served from the OS page cache, which does not count against Pano's memory.
  sqlite.exec(`PRAGMA cache_size = -${Math.max(1, Math.round(opts.cacheMb ?? 32)) * 1024}`);
  sqlite.exec("PRAGMA temp_store = MEMORY");
}

/** All pending migrations in one write transaction, taken before looking at what is applied:
 *  two processes opening the same new data dir must not both apply the same migration. */
export function applyMigrations(sqlite: Database): string[] {
  const applied: string[] = [];
  sqlite.transaction(() => {
    sqlite.exec("CREATE TABLE IF NOT EXISTS pano_migrations (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)");
    const done = new Set(sqlite.query<{ tag: string }, []>("SELECT tag FROM pano_migrations").all().map((r) => r.tag));
    for (const m of migrations) {
      if (done.has(m.tag)) continue;
      for (const st of m.sql.split("--> statement-breakpoint").map((s) => s.trim()).filter(Boolean)) sqlite.exec(st);
      sqlite.query("INSERT INTO pano_migrations (tag, applied_at) VALUES (?, ?)").run(m.tag, Date.now());
      applied.push(m.tag);
    }
  }).immediate();
  return applied;
}

/**
 * With a replica, Litestream alone checkpoints the WAL: a checkpoint SQLite ran while Litestream
 * was down (killed, restarting) would restart the WAL under it, and Litestream would begin a new
 * generation, cutting point-in-time restores across the gap. Without a replica, SQLite's default
 * automatic checkpoint (every 1,000 pages) stays.
 */
export function leaveCheckpointsToLitestream(store: Store): void {
  void store.checkpoints?.stop();
  store.checkpoints = null;
  store.sqlite.exec("PRAGMA wal_autocheckpoint = 0");
}
