// Conversation statuses, priorities and who may see or change what.
export const CONVERSATION_STATUSES = ["open", "pending", "snoozed", "resolved"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export const PRIORITIES = ["urgent", "high", "normal", "low"] as const;
export type Priority = (typeof PRIORITIES)[number];
export const INTENTS = ["support_request", "product_question", "complaint", "other"] as const;
export type Intent = (typeof INTENTS)[number];
export const ROLES = ["admin", "supervisor", "agent"] as const;
export type Role = (typeof ROLES)[number];

export const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export interface Viewer {
  userId: number;
  role: Role;
  teamIds: number[];
  /** Conversations outside their teams that a note's @mention opened to them (conversation_guests). */
  guestOf?: number[];
}

export interface ConversationScope {
  /** Without it, a mention's guest access is not considered (a contact's or team's notices). */
  id?: number;
  assigneeId: number | null;
  teamId: number | null;
}

/** A conversation row's scope, its id included. */
export const scopeOf = (r: { id: number; assignee_id: number | null; team_id: number | null }): ConversationScope => ({ id: r.id, assigneeId: r.assignee_id, teamId: r.team_id });

/**
 * Admins and supervisors see everything; an agent sees their teams' conversations, their own, and
 * those a note @mentioned them in. scopeSql (store/conversations.ts) is the same rule in SQL.
 */
export function canSee(viewer: Viewer, conv: ConversationScope): boolean {
  if (viewer.role !== "agent") return true;
  if (conv.assigneeId === viewer.userId) return true;
  if (conv.id !== undefined && viewer.guestOf?.includes(conv.id)) return true;
  return conv.teamId !== null && viewer.teamIds.includes(conv.teamId);
}

/**
 * An agent moves conversations only into their own teams (admins and supervisors anywhere): the
 * inbox offers them no other, and neither the API nor a macro lets them fill another team's queue.
 */
export function mayMoveToTeam(viewer: Viewer, teamId: number | null | undefined): boolean {
  return teamId === null || teamId === undefined || viewer.role !== "agent" || viewer.teamIds.includes(teamId);
}

/** What a new inbound message does to the conversation it lands in. */
export function statusOnInbound(current: ConversationStatus, automatic: boolean): ConversationStatus {
  // auto-replies and bounces never reopen a conversation
  return automatic ? current : "open";
}

export function isValidStatus(s: string): s is ConversationStatus {
  return (CONVERSATION_STATUSES as readonly string[]).includes(s);
}
export function isValidPriority(s: string): s is Priority {
  return (PRIORITIES as readonly string[]).includes(s);
}
export function isValidIntent(s: string): s is Intent {
  return (INTENTS as readonly string[]).includes(s);
}

/** Labels are lower-case slugs so "VIP" and "vip" are one label. */
export function normaliseLabel(label: string): string {
  return label.trim().toLowerCase().replace(/\s+/g, "-").slice(0, 50);
}

/**
 * Urgent means priority urgent: an agent who marks a conversation urgent (page or API) lifts it
 * to the top of the queue, and one who says "not urgent" takes it off the top (to normal, unless
 * the same change names another priority). Triage follows the same rule but yields to a priority
 * an agent chose, so this applies to agents' changes, not to every update.
 */
export function withUrgentPriority<P extends { urgent?: boolean; priority?: Priority }>(patch: P, current: Priority): P {
  if (patch.urgent === true) return { ...patch, priority: "urgent" };
  if (patch.urgent === false && (patch.priority ?? current) === "urgent") return { ...patch, priority: "normal" };
  return patch;
}
