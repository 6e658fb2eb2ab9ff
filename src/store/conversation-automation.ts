// What Pano's own automation reads and writes on a conversation after commit: triage, routing
// rules, automatic assignment and the snooze waker. The per-message statements are prepared once
// per database: a burst runs them for every customer message.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";

/** The stored text and time of a message, for an emitter whose event did not carry them. */
export function messageTextOf(db: Database, messageId: number): { text: string; created_at: number } | null {
  return prepared<{ text: string; created_at: number }, [number]>(db, "SELECT text, created_at FROM messages WHERE id = ?").get(messageId);
}

/** Fields an agent (or an API client) set by hand on this conversation. */
export function humanSetFields(db: Database, conversationId: number): Set<string> {
  const rows = prepared<{ action: string }, [number]>(db,
    `SELECT DISTINCT action FROM audit_log WHERE conversation_id = ? AND actor_type IN ('user', 'api') AND action LIKE 'conversation.%'`,
  ).all(conversationId);
  return new Set(rows.map((r) => r.action.slice("conversation.".length)));
}

/** Has an agent corrected the triage of this conversation (confirming a value counts too)? */
export function triageCorrected(db: Database, conversationId: number): boolean {
  return prepared(db, "SELECT 1 FROM triage_corrections WHERE conversation_id = ? LIMIT 1").get(conversationId) !== null;
}

/** Did the customer write (a person, not an autoresponder) in this conversation before this message? */
export function hasEarlierInbound(db: Database, conversationId: number, messageId: number): boolean {
  return prepared(db, "SELECT 1 AS one FROM messages WHERE conversation_id = ? AND direction = 'in' AND automatic = 0 AND id < ? LIMIT 1").get(conversationId, messageId) !== null;
}

/** Has an automatic reply gone out in this conversation since `since`? */
export function autoReplySince(db: Database, conversationId: number, since: number): boolean {
  return prepared(db, "SELECT 1 FROM messages WHERE conversation_id = ? AND direction = 'out' AND automatic = 1 AND created_at > ? LIMIT 1").get(conversationId, since) !== null;
}

export function setWaitingSince(tx: Tx, conversationId: number, waitingSince: number | null): void {
  prepared(tx.db, "UPDATE conversations SET waiting_since = ? WHERE id = ?").run(waitingSince, conversationId);
}

/** The audit row that lets the timeline say which rule sent a conversation where. */
export function recordRuleFired(tx: Tx, conversationId: number, ruleId: number, data: unknown): void {
  prepared(tx.db, "INSERT INTO audit_log (actor_type, action, conversation_id, subject_type, subject_id, data, created_at) VALUES ('system', 'routing.rule_fired', ?, 'routing_rule', ?, ?, ?)")
    .run(conversationId, ruleId, JSON.stringify(data), tx.now);
}

/** Which team's queue and which agent hold the conversation now. */
export function placementOf(db: Database, conversationId: number): { team_id: number | null; assignee_id: number | null } | null {
  return prepared<{ team_id: number | null; assignee_id: number | null }, [number]>(db, "SELECT team_id, assignee_id FROM conversations WHERE id = ?").get(conversationId);
}

/** Snoozed conversations whose time is up, a bounded handful at a time. */
export function dueSnoozed(db: Database, now: number, limit: number): number[] {
  return db
    .query<{ id: number }, [number, number]>("SELECT id FROM conversations WHERE status = 'snoozed' AND snoozed_until IS NOT NULL AND snoozed_until <= ? LIMIT ?")
    .all(now, limit)
    .map((r) => r.id);
}
