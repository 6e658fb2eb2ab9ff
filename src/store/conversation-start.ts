// Starting a conversation with a customer (POST /api/v1/conversations, "New message" on a profile, a
// routing rule's send): who they are on the channel, and the first message with its outbox row,
// written in one transaction like any reply (store/outbound.ts), so nothing is sent unrecorded.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import type { OutreachTarget } from "../channels/channel.ts";
import { canSee, scopeOf, type Viewer } from "../domain/conversation.ts";
import { createReply } from "./outbound.ts";

/** What a kind needs to decide whether it can reach this customer now; null when there is no such contact. */
export function outreachTarget(db: Database, contactId: number, channelId: number, now: Date): OutreachTarget | null {
  const c = db
    .query<{ id: number; name: string | null; email: string | null; phone: string | null; attributes: string }, [number]>(
      "SELECT id, name, email, phone, attributes FROM contacts WHERE id = ?",
    )
    .get(contactId);
  if (!c) return null;
  const identity = db
    .query<{ external_id: string; follows: number | null }, [number, number]>(
      "SELECT external_id, follows FROM contact_identities WHERE contact_id = ? AND channel_id = ? ORDER BY id DESC LIMIT 1",
    )
    .get(contactId, channelId);
  const last = db
    .query<{ at: number | null }, [number, number]>("SELECT max(last_inbound_at) AS at FROM conversations WHERE contact_id = ? AND channel_id = ?")
    .get(contactId, channelId);
  return {
    contact: { id: c.id, name: c.name, email: c.email, phone: c.phone, attributes: parsedAttributes(c.attributes) },
    externalId: identity?.external_id ?? null,
    lastInboundAt: last?.at ? new Date(last.at) : null,
    contactFollows: identity?.follows === null || identity?.follows === undefined ? null : identity.follows === 1,
    now,
  };
}

/** A contact's attributes blob as an object; a malformed one is empty (it fills nothing). */
export function parsedAttributes(raw: string | null | undefined): Record<string, unknown> {
  try {
    const v = JSON.parse(raw ?? "{}");
    return v && typeof v === "object" ? v : {};
  } catch {
    return {};
  }
}

export interface StartInput {
  contactId: number;
  channelId: number;
  /** The customer's id on the channel, recorded when they have none there yet. */
  externalId: string;
  text: string;
  subject?: string;
  meta?: Record<string, unknown>;
  /** A conversation of its own even when one is open on this channel (a new mail thread). */
  newThread?: boolean;
  userId: number | null;
  automatic?: boolean;
  /** When the outbox may send it (quiet hours defer an automatic SMS or ZNS); default now. */
  dueAt?: number;
  /** The routing rule that sent it, for the audit trail. */
  ruleId?: number;
  /** The person writing: they add to the customer's open conversation only if they may see it. */
  viewer?: Viewer;
}

/**
 * The customer's unresolved conversation on this channel takes the message (one thread per customer
 * and channel, as inbound messages do); otherwise a new one, linked to their latest there. Null,
 * with nothing written, when that open conversation is one `s.viewer` may not see (another team's):
 * seeing the customer through one conversation is no licence to write into, or read, another.
 */
