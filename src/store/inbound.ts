// Applies normalised inbound events inside one writer transaction: identity, conversation,
// message (unique on channel + external id, so a redelivery is a no-op), counters.
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";
import type { InboundEvent, InboundMessageEvent, StatusEvent, ReactionEvent, ContactEvent } from "../domain/message.ts";
import { advanceStatus, previewOf, type MessageStatus } from "../domain/message.ts";
import { statusOnInbound } from "../domain/conversation.ts";
import { landingOf, DEFAULT_REOPEN_WINDOW_MINUTES } from "../domain/conversation-lifecycle.ts";
import { upsertIdentity, type LatestConversation } from "./contacts-write.ts";
import { conversationReachableBy } from "./conversation-relays.ts";
import { applyCall } from "./calls.ts";
import { indexInboundMessage } from "./search-index.ts";
import { surveyAnswerIn, applySurveyAnswer } from "./csat.ts";
import { markForReports } from "./report-rollups.ts";

export interface StoredAttachment {
  kind: string;
  name: string;
  contentType: string;
  size: number;
  path: string | null;
  sourceUrl: string | null;
}

export interface IngestResult {
  messageId: number | null;
  conversationId: number | null;
  contactId: number | null;
  duplicate: boolean;
}

const NONE: IngestResult = { messageId: null, conversationId: null, contactId: null, duplicate: false };


export function applyInbound(tx: Tx, events: InboundEvent[], stored: ReadonlyMap<InboundEvent, StoredAttachment[]>): IngestResult[] {
  return events.map((e) => {
    switch (e.kind) {
      case "message":
        return applyMessage(tx, e, stored.get(e) ?? []);
      case "status":
        applyStatus(tx, e);
        return NONE;
      case "reaction":
        applyReaction(tx, e);
        return NONE;
      case "contact":
        applyContactEvent(tx, e);
        return NONE;
      case "call":
        return applyCall(tx, e, (m) => applyMessage(tx, m, []));
    }
  });
}

function existingMessage(tx: Tx, channelId: number, externalId: string) {
  return prepared<{ id: number; conversation_id: number }, [number, string]>(tx.db, "SELECT id, conversation_id FROM messages WHERE channel_id = ? AND external_id = ?")
    .get(channelId, externalId);
}

/** An echo of Pano's own send may arrive before the send call returned its id. */
function linkEcho(tx: Tx, e: InboundMessageEvent, contactId: number): { id: number; conversation_id: number } | null {
  const panoId = Number(e.meta?.panoMessageId);
  let row: { id: number; conversation_id: number } | null = null;
  if (panoId) {
    row = prepared<{ id: number; conversation_id: number }, [number, number]>(tx.db,
      "SELECT id, conversation_id FROM messages WHERE id = ? AND channel_id = ? AND direction = 'out'",
    ).get(panoId, e.channelId);
  }
  if (!row) {
    row = prepared<{ id: number; conversation_id: number }, [number, number, string, number]>(tx.db,
      `SELECT m.id, m.conversation_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.contact_id = ? AND m.channel_id = ? AND m.direction = 'out' AND m.private = 0 AND m.text = ?
         AND m.external_id IS NULL AND m.created_at > ? ORDER BY m.id DESC LIMIT 1`,
    ).get(contactId, e.channelId, e.text, tx.now - 10 * 60_000);
  }
  if (!row) return null;
  prepared(tx.db, "UPDATE messages SET external_id = COALESCE(external_id, ?) WHERE id = ?").run(e.externalMessageId, row.id);
  return row;
}

/** The conversation a message joins; `assignee_id` is read where it comes free (undefined: not read). */
function findConversation(tx: Tx, e: InboundMessageEvent, contactId: number, latest: LatestConversation | null | undefined): { id: number; status: string; assignee_id?: number | null; last_message_at?: number } | null {
  if (e.threadRefs?.length) {
    const refs = e.threadRefs.slice(-50);
    // The newest message referred to, then its conversation by id: a subquery, not a join (with
    // bun's SQLite 5 us where the join took 20, for a reply's one In-Reply-To; contacts-write.ts).
    const row = prepared<{ id: number; status: string; assignee_id: number | null; last_message_at: number }, any[]>(tx.db,
        `SELECT id, status, assignee_id, last_message_at FROM conversations WHERE id = (
           SELECT conversation_id FROM messages WHERE channel_id = ? AND external_id IN (${refs.map(() => "?").join(",")}) ORDER BY id DESC LIMIT 1)`,
      )
      .get(e.channelId, ...refs);
    if (row) return row;
  }
  if (e.conversationHint) {
    // A conversation of another channel that this one delivered for (pipeline/relay.ts) is reachable too.
    const row = conversationReachableBy(tx.db, e.channelId, e.conversationHint);
    if (row) return row;
  }
  if (e.startsNewThread) return null;
  if (latest !== undefined) return latest;
  return prepared<{ id: number; status: string; assignee_id: number | null }, [number, number]>(tx.db, "SELECT id, status, assignee_id FROM conversations WHERE id = (SELECT max(id) FROM conversations WHERE contact_id = ? AND channel_id = ?)")
    .get(contactId, e.channelId);
}

