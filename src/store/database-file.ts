// The database file as a whole, for backup and restore: a consistent copy of a live database and
// the check a restored copy must pass before it replaces anything.
import { Database } from "bun:sqlite";

/**
 * Copies the database at `dbPath` into the new file `copyPath` as of one read transaction, while
 * Pano keeps writing (SQLite's VACUUM INTO). Returns the copy's message count for the manifest.
 */
export function copyLiveDatabase(dbPath: string, copyPath: string): number {
  const db = new Database(dbPath);
  try {
    db.exec("PRAGMA busy_timeout = 10000");
    db.query("VACUUM INTO ?").run(copyPath);
    return countMessages(db);
  } finally {
    db.close();
  }
}

/** SQLite's integrity_check on a database file: the problems it lists (none when sound) and its message count. */
export function checkDatabaseFile(path: string): { problems: string[]; messages: number } {
  const db = new Database(path);
  try {
    const rows = db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").all();
    const problems = rows.length === 1 && rows[0].integrity_check === "ok" ? [] : rows.map((r) => r.integrity_check);
    return { problems, messages: problems.length ? 0 : countMessages(db) };
  } finally {
    db.close();
  }
}

const countMessages = (db: Database) => db.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM messages").get()?.n ?? 0;
