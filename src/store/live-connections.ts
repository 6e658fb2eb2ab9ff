// Agents' live connections across instances, in PostgreSQL (migrations/postgres/0500): who is
// online is whoever has one open on any instance, for assignment and the dashboard.
import type { Database } from "bun:sqlite";
import type { PostgresDatabase } from "./postgres/connection.ts";

const pg = (db: Database) => db as unknown as PostgresDatabase;

/** This instance holds `connections` (0: none) of the agent's live connections, renewed until `until`. */
export function setConnections(db: Database, instance: string, userId: number, connections: number, until: number): void {
  if (connections > 0) {
    pg(db).native(
      `INSERT INTO pano_live_connections (instance, user_id, connections, until) VALUES ($1, $2, $3, $4)
       ON CONFLICT (instance, user_id) DO UPDATE SET connections = excluded.connections, until = excluded.until`,
      [instance, userId, connections, until],
    );
    pg(db).native("DELETE FROM pano_agents_offline WHERE user_id = $1", [userId]);
  } else {
    pg(db).native("DELETE FROM pano_live_connections WHERE instance = $1 AND user_id = $2", [instance, userId]);
  }
}

/** Marks the agent offline since `since` unless a connection is still open somewhere; true when marked. */
export function markOfflineUnlessConnected(db: Database, userId: number, since: number): boolean {
  return pg(db).native(
    `INSERT INTO pano_agents_offline (user_id, since) SELECT $1, $2
     WHERE NOT EXISTS (SELECT 1 FROM pano_live_connections WHERE user_id = $1 AND until > $2)
     ON CONFLICT (user_id) DO UPDATE SET since = excluded.since RETURNING 1`,
    [userId, since],
  ).length > 0;
}

/** This instance is still running: its rows count on until `until`; answers how many it has. */
export function renewConnections(db: Database, instance: string, until: number): number {
  return pg(db).native("UPDATE pano_live_connections SET until = $2 WHERE instance = $1 RETURNING 1", [instance, until]).length;
}

/** Agents with a live connection open on any instance now. */
export function connectedAnywhere(db: Database, now: number): number[] {
  return pg(db).native<{ user_id: number }>("SELECT DISTINCT user_id FROM pano_live_connections WHERE until > $1", [now]).map((r) => r.user_id);
}

export function isConnectedAnywhere(db: Database, userId: number, now: number): boolean {
  return pg(db).native("SELECT 1 FROM pano_live_connections WHERE user_id = $1 AND until > $2 LIMIT 1", [userId, now]).length > 0;
}

/** When the agent's last connection anywhere closed (null: never seen, or connected). */
export function offlineSince(db: Database, userId: number): number | null {
  return pg(db).native<{ since: number }>("SELECT since FROM pano_agents_offline WHERE user_id = $1", [userId])[0]?.since ?? null;
}

/** An instance leaving (or one long dead): its connections end. */
export function dropConnections(db: Database, instance: string | null, before: number): void {
  if (instance) pg(db).native("DELETE FROM pano_live_connections WHERE instance = $1", [instance]);
  pg(db).native("DELETE FROM pano_live_connections WHERE until <= $1", [before]);
}
