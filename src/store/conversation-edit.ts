// An agent's change to a conversation, the same from the inbox's buttons and from PATCH
// /api/v1/conversations/:id: what it names must exist, urgency sets the priority, and a
// correction of the triage is kept for the next retrain.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { withUrgentPriority } from "../domain/conversation.ts";
import { getConversation, updateConversation, type ConversationPatch, type ConversationRow } from "./conversations.ts";
import { recordCorrection } from "./corrections.ts";
import { teamExists } from "./teams.ts";

/** The field naming an agent or team that does not exist, or null. `isUser` is the user directory's answer. */
export function missingTarget(db: Database, patch: ConversationPatch, isUser: (id: number) => boolean): "assignee_id" | "team_id" | null {
  if (patch.assigneeId && !isUser(patch.assigneeId)) return "assignee_id";
  if (patch.teamId && !teamExists(db, patch.teamId)) return "team_id";
  return null;
}

export function editConversation(tx: Tx, conversationId: number, patch: ConversationPatch, userId: number): ConversationRow | null {
  const cur = getConversation(tx.db, conversationId);
  if (!cur) return null;
  const row = updateConversation(tx, conversationId, withUrgentPriority(patch, cur.priority), { type: "user", id: userId });
  // The agent's judgement of intent or urgency teaches the next triage retrain.
  if (row && (patch.intent !== undefined || patch.urgent !== undefined)) recordCorrection(tx, conversationId, userId, patch.intent, patch.urgent);
  return row;
}
