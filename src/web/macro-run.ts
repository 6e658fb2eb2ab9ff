// Running a macro on a conversation, the same from the inbox and POST /api/v1/macros/:id/run.
// Everything is checked first (the runner may see the macro and do each action, the targets
// still exist, the channel can take the reply now, the reply's variables have values), then the
// whole macro is one transaction through the same store calls as the manual actions: the reply
// and note as createReply writes them, the rest as editConversation (one audit row per field, one
// event, so SSE and routing hear of it as of any change).
import type { Pano } from "../pano.ts";
import type { Viewer } from "../domain/conversation.ts";
import type { ConversationRow, ConversationPatch } from "../store/conversations.ts";
import { getConversation } from "../store/conversations.ts";
import { editConversation } from "../store/conversation-edit.ts";
import { createReply } from "../store/outbound.ts";
import { teamExists } from "../store/teams.ts";
import { recordMacroRun, actionsOf, type MacroRow } from "../store/macros.ts";
import { replyVariables } from "../store/reply-variables.ts";
import { actionRefusal, labelsAfter, type MacroAction } from "../domain/macro.ts";
import { fillVariables } from "../domain/reply-variables.ts";
import type { ErrorCode } from "../domain/errors.ts";
import type { MacroKey } from "../../views/i18n/macros.ts";
import { channelReplyRules } from "./reply.ts";

export interface Runner {
  viewer: Viewer;
  userId: number;
  name: string | null;
}

/** Why a macro did not run: the API's code and sentence, the page's localised words. */
export interface Refusal {
  code: ErrorCode;
  message: string;
  key: MacroKey;
  vars?: Record<string, string | number>;
  /** The channel's own reason, in each language (a Messenger window closed...). */
  reason?: { vi: string; en: string };
}

export type MacroOutcome =
  | { kind: "done"; conversation: ConversationRow; messageIds: number[] }
  /** The reply names variables this conversation has no value for; run again with allowMissing to send it without them. */
  | { kind: "missing"; names: string[] }
  | { kind: "refused"; refusal: Refusal };

const refused = (code: ErrorCode, message: string, key: MacroKey, more: Pick<Refusal, "vars" | "reason"> = {}): MacroOutcome => ({ kind: "refused", refusal: { code, message, key, ...more } });

/** A refusal for the first action this runner may not do or whose target is gone, else null. */
function actionProblem(pano: Pano, runner: Runner, a: MacroAction): MacroOutcome | null {
  if (actionRefusal(runner.viewer, a)) return refused("forbidden", "You may not move conversations to that team", "macro.err.team_not_visible");
  if (a.type === "assign" && typeof a.assignee_id === "number" && !pano.users.byId(a.assignee_id)) return refused("validation_failed", "assignee_id: that person no longer works here", "macro.err.agent_gone");
  if (a.type === "team" && a.team_id !== null && !teamExists(pano.store.sqlite, a.team_id)) return refused("validation_failed", "team_id: no such team", "macro.err.team_gone");
  return null;
}

/** Whether the channel takes a reply now (the composer's own rules), and how long it may be. */
function replyProblem(pano: Pano, conv: ConversationRow, text: string): MacroOutcome | null {
  const ch = pano.channels.get(conv.channel_id);
  if (!ch) return refused("validation_failed", "The conversation's channel was removed", "macro.err.cannot_reply");
  if (ch.status === "paused") return refused("validation_failed", "The conversation's channel is paused", "macro.err.cannot_reply");
  const v = channelReplyRules(pano, conv, ch);
  if (v && !v.canSend) return refused("validation_failed", v.reason?.en ?? "The channel cannot take a reply now", v.reason ? "macro.err.cannot_reply_because" : "macro.err.cannot_reply", { reason: v.reason });
  if (v?.limit && text.length > v.limit) return refused("validation_failed", `The reply is longer than the channel's ${v.limit} characters`, "macro.err.too_long", { vars: { n: v.limit } });
  return null;
}

export async function runMacro(pano: Pano, macro: MacroRow, conv: ConversationRow, runner: Runner, opts: { allowMissing?: boolean } = {}): Promise<MacroOutcome> {
  const actions = actionsOf(macro);
  for (const a of actions) {
    const problem = actionProblem(pano, runner, a);
    if (problem) return problem;
  }
  const values = replyVariables(pano.store.sqlite, conv, runner.name);
  const texts = new Map<"reply" | "note", string>();
  for (const a of actions) {
    if (a.type !== "reply" && a.type !== "note") continue;
    const filled = fillVariables(a.text, values);
    if (a.type === "reply" && filled.missing.length && !opts.allowMissing) return { kind: "missing", names: filled.missing };
    // Run anyway: a missing value is left out rather than sent to the customer as "{{contact.email}}".
    let text = filled.text;
    for (const name of filled.missing) text = text.split(`{{${name}}}`).join("");
    text = text.replace(/[ \t]{2,}/g, " ").trim();
    if (!text) return refused("validation_failed", `The ${a.type} is empty without the missing values`, "macro.err.empty_without_missing");
    texts.set(a.type, text);
  }
  const reply = texts.get("reply");
  if (reply !== undefined) {
    const problem = replyProblem(pano, conv, reply);
    if (problem) return problem;
  }
  const conversation = await pano.writer.submit((tx) => {
    recordMacroRun(tx, macro, conv.id, runner.userId);
    const messageIds: number[] = [];
    for (const a of actions) {
      if (a.type === "reply" || a.type === "note") messageIds.push(createReply(tx, { conversationId: conv.id, text: texts.get(a.type)!, private: a.type === "note", userId: runner.userId }));
    }
    const cur = getConversation(tx.db, conv.id)!;
    const patch = patchOf(actions, JSON.parse(cur.labels) as string[], runner.userId);
    const row = Object.keys(patch).length ? editConversation(tx, conv.id, patch, runner.userId) : cur;
    return { conversation: row ?? cur, messageIds };
  });
  return { kind: "done", ...conversation };
}

/** The macro's field actions as one change, as the inbox's buttons would make it. */
function patchOf(actions: MacroAction[], labels: string[], me: number): ConversationPatch {
  const patch: ConversationPatch = {};
  const add = actions.flatMap((a) => (a.type === "add_labels" ? a.labels : []));
  const remove = actions.flatMap((a) => (a.type === "remove_labels" ? a.labels : []));
  if (add.length || remove.length) patch.labels = labelsAfter(labels, add, remove);
  for (const a of actions) {
    if (a.type === "assign") patch.assigneeId = a.assignee_id === "me" ? me : a.assignee_id;
    else if (a.type === "team") patch.teamId = a.team_id;
    else if (a.type === "status") patch.status = a.status;
    else if (a.type === "priority") patch.priority = a.priority;
  }
  return patch;
}