export function startConversation(tx: Tx, s: StartInput): { conversationId: number; messageId: number; opened: boolean } | null {
  const latest = tx.db
    .query<{ id: number; status: string; assignee_id: number | null; team_id: number | null }, [number, number]>(
      "SELECT id, status, assignee_id, team_id FROM conversations WHERE contact_id = ? AND channel_id = ? ORDER BY id DESC LIMIT 1",
    )
    .get(s.contactId, s.channelId);
  const opened = !latest || latest.status === "resolved" || !!s.newThread;
  if (!opened && s.viewer && !canSee(s.viewer, scopeOf(latest!))) return null;
  const known = tx.db
    .query<{ id: number }, [number, number]>("SELECT id FROM contact_identities WHERE contact_id = ? AND channel_id = ? LIMIT 1")
    .get(s.contactId, s.channelId);
  const taken = known
    ? null
    : tx.db.query<{ id: number }, [number, string]>("SELECT id FROM contact_identities WHERE channel_id = ? AND external_id = ? LIMIT 1").get(s.channelId, s.externalId);
  if (!known && !taken && s.externalId) {
    tx.db.query("INSERT INTO contact_identities (contact_id, channel_id, external_id, created_at) VALUES (?, ?, ?, ?)").run(s.contactId, s.channelId, s.externalId, tx.now);
  }
  let conversationId: number;
  if (!opened) {
    conversationId = latest!.id;
    if (s.subject) tx.db.query("UPDATE conversations SET subject = coalesce(subject, ?) WHERE id = ?").run(s.subject, conversationId);
  } else {
    // Outreach waits on the customer, not in a queue: it opens pending, with the agent who wrote it.
    conversationId = Number(
      tx.db
        .query(
          `INSERT INTO conversations (channel_id, contact_id, status, assignee_id, subject, last_message_at, created_at, updated_at, previous_conversation_id)
           VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.channelId, s.contactId, s.automatic ? null : s.userId, s.subject ?? null, tx.now, tx.now, tx.now, latest?.id ?? null).lastInsertRowid,
    );
  }
  const messageId = createReply(tx, { conversationId, text: s.text, private: false, userId: s.userId, automatic: s.automatic, meta: s.meta, dueAt: s.dueAt });
  tx.db
    .query("INSERT INTO audit_log (actor_type, actor_id, action, conversation_id, data, created_at) VALUES (?, ?, 'conversation.started', ?, ?, ?)")
    .run(s.userId ? "user" : "system", s.userId, conversationId, JSON.stringify({ message_id: messageId, channel_id: s.channelId, opened, ...(s.ruleId ? { rule_id: s.ruleId } : {}), ...(s.dueAt && s.dueAt > tx.now ? { due_at: new Date(s.dueAt).toISOString() } : {}) }), tx.now);
  if (opened) tx.emit({ type: "conversation.opened", conversationId, contactId: s.contactId, channelId: s.channelId, reopened: false });
  return { conversationId, messageId, opened };
}

/** A routing rule's send that could not go (no phone, no such template): told on the conversation that triggered it. */
export function recordRefusedSend(tx: Tx, conversationId: number, data: Record<string, unknown>): void {
  tx.db.query("INSERT INTO audit_log (actor_type, action, conversation_id, data, created_at) VALUES ('system', 'rule.send_refused', ?, ?, ?)").run(conversationId, JSON.stringify(data), tx.now);
}

/** The fields a message carries besides its text (an integration's order_code: meta.fields). */
export function messageFields(db: Database, messageId: number): Record<string, string> {
  const row = db.query<{ f: string | null }, [number]>("SELECT json_extract(meta, '$.fields') AS f FROM messages WHERE id = ? AND json_valid(meta)").get(messageId);
  if (!row?.f) return {};
  const parsed = JSON.parse(row.f) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== null && typeof v !== "object").map(([k, v]) => [k, String(v)]));
}

/** What a conversation's latest message with fields says that a template may need (an order_code). */
export function conversationFacts(db: Database, conversationId: number): Record<string, string> {
  const row = db
    .query<{ id: number }, [number]>("SELECT id FROM messages WHERE conversation_id = ? AND meta IS NOT NULL AND json_valid(meta) AND json_extract(meta, '$.fields') IS NOT NULL ORDER BY id DESC LIMIT 1")
    .get(conversationId);
  return row ? messageFields(db, row.id) : {};
}
/** The daily quota a channel's provider reported with its latest template send, if any. */
export function lastTemplateQuota(db: Database, channelId: number): { daily: number | null; remaining: number | null } | null {
  const row = db
    .query<{ q: string | null }, [number]>(
      "SELECT json_extract(meta, '$.quota') AS q FROM messages WHERE channel_id = ? AND direction = 'out' AND meta IS NOT NULL AND json_valid(meta) AND json_extract(meta, '$.quota') IS NOT NULL ORDER BY id DESC LIMIT 1",
    )
    .get(channelId);
  return row?.q ? (JSON.parse(row.q) as { daily: number | null; remaining: number | null }) : null;
}

/** Messages still waiting in the outbox for a later time (quiet hours): their due times, by message id. */
export function scheduledSends(db: Database, messageIds: number[], after: number): Map<number, number> {
  if (!messageIds.length) return new Map();
  const rows = db
    .query<{ message_id: number; due_at: number }, number[]>(
      `SELECT message_id, due_at FROM outbox WHERE due_at > ? AND message_id IN (${messageIds.map(() => "?").join(",")})`,
    )
    .all(after, ...messageIds);
  return new Map(rows.map((r) => [r.message_id, r.due_at]));
}
