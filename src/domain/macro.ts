// Macros: several things an agent does to a conversation, applied in one step. Who may see a
// macro, who may change it, and whether the person running it may do each of its actions.
import type { ConversationStatus, Priority, Viewer } from "./conversation.ts";
import { mayMoveToTeam, normaliseLabel } from "./conversation.ts";

export type MacroAction =
  | { type: "reply"; text: string }
  | { type: "note"; text: string }
  | { type: "add_labels"; labels: string[] }
  | { type: "remove_labels"; labels: string[] }
  /** "me": whoever runs the macro; null: nobody. */
  | { type: "assign"; assignee_id: number | "me" | null }
  | { type: "team"; team_id: number | null }
  | { type: "status"; status: Exclude<ConversationStatus, "snoozed"> }
  | { type: "priority"; priority: Priority };

export type MacroActionType = MacroAction["type"];

/** The order the settings form lists and writes actions in: words first, the status last. */
export const ACTION_ORDER: MacroActionType[] = ["reply", "note", "add_labels", "remove_labels", "assign", "team", "priority", "status"];

/** Everyone's (no team, no owner), one team's, or one person's own. */
export interface MacroScope {
  team_id: number | null;
  owner_id: number | null;
}

export function macroVisible(viewer: Viewer, m: MacroScope): boolean {
  if (m.owner_id !== null) return m.owner_id === viewer.userId;
  return m.team_id === null || viewer.role !== "agent" || viewer.teamIds.includes(m.team_id);
}

/** Anyone keeps their own macros; shared ones are for admins and supervisors. */
export function macroManageable(viewer: Viewer, m: MacroScope): boolean {
  return m.owner_id !== null ? m.owner_id === viewer.userId : viewer.role !== "agent";
}

/** Why this person may not do this action (a message key's tail), or null. The same rule as the inbox's pickers. */
export function actionRefusal(viewer: Viewer, a: MacroAction): "team_not_visible" | null {
  if (a.type === "team" && !mayMoveToTeam(viewer, a.team_id)) return "team_not_visible";
  return null;
}

/** The labels after adding and removing (normalised like every label). */
export function labelsAfter(current: string[], add: string[], remove: string[]): string[] {
  const gone = new Set(remove.map(normaliseLabel));
  return [...new Set([...current, ...add.map(normaliseLabel)])].filter((l) => l && !gone.has(l)).sort();
}
