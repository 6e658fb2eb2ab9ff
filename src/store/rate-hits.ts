// Rate limits counted in PostgreSQL (migrations/postgres/0500), for instances behind one load
// balancer: an address guessing passwords is counted the same whichever instance it reaches.
import type { Database } from "bun:sqlite";
import type { PostgresDatabase } from "./postgres/connection.ts";

const pg = (db: Database) => db as unknown as PostgresDatabase;

/**
 * Counts an attempt of `key` unless `max` are already counted within the window; true when this
 * one was allowed. Counted first, then compared with those before it (by id), so two instances
 * taking the last place at once cannot both get it: the later one takes its hit back.
 */
export function takeHit(db: Database, scope: string, key: string, max: number, windowMs: number, now: number): boolean {
  const [{ id }] = pg(db).native<{ id: number }>("INSERT INTO pano_rate_hits (scope, key, until) VALUES ($1, $2, $3) RETURNING id", [scope, key, now + windowMs]);
  const [{ n }] = pg(db).native<{ n: number }>("SELECT count(*)::int AS n FROM pano_rate_hits WHERE scope = $1 AND key = $2 AND until > $3 AND id < $4", [scope, key, now, id]);
  if (n < max) return true;
  pg(db).native("DELETE FROM pano_rate_hits WHERE id = $1", [id]);
  return false;
}

/** Whether `key` has used up its allowance, without counting this look. */
export function hitsExhausted(db: Database, scope: string, key: string, max: number, now: number): boolean {
  const [{ n }] = pg(db).native<{ n: number }>("SELECT count(*)::int AS n FROM pano_rate_hits WHERE scope = $1 AND key = $2 AND until > $3", [scope, key, now]);
  return n >= max;
}

/** Takes back the latest counted attempt of `key` (one that turned out fine). */
export function forgiveHit(db: Database, scope: string, key: string): void {
  pg(db).native("DELETE FROM pano_rate_hits WHERE id = (SELECT max(id) FROM pano_rate_hits WHERE scope = $1 AND key = $2)", [scope, key]);
}

/** Hits whose window has passed, of every scope and key. */
export function pruneHits(db: Database, now: number): void {
  pg(db).native("DELETE FROM pano_rate_hits WHERE until <= $1", [now]);
}
