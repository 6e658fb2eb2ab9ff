// Replies and notes: the message and its outbox row are written in one transaction, so a crash
// can neither lose a queued reply nor send one that is not recorded.
import type { Tx } from "./writer.ts";
import { previewOf } from "../domain/message.ts";
import { indexMessage } from "./search-index.ts";
import { prepared } from "./prepared.ts";
import { markForReports } from "./report-rollups.ts";

export interface ReplyInput {
  conversationId: number;
  text: string;
  private: boolean;
  userId: number | null;
  automatic?: boolean;
  attachments?: ReplyAttachment[];
  /** Kept on the message and handed to the channel's send (a template and its data). */
  meta?: Record<string, unknown>;
  /** When the outbox may send it (quiet hours); default now. */
  dueAt?: number;
}

export interface ReplyAttachment { kind: string; name: string; contentType: string; size: number; path: string }

export function createReply(tx: Tx, r: ReplyInput): number {
  const conv = tx.db.query<{ channel_id: number; contact_id: number; first_response_at: number | null }, [number]>(
    "SELECT channel_id, contact_id, first_response_at FROM conversations WHERE id = ?",
  ).get(r.conversationId);
  if (!conv) throw new Error("conversation not found");
  const status = r.private ? "sent" : "queued";
  const authorType = r.userId ? "user" : "system";
  const id = Number(
    tx.db
      .query(
        `INSERT INTO messages (conversation_id, channel_id, direction, private, author_type, author_id, text, status, automatic, meta, created_at)
         VALUES (?, ?, 'out', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.conversationId, conv.channel_id, r.private ? 1 : 0, authorType, r.userId, r.text, status, r.automatic ? 1 : 0,
        r.automatic || r.meta ? JSON.stringify({ ...(r.meta ?? {}), ...(r.automatic ? { automatic: true } : {}) }) : null, tx.now).lastInsertRowid,
  );
  indexMessage(tx.db, id, r.text);
  if (!r.private) markForReports(tx, r.conversationId);
  for (const a of r.attachments ?? []) {
    tx.db.query("INSERT INTO attachments (message_id, kind, name, content_type, size, path, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'stored', ?)")
      .run(id, a.kind, a.name, a.contentType, a.size, a.path, tx.now);
  }
  if (!r.private) {
    tx.db.query("INSERT INTO outbox (message_id, channel_id, due_at, created_at) VALUES (?, ?, ?, ?)").run(id, conv.channel_id, Math.max(r.dueAt ?? tx.now, tx.now), tx.now);
    tx.db
      .query(
        `UPDATE conversations SET last_message_at = ?, last_preview = ?, waiting_since = NULL, unread_count = 0,
         first_response_at = CASE WHEN ? THEN first_response_at ELSE coalesce(first_response_at, ?) END,
         message_count = message_count + 1, updated_at = ? WHERE id = ?`,
      )
      .run(tx.now, previewOf(r.text, (r.attachments ?? []).map((a) => a.kind)), r.automatic ? 1 : 0, tx.now, tx.now, r.conversationId);
    tx.emit({ type: "outbox.queued", messageId: id });
  } else {
    tx.db.query("UPDATE conversations SET message_count = message_count + 1, updated_at = ? WHERE id = ?").run(tx.now, r.conversationId);
  }
  tx.emit({ type: "message.created", messageId: id, conversationId: r.conversationId, channelId: conv.channel_id, contactId: conv.contact_id, direction: "out", private: r.private, automatic: !!r.automatic });
  return id;
}

export interface ClaimedRow {
  id: number;
  message_id: number;
  channel_id: number;
  attempts: number;
  due_at: number;
  conversation_id: number;
}

/**
 * Leases due rows so a second worker (or this one after a restart) does not send them too, in
 * queue order (due time, then id). None of a conversation in `exclude` (one sending keeps its
 * replies in order) unless the row is in `allow` (a held conversation's earliest reply), and none
 * of a channel in `fullChannels`.
 */
export function claimDue(tx: Tx, limit: number, leaseMs: number, exclude: number[] = [], allow: number[] = [], fullChannels: number[] = []): ClaimedRow[] {
  const rows = prepared<ClaimedRow, [number, number, string, string, number, string]>(
    tx.db,
    `UPDATE outbox SET lease_until = ?1, attempts = attempts + 1
     WHERE id IN (SELECT o.id FROM outbox o JOIN messages m ON m.id = o.message_id
       WHERE o.due_at <= ?2 AND (o.lease_until IS NULL OR o.lease_until < ?2)
         AND (m.conversation_id NOT IN (SELECT value FROM json_each(?3)) OR o.id IN (SELECT value FROM json_each(?4)))
         AND o.channel_id NOT IN (SELECT value FROM json_each(?6))
       ORDER BY o.due_at, o.id LIMIT ?5)
     RETURNING id, message_id, channel_id, attempts, due_at, (SELECT conversation_id FROM messages WHERE messages.id = outbox.message_id) AS conversation_id`,
  ).all(tx.now + leaseMs, tx.now, JSON.stringify(exclude), JSON.stringify(allow), limit, JSON.stringify(fullChannels));
  return rows.sort((a, b) => a.due_at - b.due_at || a.id - b.id);
}

/** Claimed rows handed back unsent (they wait behind a reply that is to be retried first): no attempt is counted. */
export function releaseClaims(tx: Tx, outboxIds: number[]): void {
  prepared<unknown, [string]>(tx.db, "UPDATE outbox SET lease_until = NULL, attempts = max(0, attempts - 1) WHERE id IN (SELECT value FROM json_each(?))")
    .run(JSON.stringify(outboxIds));
}

// The status moves on from queued (or failed: a retry that went out); an echo may have recorded
// the external id on another row already, and the unique index must not fail the mark for it.
const SENT = `UPDATE messages SET status = CASE WHEN status IN ('queued','failed') THEN 'sent' ELSE status END,
  external_id = CASE WHEN external_id IS NULL AND NOT EXISTS (SELECT 1 FROM messages o WHERE o.channel_id = messages.channel_id AND o.external_id = ?1 AND o.id != messages.id) THEN ?1 ELSE external_id END,
  error = NULL, error_vi = NULL`;

export function markSent(tx: Tx, outboxId: number, messageId: number, externalId: string, extra: string[] = [], meta?: Record<string, unknown>): void {
  prepared(tx.db, "DELETE FROM outbox WHERE id = ?").run(outboxId);
  // Most sends are one part with nothing to add: the JSON functions run only for the others.
  const m = extra.length || meta
    ? prepared<{ conversation_id: number }, [string, number, string, string]>(tx.db, `${SENT}, meta = json_patch(json_set(coalesce(meta, '{}'), '$.extra_external_ids', json(?3)), ?4) WHERE id = ?2 RETURNING conversation_id`)
      .get(externalId, messageId, JSON.stringify(extra), JSON.stringify(meta ?? {}))
    : prepared<{ conversation_id: number }, [string, number]>(tx.db, `${SENT} WHERE id = ?2 RETURNING conversation_id`).get(externalId, messageId);
  tx.emit({ type: "message.updated", messageId, conversationId: m?.conversation_id ?? 0 });
}

export function markRetry(tx: Tx, outboxId: number, messageId: number, dueAt: number, reason: string): void {
  prepared(tx.db, "UPDATE outbox SET due_at = ?, lease_until = NULL, last_error = ? WHERE id = ?").run(dueAt, reason, outboxId);
  const m = prepared<{ conversation_id: number }, [string, number]>(tx.db, "UPDATE messages SET error = ? WHERE id = ? RETURNING conversation_id").get(reason, messageId);
  tx.emit({ type: "message.updated", messageId, conversationId: m?.conversation_id ?? 0 });
}

export function markFailed(tx: Tx, outboxId: number, messageId: number, reason: string, reasonVi: string | null): void {
  prepared(tx.db, "DELETE FROM outbox WHERE id = ?").run(outboxId);
  const m = prepared<{ conversation_id: number }, [string, string | null, number]>(tx.db, "UPDATE messages SET status = 'failed', error = ?, error_vi = ? WHERE id = ? RETURNING conversation_id").get(reason, reasonVi, messageId);
  tx.emit({ type: "message.updated", messageId, conversationId: m?.conversation_id ?? 0 });
}

function messageConversation(tx: Tx, messageId: number): number {
  return tx.db.query<{ conversation_id: number }, [number]>("SELECT conversation_id FROM messages WHERE id = ?").get(messageId)?.conversation_id ?? 0;
}

/** The retry button: a failed message goes back to the queue. */
export function requeue(tx: Tx, messageId: number): boolean {
  const m = tx.db.query<{ channel_id: number; status: string; private: number }, [number]>("SELECT channel_id, status, private FROM messages WHERE id = ?").get(messageId);
  if (!m || m.status !== "failed" || m.private) return false;
  tx.db.query("UPDATE messages SET status = 'queued', error = NULL, error_vi = NULL WHERE id = ?").run(messageId);
  tx.db.query("INSERT INTO outbox (message_id, channel_id, due_at, created_at) VALUES (?, ?, ?, ?)").run(messageId, m.channel_id, tx.now, tx.now);
  tx.emit({ type: "outbox.queued", messageId });
  tx.emit({ type: "message.updated", messageId, conversationId: messageConversation(tx, messageId) });
  return true;
}
