// Who has which conversation open, in PostgreSQL (migrations/postgres/0500) for instances behind
// one load balancer: an agent's heartbeat reaches any instance, and the collision warning must
// see them all (pipeline/agents-here.ts keeps the same in memory for one instance).
import type { Database } from "bun:sqlite";
import type { PostgresDatabase } from "./postgres/connection.ts";

const pg = (db: Database) => db as unknown as PostgresDatabase;

export interface HereRow {
  conversation_id: number;
  user_id: number;
  name: string;
  typing_until: number;
}

/** A tab has the conversation open until `until`. */
export function markViewing(db: Database, conversationId: number, user: { id: number; name: string }, tab: string, until: number): void {
  pg(db).native(
    `INSERT INTO pano_agents_here (conversation_id, user_id, tab, name, until) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (conversation_id, user_id, tab) DO UPDATE SET name = excluded.name, until = excluded.until`,
    [conversationId, user.id, tab, user.name, until],
  );
}

/** Typing until `typingUntil`; a typing signal with no tab open yet counts as tab `tab` until `until`. */
export function markTyping(db: Database, conversationId: number, user: { id: number; name: string }, typingUntil: number, tab: string, until: number, now: number): void {
  pg(db).native(
    `INSERT INTO pano_agents_here (conversation_id, user_id, tab, name, until, typing_until)
     SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM pano_agents_here WHERE conversation_id = $1 AND user_id = $2 AND until > $7)
     ON CONFLICT (conversation_id, user_id, tab) DO UPDATE SET until = excluded.until`,
    [conversationId, user.id, tab, user.name, until, typingUntil, now],
  );
  pg(db).native("UPDATE pano_agents_here SET typing_until = $3 WHERE conversation_id = $1 AND user_id = $2", [conversationId, user.id, typingUntil]);
}

/** Still there, no longer typing; false when they were not typing. */
export function clearTyping(db: Database, conversationId: number, userId: number, now: number): boolean {
  return pg(db).native("UPDATE pano_agents_here SET typing_until = 0 WHERE conversation_id = $1 AND user_id = $2 AND typing_until > $3 RETURNING 1", [conversationId, userId, now]).length > 0;
}

/** A tab left, with the typing tab `typingTab` (null: all of the agent's tabs in the conversation). */
export function removeTab(db: Database, conversationId: number, userId: number, tab: string | null, typingTab: string): void {
  if (tab === null) pg(db).native("DELETE FROM pano_agents_here WHERE conversation_id = $1 AND user_id = $2", [conversationId, userId]);
  else pg(db).native("DELETE FROM pano_agents_here WHERE conversation_id = $1 AND user_id = $2 AND tab IN ($3, $4)", [conversationId, userId, tab, typingTab]);
}

/** The agent is in no conversation any more; answers the conversations they left. */
export function removeAgent(db: Database, userId: number): number[] {
  return pg(db).native<{ conversation_id: number }>("DELETE FROM pano_agents_here WHERE user_id = $1 RETURNING conversation_id", [userId]).map((r) => r.conversation_id);
}

/** Who is in a conversation now (null: in every conversation), one row per agent. */
export function agentsHereNow(db: Database, conversationId: number | null, now: number): HereRow[] {
  return pg(db).native<HereRow>(
    `SELECT conversation_id, user_id, max(name) AS name, max(typing_until) AS typing_until FROM pano_agents_here
     WHERE until > $1 AND ($2::bigint IS NULL OR conversation_id = $2) GROUP BY conversation_id, user_id ORDER BY conversation_id, user_id`,
    [now, conversationId],
  );
}

/** Tabs that stopped saying so long ago. */
export function pruneAgentsHere(db: Database, before: number): void {
  pg(db).native("DELETE FROM pano_agents_here WHERE until <= $1", [before]);
}
