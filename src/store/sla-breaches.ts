// Missed SLA targets, recorded once each: an audit row on the conversation (its timeline shows it,
// the reports' drill-down lists it) and the policy's breach actions applied through the normal
// update, so assignment, the live inbox and outgoing webhooks hear of it like any other change.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";
import { updateConversation, type ConversationPatch } from "./conversations.ts";
import { teamExists } from "./teams.ts";
import { breachPatch, type BreachActions } from "../domain/sla-breach.ts";
import type { Priority } from "../domain/conversation.ts";
import type { SlaTarget } from "../domain/sla.ts";

export interface SlaWorkRow {
  id: number;
  team_id: number | null;
  assignee_id: number | null;
  priority: Priority;
  status: string;
  created_at: number;
  first_response_at: number | null;
  waiting_since: number | null;
  resolved_at: number | null;
}

/** Every conversation still being worked (assigned or waiting in a queue). */
export function conversationsUnderSla(db: Database): SlaWorkRow[] {
  return db.query<SlaWorkRow, []>(
    "SELECT id, team_id, assignee_id, priority, status, created_at, first_response_at, waiting_since, resolved_at FROM conversations WHERE status IN ('open', 'pending')",
  ).all();
}

const key = (target: SlaTarget, dueAt: number) => JSON.stringify({ target, due_at: new Date(dueAt).toISOString() });

export function breachRecorded(db: Database, conversationId: number, target: SlaTarget, dueAt: number): boolean {
  const k = key(target, dueAt).slice(0, -1);
  return !!prepared(db, "SELECT 1 FROM audit_log WHERE conversation_id = ? AND action = 'sla.breached' AND substr(data, 1, ?) = ? LIMIT 1").get(conversationId, k.length, k);
}

/** Records the breach and applies the policy's actions; false when it was already recorded. */
export function recordBreach(tx: Tx, row: SlaWorkRow, target: SlaTarget, dueAt: number, actions: BreachActions | null): boolean {
  if (breachRecorded(tx.db, row.id, target, dueAt)) return false;
  const patch: ConversationPatch = actions ? breachPatch(row, actions) : {};
  if (patch.teamId != null && !teamExists(tx.db, patch.teamId)) delete patch.teamId;
  const handTo = patch.assigneeId;
  if (handTo) {
    const active = prepared<{ id: number }, [number]>(tx.db, "SELECT id FROM users WHERE id = ? AND disabled_at IS NULL").get(handTo);
    if (!active) delete patch.assigneeId;
  }
  const applied = Object.keys(patch);
  prepared(tx.db, "INSERT INTO audit_log (actor_type, action, conversation_id, data, created_at) VALUES ('system', 'sla.breached', ?, ?, ?)")
    .run(row.id, `${key(target, dueAt).slice(0, -1)},"actions":${JSON.stringify(applied)},"to":${JSON.stringify(target)}}`, tx.now);
  if (applied.length) updateConversation(tx, row.id, patch, { type: "system", id: null });
  tx.emit({ type: "sla.breached", conversationId: row.id, target, teamId: patch.teamId ?? row.team_id, assigneeId: patch.assigneeId === undefined ? row.assignee_id : patch.assigneeId });
  return true;
}
