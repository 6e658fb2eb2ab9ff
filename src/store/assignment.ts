// Assignment queries. Each function runs inside one writer job, so the loads it reads and the
// assignments it writes are one consistent step (no agent goes over capacity in a race).
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { planAssignments, type AgentLoad, type Strategy } from "../domain/assignment.ts";
import { updateConversation } from "./conversations.ts";
import { auditAction } from "./audit.ts";

export interface TeamRow {
  id: number;
  assignment: Strategy;
  offline_return_minutes: number;
  last_assigned_user_id: number | null;
}

interface MemberRow { user_id: number; availability: string; capacity: number }

const SYSTEM = { type: "system" as const, id: null };

export function teamsWithMembers(db: Database): TeamRow[] {
  return db.query<TeamRow, []>("SELECT id, assignment, offline_return_minutes, last_assigned_user_id FROM teams ORDER BY id").all();
}

export function teamIdsOf(db: Database, userId: number): number[] {
  return db.query<{ team_id: number }, [number]>("SELECT team_id FROM team_members WHERE user_id = ?").all(userId).map((r) => r.team_id);
}

/** Open conversations each agent holds now (across all teams: capacity is per person). */
function openLoads(tx: Tx, userIds: number[]): Map<number, number> {
  if (!userIds.length) return new Map();
  const rows = tx.db
    .query<{ assignee_id: number; n: number }, number[]>(
      `SELECT assignee_id, count(*) AS n FROM conversations WHERE status = 'open' AND assignee_id IN (${userIds.map(() => "?").join(",")}) GROUP BY assignee_id`,
    )
    .all(...userIds);
  return new Map(rows.map((r) => [r.assignee_id, r.n]));
}

/** Hands the team's waiting conversations (urgent first, then longest waiting) to eligible agents. */
export function assignTeamQueue(tx: Tx, teamId: number, isConnected: (userId: number) => boolean): number {
  const team = tx.db.query<TeamRow, [number]>("SELECT id, assignment, offline_return_minutes, last_assigned_user_id FROM teams WHERE id = ?").get(teamId);
  if (!team || team.assignment === "manual") return 0;
  const members = tx.db
    .query<MemberRow, [number]>(
      `SELECT m.user_id, u.availability, u.capacity FROM team_members m JOIN users u ON u.id = m.user_id
       WHERE m.team_id = ? AND u.disabled_at IS NULL AND u.availability = 'online'`,
    )
    .all(teamId)
    .filter((m) => isConnected(m.user_id));
  if (!members.length) return 0;
  const loads = openLoads(tx, members.map((m) => m.user_id));
  const agents: AgentLoad[] = members.map((m) => ({ userId: m.user_id, capacity: m.capacity, open: loads.get(m.user_id) ?? 0 }));
  const room = agents.reduce((n, a) => n + Math.max(0, a.capacity - a.open), 0);
  if (!room) return 0;
  const queue = tx.db
    .query<{ id: number }, [number, number]>(
      `SELECT id FROM conversations WHERE team_id = ? AND status = 'open' AND assignee_id IS NULL
       ORDER BY priority_rank, coalesce(waiting_since, last_message_at), id LIMIT ?`,
    )
    .all(teamId, room)
    .map((r) => r.id);
  const plan = planAssignments(team.assignment, queue, agents, team.last_assigned_user_id);
  for (const a of plan.assignments) updateConversation(tx, a.conversationId, { assigneeId: a.userId }, SYSTEM);
  if (plan.assignments.length) tx.db.query("UPDATE teams SET last_assigned_user_id = ? WHERE id = ?").run(plan.lastAssigned, teamId);
  return plan.assignments.length;
}

/** An agent gone too long: their open, unanswered conversations in this team go back to its queue. */
export function returnWaiting(tx: Tx, teamId: number, userId: number): number {
  const ids = tx.db
    .query<{ id: number }, [number, number]>("SELECT id FROM conversations WHERE assignee_id = ? AND team_id = ? AND status = 'open' AND waiting_since IS NOT NULL")
    .all(userId, teamId)
    .map((r) => r.id);
  for (const id of ids) updateConversation(tx, id, { assigneeId: null }, SYSTEM);
  return ids.length;
}

/** Does anyone in this team hold waiting work it could lose? Cheap check before a write job. */
export function hasWaitingAssigned(db: Database, teamId: number, userId: number): boolean {
  return !!db.query("SELECT 1 FROM conversations WHERE assignee_id = ? AND team_id = ? AND status = 'open' AND waiting_since IS NOT NULL LIMIT 1").get(userId, teamId);
}

/** Manual availability and capacity, audited (the settings page and the status API call this). */
export function setAgentStatus(tx: Tx, userId: number, s: { availability?: string; capacity?: number }, actorId: number | null): void {
  if (s.availability !== undefined) tx.db.query("UPDATE users SET availability = ? WHERE id = ?").run(s.availability, userId);
  if (s.capacity !== undefined) tx.db.query("UPDATE users SET capacity = ? WHERE id = ?").run(s.capacity, userId);
  auditAction(tx, actorId, "user.status", { type: "user", id: userId }, s);
}
