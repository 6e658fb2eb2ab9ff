// The facts reports are computed from: conversations opened or resolved in a range.
import type { Database } from "bun:sqlite";
import type { ConversationFact } from "../domain/reports.ts";

export function conversationFacts(db: Database, range: { from: number; to: number }, f: { teamId?: number; agentId?: number }): ConversationFact[] {
  const where = ["((c.created_at >= ? AND c.created_at < ?) OR (c.resolved_at >= ? AND c.resolved_at < ?))"];
  const args: number[] = [range.from, range.to, range.from, range.to];
  if (f.teamId !== undefined) { where.push("c.team_id = ?"); args.push(f.teamId); }
  if (f.agentId !== undefined) { where.push("c.assignee_id = ?"); args.push(f.agentId); }
  return db
    .query<{ channel_id: number; type: string; assignee_id: number | null; created_at: number; first_response_at: number | null; resolved_at: number | null }, number[]>(
      `SELECT c.channel_id, ch.type, c.assignee_id, c.created_at, c.first_response_at, c.resolved_at
       FROM conversations c JOIN channels ch ON ch.id = c.channel_id WHERE ${where.join(" AND ")}`,
    )
    .all(...args)
    .map((r) => ({ channelId: r.channel_id, channelType: r.type, assigneeId: r.assignee_id, createdAt: r.created_at, firstResponseAt: r.first_response_at, resolvedAt: r.resolved_at }));
}
