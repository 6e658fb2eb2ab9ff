// Replies and notes: the message and its outbox row are written in one transaction, so a crash
// can neither lose a queued reply nor send one that is not recorded.
import type { Tx } from "./writer.ts";
import { previewOf } from "../domain/message.ts";
import { indexMessage } from "./search-index.ts";

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
  conversation_id: number;
}

/** Leases due rows so a second worker (or this one after a restart) does not send them too. */
/** Due rows, leased; none of a conversation in `busy` (one still sending keeps its replies in order). */
export function claimDue(tx: Tx, limit: number, leaseMs: number, busy: number[] = []): ClaimedRow[] {
  const skip = busy.length ? `AND (SELECT conversation_id FROM messages WHERE messages.id = outbox.message_id) NOT IN (${busy.map(() => "?").join(",")})` : "";
  return tx.db
    .query<ClaimedRow, number[]>(
      `UPDATE outbox SET lease_until = ?, attempts = attempts + 1
       WHERE id IN (SELECT id FROM outbox WHERE due_at <= ? AND (lease_until IS NULL OR lease_until < ?) ${skip} ORDER BY due_at, id LIMIT ?)
       RETURNING id, message_id, channel_id, attempts, (SELECT conversation_id FROM messages WHERE messages.id = outbox.message_id) AS conversation_id`,
    )
    .all(tx.now + leaseMs, tx.now, tx.now, ...busy, limit);
}

function messageConversation(tx: Tx, messageId: number): number {
  return tx.db.query<{ conversation_id: number }, [number]>("SELECT conversation_id FROM messages WHERE id = ?").get(messageId)?.conversation_id ?? 0;
}

export function markSent(tx: Tx, outboxId: number, messageId: number, externalId: string, extra: string[] = [], meta?: Record<string, unknown>): void {
  tx.db.query("DELETE FROM outbox WHERE id = ?").run(outboxId);
  // An echo may have recorded the id already; a unique clash means it did, and the status still moves on.
  const clash = tx.db
    .query<{ id: number }, [string, number, number]>("SELECT id FROM messages WHERE external_id = ? AND id != ? AND channel_id = (SELECT channel_id FROM messages WHERE id = ?)")
    .get(externalId, messageId, messageId);
  tx.db.query("UPDATE messages SET status = CASE WHEN status IN ('queued','failed') THEN 'sent' ELSE status END, external_id = coalesce(external_id, ?), error = NULL, error_vi = NULL, meta = json_patch(json_set(coalesce(meta, '{}'), '$.extra_external_ids', json(?)), ?) WHERE id = ?")
    .run(clash ? null : externalId, JSON.stringify(extra), JSON.stringify(meta ?? {}), messageId);
  tx.emit({ type: "message.updated", messageId, conversationId: messageConversation(tx, messageId) });
}

export function markRetry(tx: Tx, outboxId: number, messageId: number, dueAt: number, reason: string): void {
  tx.db.query("UPDATE outbox SET due_at = ?, lease_until = NULL, last_error = ? WHERE id = ?").run(dueAt, reason, outboxId);
  tx.db.query("UPDATE messages SET error = ? WHERE id = ?").run(reason, messageId);
  tx.emit({ type: "message.updated", messageId, conversationId: messageConversation(tx, messageId) });
}

export function markFailed(tx: Tx, outboxId: number, messageId: number, reason: string, reasonVi: string | null): void {
  tx.db.query("DELETE FROM outbox WHERE id = ?").run(outboxId);
  tx.db.query("UPDATE messages SET status = 'failed', error = ?, error_vi = ? WHERE id = ?").run(reason, reasonVi, messageId);
  tx.emit({ type: "message.updated", messageId, conversationId: messageConversation(tx, messageId) });
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
