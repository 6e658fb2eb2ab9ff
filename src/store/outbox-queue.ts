// Cheap reads on the outbox for its worker and the metrics: is anything due, how deep is it.
// Claiming and marking rows are writes and live in outbound.ts.
import type { Database } from "bun:sqlite";
import { prepared } from "./prepared.ts";

/** Is any row due and not leased by a send under way? */
export function outboxHasDue(db: Database, now: number): boolean {
  return prepared(db, "SELECT 1 FROM outbox WHERE due_at <= ? AND (lease_until IS NULL OR lease_until < ?) LIMIT 1").get(now, now) !== null;
}

export function outboxDepth(db: Database): number {
  return prepared<{ n: number }, []>(db, "SELECT count(*) AS n FROM outbox").get()?.n ?? 0;
}

/** When the next row waiting for its time (a retry, quiet hours) falls due, if any. */
export function outboxNextDue(db: Database, now: number): number | null {
  return prepared<{ t: number | null }, [number]>(db, "SELECT min(due_at) AS t FROM outbox WHERE due_at > ?").get(now)?.t ?? null;
}

/**
 * Conversations whose replies must wait behind their earliest one, as a process finds them when it
 * starts: one of their rows is leased (a send a stopped or crashed process had under way) or waits
 * for a retry. Each with the id of its earliest row, the only one of it that may go first.
 */
export function outboxHeldConversations(db: Database, now: number): { conversation_id: number; id: number }[] {
  return prepared<{ conversation_id: number; id: number }, [number]>(
    db,
    `SELECT m.conversation_id, min(o.id) AS id FROM outbox o JOIN messages m ON m.id = o.message_id
     WHERE m.conversation_id IN (SELECT m2.conversation_id FROM outbox o2 JOIN messages m2 ON m2.id = o2.message_id
       WHERE o2.lease_until > ?1 OR (o2.attempts > 0 AND o2.due_at > ?1))
     GROUP BY m.conversation_id`,
  ).all(now);
}

/** Which of these outbox rows still exist (a held reply may be settled elsewhere: its conversation deleted). */
export function outboxRowsPresent(db: Database, ids: number[]): Set<number> {
  const rows = prepared<{ id: number }, [string]>(db, "SELECT id FROM outbox WHERE id IN (SELECT value FROM json_each(?))").all(JSON.stringify(ids));
  return new Set(rows.map((r) => r.id));
}
