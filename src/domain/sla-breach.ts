// What a missed SLA target does to its conversation, when its policy says so: escalate the
// priority (never lower it), move it to another team, hand it to someone, or put it back in the
// team's queue for whoever is free. Pure: the store applies the patch through the normal update.
import { PRIORITY_RANK, type Priority } from "./conversation.ts";

export interface BreachActions {
  priority?: Priority;
  team_id?: number;
  /** A person to hand it to, or null: back to the team's queue (unassigned). */
  assignee_id?: number | null;
}

export interface BreachPatch { priority?: Priority; teamId?: number; assigneeId?: number | null }

export function parseBreachActions(raw: string | null): BreachActions | null {
  if (!raw) return null;
  try {
    const a = JSON.parse(raw) as BreachActions;
    return a && typeof a === "object" && Object.keys(a).length ? a : null;
  } catch {
    return null;
  }
}

export function breachPatch(cur: { priority: Priority; team_id: number | null; assignee_id: number | null }, a: BreachActions): BreachPatch {
  const patch: BreachPatch = {};
  if (a.priority && PRIORITY_RANK[a.priority] < PRIORITY_RANK[cur.priority]) patch.priority = a.priority;
  if (a.team_id !== undefined && a.team_id !== cur.team_id) patch.teamId = a.team_id;
  if (a.assignee_id !== undefined && a.assignee_id !== cur.assignee_id) patch.assigneeId = a.assignee_id;
  return patch;
}
