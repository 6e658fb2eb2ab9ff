// Calls inside the writer's transaction: one message of kind "call" per (channel, call id), its
// record merged from every event about it; a missed inbound call marks its conversation for a call back.
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";
import { updateConversation } from "./conversations.ts";
import { addTalkTime } from "./work-spans.ts";
import type { CallEvent, InboundMessageEvent } from "../domain/message.ts";
import { wantRecording } from "./call-recordings.ts";
import { mergeCall, sameCall, needsCallBack, callText, CALL_BACK_LABEL, type CallRecord } from "../domain/call.ts";

interface Applied {
  messageId: number | null;
  conversationId: number | null;
  contactId: number | null;
  duplicate: boolean;
}

/** `insert` stores a new item through the one message path (identity, conversation, counters). */
export function applyCall(tx: Tx, e: CallEvent, insert: (m: InboundMessageEvent) => Applied): Applied {
  const row = prepared<{ id: number; conversation_id: number; meta: string | null; contact_id: number }, [number, string]>(tx.db,
    `SELECT m.id, m.conversation_id, m.meta, c.contact_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
     WHERE m.channel_id = ? AND m.external_id = ?`,
  ).get(e.channelId, e.callId);
  if (!row) {
    const call = mergeCall(null, e);
    const at = e.startedAt ?? e.answeredAt ?? e.occurredAt;
    const r = insert({
      kind: "message", channelId: e.channelId, externalMessageId: e.callId, direction: e.direction, contact: e.contact,
      text: callText(call), attachments: [], occurredAt: at, meta: { kind: "call", call },
    });
    if (r.conversationId !== null) afterCall(tx, r.conversationId, null, call);
    if (r.messageId !== null && !r.duplicate) wantRecording(tx, r.messageId, null, call);
    if (r.messageId !== null && r.conversationId !== null && r.contactId !== null && !r.duplicate) {
      tx.emit({ type: "call.updated", messageId: r.messageId, conversationId: r.conversationId, contactId: r.contactId, ringing: ringing(call) });
      if (call.ended) tx.emit({ type: "call.ended", messageId: r.messageId, conversationId: r.conversationId, contactId: r.contactId });
    }
    return r;
  }
  const meta = row.meta ? (JSON.parse(row.meta) as { kind?: string; call?: CallRecord }) : {};
  if (meta.kind !== "call" || !meta.call) return { messageId: row.id, conversationId: row.conversation_id, contactId: row.contact_id, duplicate: true };
  const call = mergeCall(meta.call, e);
  if (sameCall(call, meta.call)) return { messageId: row.id, conversationId: row.conversation_id, contactId: row.contact_id, duplicate: true };
  prepared(tx.db, "UPDATE messages SET meta = ?, text = ? WHERE id = ?").run(JSON.stringify({ ...meta, call }), callText(call), row.id);
  prepared(tx.db, "UPDATE conversations SET last_preview = ?, updated_at = ? WHERE id = ? AND last_message_at <= (SELECT created_at FROM messages WHERE id = ?)")
    .run(callText(call), tx.now, row.conversation_id, row.id);
  tx.emit({ type: "message.updated", messageId: row.id, conversationId: row.conversation_id });
  afterCall(tx, row.conversation_id, meta.call, call);
  wantRecording(tx, row.id, meta.call, call);
  if (ringing(call) !== ringing(meta.call)) tx.emit({ type: "call.updated", messageId: row.id, conversationId: row.conversation_id, contactId: row.contact_id, ringing: ringing(call) });
  if (call.ended && !meta.call.ended) tx.emit({ type: "call.ended", messageId: row.id, conversationId: row.conversation_id, contactId: row.contact_id });
  return { messageId: row.id, conversationId: row.conversation_id, contactId: row.contact_id, duplicate: false };
}

/** An inbound call still waiting for someone to pick up: what an incoming-call card shows. */
const ringing = (c: CallRecord) => c.direction === "in" && c.status === "ringing" && !c.ended;

/** What a call changes on its conversation: the call-back mark, and an answered call answers the customer. */
function afterCall(tx: Tx, conversationId: number, before: CallRecord | null, call: CallRecord) {
  const conv = prepared<{ labels: string; status: string }, [number]>(tx.db, "SELECT labels, status FROM conversations WHERE id = ?").get(conversationId);
  if (!conv) return;
  const labels = JSON.parse(conv.labels) as string[];
  const marked = labels.includes(CALL_BACK_LABEL);
  const changes: string[] = [];
  if (needsCallBack(call) && !(before && needsCallBack(before))) {
    // A missed call waits in the queue (reopened if it had been resolved) until someone calls back.
    if (!marked) setLabels(tx, conversationId, [...labels, CALL_BACK_LABEL]), changes.push("labels");
    if (conv.status !== "open") {
      prepared(tx.db, "UPDATE conversations SET status = 'open', snoozed_until = NULL, resolved_at = NULL WHERE id = ?").run(conversationId);
      prepared(tx.db, "INSERT INTO audit_log (actor_type, action, conversation_id, data, created_at) VALUES ('system', 'conversation.reopened', ?, ?, ?)")
        .run(conversationId, JSON.stringify({ from: conv.status, to: "open", cause: "missed_call" }), tx.now);
      changes.push("status");
    }
  } else if (call.status === "answered" && marked) {
    // The customer was reached (they called again, or an agent called back): nothing waits any more.
    setLabels(tx, conversationId, labels.filter((l) => l !== CALL_BACK_LABEL));
    changes.push("labels");
  }
  if (call.status === "answered" && (!before || before.status !== "answered")) {
    const answeredAt = call.answered_at ? Date.parse(call.answered_at) : tx.now;
    prepared(tx.db, "UPDATE conversations SET waiting_since = NULL, first_response_at = coalesce(first_response_at, ?) WHERE id = ?").run(answeredAt, conversationId);
  }
  if (changes.length) tx.emit({ type: "conversation.updated", conversationId, changes, actorId: null });
  if (call.answered_by && !(before?.answered_by)) takenBy(tx, conversationId, call.answered_by);
  // Talk time is handle time, counted once: when the call is first known to be over.
  if (call.ended && !before?.ended && call.status === "answered" && call.duration_s) {
    const end = call.ended_at ? Date.parse(call.ended_at) : tx.now;
    addTalkTime(tx, conversationId, call.answered_by ? switchboardUser(tx, call.answered_by) : null, end - call.duration_s * 1000, end);
  }
}

const switchboardUser = (tx: Tx, who: string) =>
  prepared<{ id: number }, [string, string]>(tx.db, "SELECT id FROM users WHERE (phone_user_id = ? OR email = ?) AND disabled_at IS NULL ORDER BY phone_user_id IS NULL LIMIT 1").get(who, who)?.id ?? null;

/**
 * The Pano user who answered (or placed) a call takes its conversation when nobody has it, as a
 * first reply would: they see the call they just had, and it counts for them.
 */
function takenBy(tx: Tx, conversationId: number, who: string) {
  const userId = switchboardUser(tx, who);
  if (userId === null) return;
  const conv = prepared<{ assignee_id: number | null }, [number]>(tx.db, "SELECT assignee_id FROM conversations WHERE id = ?").get(conversationId);
  if (conv && conv.assignee_id === null) updateConversation(tx, conversationId, { assigneeId: userId }, { type: "system", id: null });
}

function setLabels(tx: Tx, conversationId: number, labels: string[]) {
  prepared(tx.db, "UPDATE conversations SET labels = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(labels), tx.now, conversationId);
}
