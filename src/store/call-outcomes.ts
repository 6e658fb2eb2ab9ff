// An agent's outcome for a call (resolved, follow up, wrong number), kept on the call item beside the
// switchboard's record: a later event about the same call merges its record and leaves this alone.
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";
import { auditAction } from "./audit.ts";
import { labelsAfterOutcome, type CallOutcome, type CallOutcomeMark, type CallRecord } from "../domain/call.ts";

export type CallOutcomeResult = { ok: true; conversationId: number } | { ok: false; reason: "not_a_call" | "not_ended" };

export function setCallOutcome(tx: Tx, messageId: number, outcome: CallOutcome, userId: number): CallOutcomeResult {
  const row = prepared<{ meta: string | null; conversation_id: number; labels: string }, [number]>(tx.db,
    "SELECT m.meta, m.conversation_id, c.labels FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ?",
  ).get(messageId);
  const meta = row?.meta ? (JSON.parse(row.meta) as { kind?: string; call?: CallRecord; outcome?: CallOutcomeMark }) : null;
  if (!row || meta?.kind !== "call" || !meta.call) return { ok: false, reason: "not_a_call" };
  if (!meta.call.ended) return { ok: false, reason: "not_ended" };
  const mark: CallOutcomeMark = { value: outcome, by: userId, at: new Date(tx.now).toISOString() };
  prepared(tx.db, "UPDATE messages SET meta = ? WHERE id = ?").run(JSON.stringify({ ...meta, outcome: mark }), messageId);
  const before = JSON.parse(row.labels) as string[];
  const after = labelsAfterOutcome(before, outcome);
  if (after.join("\n") !== before.join("\n")) {
    prepared(tx.db, "UPDATE conversations SET labels = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(after), tx.now, row.conversation_id);
    tx.emit({ type: "conversation.updated", conversationId: row.conversation_id, changes: ["labels"], actorId: userId });
  }
  auditAction(tx, userId, "call.outcome", { type: "message", id: messageId }, { from: meta.outcome?.value ?? null, to: outcome });
  tx.emit({ type: "message.updated", messageId, conversationId: row.conversation_id });
  return { ok: true, conversationId: row.conversation_id };
}
