// Replies and notes: the message and its outbox row are written in one transaction, so a crash
// can neither lose a queued reply nor send one that is not recorded.
import type { Tx } from "./writer.ts";
import { previewOf } from "../domain/message.ts";
import { indexMessage } from "./search-index.ts";
import { prepared } from "./prepared.ts";
import { markForReports } from "./report-rollups.ts";
import { isPostgres, type PostgresDatabase } from "./postgres/connection.ts";

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
  if (isPostgres(tx.db)) return claimDueAcrossInstances(tx, limit, leaseMs, exclude, allow, fullChannels);
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

// PostgreSQL, where several instances claim from one outbox. What `exclude` and `allow` say about
// this process, the rows say about every instance: a conversation with an unexpired lease is being
// sent by someone; one with a tried row waiting for its retry is held behind it; a tried row (a
// retry come due, or a claim whose instance died) goes before the conversation's later rows, and
// alone. Two instances claiming at the same instant under READ COMMITTED: SKIP LOCKED alone is not
// enough, since the "no other row of this conversation in flight" check reads the statement's
// snapshot: instance B, whose statement began before A's claim committed, would skip A's locked row
// and take the conversation's next one, or (A's row committed by the time B gets to it) see A's
// lease too late. So the claim is two statements in one transaction. The first picks the
// candidate conversations and takes a transaction-scoped advisory lock per conversation with
// pg_try_advisory_xact_lock (try: a conversation another claim is taking right now is skipped,
// never waited for, and the main thread never blocks on another instance). The second, a new
// statement and so a new snapshot taken after the locks were granted, sees every claim committed
// before it (a lock is released only after its transaction's commit is visible), checks the rows
// the first one picked again and leases those still claimable, FOR UPDATE SKIP LOCKED against
// anything else holding a row (a settle under way). A lock per conversation rather than row locks
// on all of its rows: those would write every row they lock and collide with the settling of rows
// in flight, where an advisory lock is an entry in shared memory. The locks go with the commit;
// the leases are what last.
/** The advisory lock class of outbox claims (two-key form: class, conversation); "outb" in ASCII. */
export const OUTBOX_CLAIM_LOCK = 0x6f757462;

// Conversations with a tried row (every leased row has been tried): whether one is in flight or
// waits for its retry, and the earliest, the only row of theirs that may go next.
const TRIED = `tried AS MATERIALIZED (
    SELECT m.conversation_id, bool_or(coalesce(b.lease_until, 0) >= $1 OR b.due_at > $1) AS busy, min(b.id) AS first
    FROM outbox b JOIN messages m ON m.id = b.message_id WHERE b.attempts > 0 GROUP BY m.conversation_id)`;

// The conversation is looked up row by row (OFFSET 0 keeps the lookup from becoming a join over all
// messages), so the walk in id order stops at the limit however long the queue is. Oldest queued
// first: SQLite's claim goes by due time, which differs only for rows that were retried or waited
// for quiet hours, and a lane still sends its rows by due time.
const CLAIMABLE = `FROM outbox o CROSS JOIN LATERAL (SELECT conversation_id FROM messages WHERE id = o.message_id OFFSET 0) m
  LEFT JOIN tried t ON t.conversation_id = m.conversation_id
  WHERE o.due_at <= $1 AND (o.lease_until IS NULL OR o.lease_until < $1)
    AND (t.conversation_id IS NULL OR (NOT t.busy AND t.first >= o.id))
    AND (m.conversation_id <> ALL($2::bigint[]) OR o.id = ANY($3::bigint[])) AND o.channel_id <> ALL($4::bigint[])`;

const LOCK_CONVERSATIONS = `WITH ${TRIED}
  SELECT c.id FROM (SELECT o.id, m.conversation_id ${CLAIMABLE} ORDER BY o.id LIMIT $5) c
  WHERE pg_try_advisory_xact_lock(${OUTBOX_CLAIM_LOCK}, (c.conversation_id % 2147483647)::int)`;

const CLAIM_LOCKED = `WITH ${TRIED}
  UPDATE outbox SET lease_until = $5, attempts = attempts + 1
  WHERE id IN (SELECT o.id ${CLAIMABLE} AND o.id = ANY($6::bigint[]) FOR UPDATE OF o SKIP LOCKED)
  RETURNING id, message_id, channel_id, attempts, due_at, (SELECT conversation_id FROM messages WHERE messages.id = outbox.message_id) AS conversation_id`;

const pgArray = (ids: number[]) => `{${ids.map((id) => Math.trunc(id)).join(",")}}`;

function claimDueAcrossInstances(tx: Tx, limit: number, leaseMs: number, exclude: number[], allow: number[], fullChannels: number[]): ClaimedRow[] {
  const pg = tx.db as unknown as PostgresDatabase;
  const filter = [tx.now, pgArray(exclude), pgArray(allow), pgArray(fullChannels)];
  // The first `limit` claimable rows whose conversation this claim could lock.
  const picked = pg.native<{ id: number }>(LOCK_CONVERSATIONS, [...filter, limit]).map((r) => r.id);
  if (!picked.length) return [];
  const rows = pg.native<ClaimedRow>(CLAIM_LOCKED, [...filter, tx.now + leaseMs, pgArray(picked)]);
  return rows.sort((a, b) => a.due_at - b.due_at || a.id - b.id);
}

/**
 * PostgreSQL: a live instance keeps its claims, however long its lanes take; one that died stops
 * renewing and its rows are claimable once the lease runs out. A row is renewed only while it
 * still carries the lease this instance gave it (`until`, as claimed or last renewed). Answers the
 * rows renewed and the rows lost: leased again, by another instance, after this one's lease ran
 * out (a row settled or handed back meanwhile is neither).
 */
export function renewLeases(tx: Tx, held: { id: number; until: number }[], until: number): { renewed: Set<number>; lost: Set<number> } {
  if (!held.length) return { renewed: new Set(), lost: new Set() };
  const rows = (tx.db as unknown as PostgresDatabase).native<{ id: number; renewed: boolean }>(
    `WITH h AS (SELECT * FROM unnest($2::bigint[], $3::bigint[]) AS h(id, until)),
     r AS (UPDATE outbox o SET lease_until = $1 FROM h WHERE o.id = h.id AND o.lease_until = h.until RETURNING o.id)
     SELECT id, true AS renewed FROM r
     UNION ALL SELECT o.id, false FROM outbox o JOIN h ON h.id = o.id WHERE o.lease_until <> h.until`,
    [until, pgArray(held.map((h) => h.id)), pgArray(held.map((h) => h.until))],
  );
  return { renewed: new Set(rows.filter((r) => r.renewed).map((r) => r.id)), lost: new Set(rows.filter((r) => !r.renewed).map((r) => r.id)) };
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