/** Where the conversation's latest message stands (for a path that found it without that). */
function lastMessageAt(tx: Tx, conversationId: number): number {
  return prepared<{ t: number }, [number]>(tx.db, "SELECT last_message_at AS t FROM conversations WHERE id = ?").get(conversationId)?.t ?? 0;
}

function resolvedWindow(tx: Tx, conversationId: number): { resolvedAt: number | null; reopenWindowMinutes: number } {
  const r = prepared<{ resolved_at: number | null; w: number | null }, [number]>(tx.db,
    "SELECT c.resolved_at, t.reopen_window_minutes AS w FROM conversations c LEFT JOIN teams t ON t.id = c.team_id WHERE c.id = ?",
  ).get(conversationId);
  return { resolvedAt: r?.resolved_at ?? null, reopenWindowMinutes: r?.w ?? DEFAULT_REOPEN_WINDOW_MINUTES };
}

function applyMessage(tx: Tx, e: InboundMessageEvent, files: StoredAttachment[]): IngestResult {
  const dup = existingMessage(tx, e.channelId, e.externalMessageId);
  const identity = upsertIdentity(tx, e.channelId, e.contact);
  const contactId = identity.contactId;
  if (dup) return { messageId: dup.id, conversationId: dup.conversation_id, contactId, duplicate: true };
  if (e.direction === "out") {
    const linked = linkEcho(tx, e, contactId);
    if (linked) return { messageId: linked.id, conversationId: linked.conversation_id, contactId, duplicate: true };
  }
  const at = e.occurredAt.getTime() || tx.now;
  let conv = findConversation(tx, e, contactId, identity.latestConversation);
  let opened = false;
  let reopened = false;
  // A customer's message to a resolved conversation reopens it, stays with it (thanks), or starts
  // a new conversation linked to it (domain/conversation-lifecycle.ts), in this same transaction.
  let previousId: number | null = null;
  let keepResolved = false;
  // An answer to the conversation's satisfaction survey ("5", a tapped button, "STOP") is stored on
  // it and rated there: it neither reopens it nor waits for a reply (store/csat.ts).
  const survey = conv && e.direction === "in" && !e.automatic ? surveyAnswerIn(tx, conv.id, conv.status, e.text, e.surveyAnswer, at) : null;
  if (survey && conv!.status === "resolved") keepResolved = true;
  else if (conv && e.direction === "in" && conv.status === "resolved") {
    const landing = landingOf({ status: conv.status, ...resolvedWindow(tx, conv.id), at, text: e.text, automatic: !!e.automatic, hasAttachments: files.length > 0 });
    if (landing === "new") {
      previousId = conv.id;
      conv = null;
    } else keepResolved = landing === "keep_resolved";
  }
  if (!conv) {
    // Automatic mail (bounces, auto-replies) that matches nothing is stored in a resolved conversation:
    // it must not enter anyone's queue.
    const status = e.automatic ? "resolved" : "open";
    const id = Number(
      prepared(tx.db,
          `INSERT INTO conversations (channel_id, contact_id, status, subject, last_message_at, created_at, updated_at, resolved_at, previous_conversation_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(e.channelId, contactId, status, e.subject ?? null, at, tx.now, tx.now, e.automatic ? tx.now : null, previousId).lastInsertRowid,
    );
    conv = { id, status, assignee_id: null, last_message_at: at };
    opened = true;
  } else if (e.direction === "in" && !keepResolved && !survey) {
    const next = statusOnInbound(conv.status as never, !!e.automatic);
    if (next !== conv.status) {
      prepared(tx.db, "UPDATE conversations SET status = ?, snoozed_until = NULL, resolved_at = NULL WHERE id = ?").run(next, conv.id);
      reopened = conv.status === "resolved";
      prepared(tx.db, "INSERT INTO audit_log (actor_type, action, conversation_id, data, created_at) VALUES ('system', 'conversation.reopened', ?, ?, ?)").run(
        conv.id, JSON.stringify({ from: conv.status, to: next }), tx.now,
      );
    }
  }
  const isIn = e.direction === "in";
  const status: MessageStatus = isIn ? "received" : "sent";
  const meta = e.meta || e.subject || e.unsupported ? JSON.stringify({ ...(e.meta ?? {}), ...(e.subject ? { subject: e.subject } : {}), ...(e.unsupported ? { unsupported: true } : {}) }) : null;
  const messageId = Number(
    prepared(tx.db,
        `INSERT INTO messages (conversation_id, channel_id, direction, private, author_type, author_id, author_label, text, html, status, external_id, meta, automatic, created_at)
         VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(conv.id, e.channelId, e.direction, isIn ? "contact" : "system", isIn ? contactId : null, e.authorLabel ?? null, e.text, e.html ?? null, status, e.externalMessageId, meta, e.automatic ? 1 : 0, at)
      .lastInsertRowid,
  );
  indexInboundMessage(tx.db, messageId, e.text, meta);
  for (const f of files) {
    prepared(tx.db, "INSERT INTO attachments (message_id, kind, name, content_type, size, path, source_url, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .run(messageId, f.kind, f.name, f.contentType, f.size, f.path, f.sourceUrl, f.path ? "stored" : "pending", tx.now);
  }
  const preview = previewOf(e.text, files.map((f) => f.kind));
  if (isIn) {
    // A customer's message changes the report only when it lands before a later message (late
    // delivery): a wait that an earlier reply answered then began sooner. (Read before the update;
    // an UPDATE ... RETURNING would cost the update six times over.)
    if ((conv.last_message_at ?? lastMessageAt(tx, conv.id)) > at) markForReports(tx, conv.id);
    prepared(tx.db,
        `UPDATE conversations SET last_message_at = max(last_message_at, ?), last_inbound_at = max(coalesce(last_inbound_at, 0), ?),
         waiting_since = CASE WHEN ? THEN waiting_since ELSE coalesce(waiting_since, ?) END,
         last_preview = ?, unread_count = unread_count + 1, message_count = message_count + 1, updated_at = ? WHERE id = ?`,
      )
      .run(at, at, e.automatic || keepResolved || survey ? 1 : 0, at, preview, tx.now, conv.id);
    if (survey) applySurveyAnswer(tx, survey, conv.id, messageId, e.surveyAnswer ? "button" : "chat");
  } else {
    prepared(tx.db,
        `UPDATE conversations SET last_message_at = max(last_message_at, ?), waiting_since = NULL, first_response_at = coalesce(first_response_at, ?),
         last_preview = ?, message_count = message_count + 1, updated_at = ? WHERE id = ?`,
      )
      .run(at, at, preview, tx.now, conv.id);
    markForReports(tx, conv.id);
  }
  if (opened || reopened) tx.emit({ type: "conversation.opened", conversationId: conv.id, contactId, channelId: e.channelId, reopened });
  tx.emit({ type: "message.created", messageId, conversationId: conv.id, channelId: e.channelId, contactId, direction: e.direction, private: false, automatic: !!e.automatic || !!survey, isNewContact: identity.created, attachments: files.length, text: e.text, at, assigneeId: conv.assignee_id });
  return { messageId, conversationId: conv.id, contactId, duplicate: false };
}

function applyStatus(tx: Tx, e: StatusEvent) {
  let rows: { id: number; conversation_id: number; status: MessageStatus }[] = [];
  if (e.externalMessageIds?.length) {
    const ids = e.externalMessageIds.slice(0, 200);
    rows = prepared<{ id: number; conversation_id: number; status: MessageStatus }, any[]>(tx.db,
        `SELECT id, conversation_id, status FROM messages WHERE channel_id = ? AND direction = 'out' AND external_id IN (${ids.map(() => "?").join(",")})`,
      )
      .all(e.channelId, ...ids);
  } else if (e.watermark && e.contactExternalId) {
    rows = prepared<{ id: number; conversation_id: number; status: MessageStatus }, [number, string, number]>(tx.db,
        `SELECT m.id, m.conversation_id, m.status FROM messages m
         JOIN conversations c ON c.id = m.conversation_id
         JOIN contact_identities i ON i.contact_id = c.contact_id AND i.channel_id = c.channel_id
         WHERE c.channel_id = ? AND i.external_id = ? AND m.direction = 'out' AND m.private = 0
           AND m.status IN ('sent', 'delivered') AND m.created_at <= ? ORDER BY m.id DESC LIMIT 200`,
      )
      .all(e.channelId, e.contactExternalId, e.watermark.getTime());
  }
  for (const r of rows) {
    const next = advanceStatus(r.status, e.status);
    if (next === r.status) continue;
    const failed = e.status === "failed";
    prepared(tx.db, "UPDATE messages SET status = ?, error = coalesce(?, error), error_vi = coalesce(?, error_vi) WHERE id = ?").run(next, failed ? e.error ?? "failed" : null, failed ? e.errorVi ?? null : null, r.id);
    tx.emit({ type: "message.updated", messageId: r.id, conversationId: r.conversation_id });
  }
}

function applyReaction(tx: Tx, e: ReactionEvent) {
  const row = existingMessage(tx, e.channelId, e.externalMessageId);
  if (!row) return;
  prepared(tx.db, "UPDATE messages SET reaction = ? WHERE id = ?").run(e.emoji, row.id);
  tx.emit({ type: "message.updated", messageId: row.id, conversationId: row.conversation_id });
}

function applyContactEvent(tx: Tx, e: ContactEvent) {
  const identity = upsertIdentity(tx, e.channelId, e.contact);
  prepared(tx.db, "UPDATE contact_identities SET follows = ? WHERE id = ?").run(e.event === "follow" ? 1 : 0, identity.identityId);
  prepared(tx.db, "INSERT INTO audit_log (actor_type, action, subject_type, subject_id, data, created_at) VALUES ('system', ?, 'contact', ?, ?, ?)").run(
    `contact.${e.event}`, identity.contactId, JSON.stringify({ channel_id: e.channelId }), tx.now,
  );
  tx.emit({ type: "contact.updated", contactId: identity.contactId });
}
