// Statements prepared once per database for the ingest path: db.query() also caches, but pays a
// lookup by SQL text on every call, several times per stored message.
import type { Database, Statement, SQLQueryBindings } from "bun:sqlite";

const byDb = new WeakMap<Database, Map<string, Statement<any, any>>>();

export function prepared<R = unknown, P extends SQLQueryBindings[] = any[]>(db: Database, sql: string): Statement<R, P> {
  let cache = byDb.get(db);
  if (!cache) byDb.set(db, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = db.prepare(sql)));
  return s as Statement<R, P>;
}
