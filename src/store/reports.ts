// The facts reports are computed from: conversations opened or resolved in a range.
import type { Database } from "bun:sqlite";
import type { Tx } from "./tx.ts";
import type { ConversationFact, CsatFact, MessageFact } from "../domain/reports.ts";

type ConversationRow = { id: number; channel_id: number; type: string; assignee_id: number | null; created_at: number; first_response_at: number | null; resolved_at: number | null; resolved_by: number | null; team_id: number | null; priority: string; status: string; waiting_since: number | null; handle_ms: number };

/** The conversations matching `where` (SQL over `c`), as report facts: the one reading of them that the raw path and the roll-ups share. */
export function conversationFactsWhere(db: Database, where: string, args: number[]): ConversationFact[] {
  return db
    .query<ConversationRow, number[]>(
      // Who resolved it: the user whose status change was the last one up to the resolution.
      `SELECT c.id, c.channel_id, ch.type, c.assignee_id, c.created_at, c.first_response_at, c.resolved_at, c.team_id, c.priority, c.status, c.waiting_since, c.handle_ms,
         CASE WHEN c.resolved_at IS NOT NULL THEN (SELECT a.actor_id FROM audit_log a WHERE a.conversation_id = c.id AND a.action = 'conversation.status'
           AND a.actor_type = 'user' AND a.created_at <= c.resolved_at ORDER BY a.id DESC LIMIT 1) END AS resolved_by
       FROM conversations c JOIN channels ch ON ch.id = c.channel_id WHERE ${where}`,
    )
    .all(...args)
    .map((r) => ({
      id: r.id, channelId: r.channel_id, channelType: r.type, assigneeId: r.assignee_id, createdAt: r.created_at, firstResponseAt: r.first_response_at,
      resolvedAt: r.resolved_at, resolvedBy: r.resolved_by, teamId: r.team_id, priority: r.priority, status: r.status, waitingSince: r.waiting_since, handleMs: r.handle_ms,
    }));
}

export function conversationFacts(db: Database, range: { from: number; to: number }, f: { teamId?: number; agentId?: number }): ConversationFact[] {
  const where = ["((c.created_at >= ? AND c.created_at < ?) OR (c.resolved_at >= ? AND c.resolved_at < ?))"];
  const args: number[] = [range.from, range.to, range.from, range.to];
  if (f.teamId !== undefined) { where.push("c.team_id = ?"); args.push(f.teamId); }
  if (f.agentId !== undefined) { where.push("c.assignee_id = ?"); args.push(f.agentId); }
  return conversationFactsWhere(db, where.join(" AND "), args);
}

/**
 * The public messages (oldest first, per conversation) of the conversations matching `where`
 * (SQL over `m` and `c`). Failed sends answered nobody and are left out.
 */
export function messageFactsWhere(db: Database, where: string, args: number[]): MessageFact[] {
  return db
    .query<{ conversation_id: number; direction: "in" | "out"; author_id: number | null; automatic: number; created_at: number }, number[]>(
      // A customer's answer to a survey (meta.csat_answer, store/csat.ts) is no question waiting for a reply.
      `SELECT m.conversation_id, m.direction, CASE WHEN m.author_type = 'user' THEN m.author_id END AS author_id,
         (m.automatic OR (m.direction = 'in' AND m.meta LIKE '%"csat_answer"%')) AS automatic, m.created_at
       FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE ${where} AND m.private = 0 AND m.status != 'failed'
       ORDER BY m.conversation_id, m.created_at, m.id`,
    )
    .all(...args)
    .map((r) => ({ conversationId: r.conversation_id, direction: r.direction, authorId: r.author_id, automatic: !!r.automatic, at: r.created_at }));
}

/**
 * The public messages (oldest first, per conversation) of every conversation with a message in
 * the range, whole, so a wait that began before the range and ended in it is measured.
 */
export function messageFacts(db: Database, range: { from: number; to: number }, f: { teamId?: number; channelId?: number }): MessageFact[] {
  const where = ["m.conversation_id IN (SELECT conversation_id FROM messages WHERE created_at >= ? AND created_at < ?)"];
  const args: number[] = [range.from, range.to];
  if (f.teamId !== undefined) { where.push("c.team_id = ?"); args.push(f.teamId); }
  if (f.channelId !== undefined) { where.push("c.channel_id = ?"); args.push(f.channelId); }
  return messageFactsWhere(db, where.join(" AND "), args);
}

export function csatFacts(db: Database, range: { from: number; to: number }, f: { teamId?: number; agentId?: number }): CsatFact[] {
  const where = ["r.created_at >= ? AND r.created_at < ?"];
  const args: number[] = [range.from, range.to];
  if (f.teamId !== undefined) { where.push("c.team_id = ?"); args.push(f.teamId); }
  if (f.agentId !== undefined) { where.push("r.assignee_id = ?"); args.push(f.agentId); }
  return db
    .query<{ channel_id: number; assignee_id: number | null; rating: number; created_at: number }, number[]>(
      `SELECT c.channel_id, r.assignee_id, r.rating, r.created_at FROM csat_responses r JOIN conversations c ON c.id = r.conversation_id WHERE ${where.join(" AND ")}`,
    )
    .all(...args)
    .map((r) => ({ channelId: r.channel_id, assigneeId: r.assignee_id, rating: r.rating, at: r.created_at }));
}

/** The customer's rating is credited to whoever was assigned when they gave it. */
export function recordCsat(tx: Tx, conversationId: number, rating: number, comment: string | null): number {
  const conv = tx.db.query<{ assignee_id: number | null }, [number]>("SELECT assignee_id FROM conversations WHERE id = ?").get(conversationId);
  const id = Number(
    tx.db.query("INSERT INTO csat_responses (conversation_id, assignee_id, rating, comment, created_at) VALUES (?, ?, ?, ?, ?)").run(conversationId, conv?.assignee_id ?? null, rating, comment, tx.now).lastInsertRowid,
  );
  tx.db.query("INSERT INTO audit_log (actor_type, action, conversation_id, data, created_at) VALUES ('api', 'conversation.csat', ?, ?, ?)").run(conversationId, JSON.stringify({ rating, comment }), tx.now);
  tx.emit({ type: "conversation.updated", conversationId, changes: ["csat"] });
  return id;
}

export interface QueueNow {
  open: number;
  unassigned: number;
  urgent: number;
  pending: number;
  waiting: number;
  oldestWaitingSince: number | null;
  /** Open conversations per assignee, for "who has room" at a glance. */
  openByAgent: Map<number, number>;
}

/** The queue as it stands right now: what a manager checks first at a sales peak. */
export function queueNow(db: Database, f: { teamId?: number }): QueueNow {
  const team = f.teamId !== undefined ? " AND team_id = ?" : "";
  const args = f.teamId !== undefined ? [f.teamId] : [];
  // One pass over the open and pending conversations, per assignee and status (a dashboard view
  // reads it every time), in the index conversations_queue_now alone (migrations/0024): the
  // WHERE below must stay the index's own, status IN ('open','pending').
  const groups = db
    .query<{ assignee_id: number | null; status: string; n: number; urgent: number; waiting: number; oldest: number | null }, number[]>(
      `SELECT assignee_id, status, COUNT(*) AS n, SUM(urgent = 1) AS urgent, SUM(waiting_since IS NOT NULL) AS waiting, MIN(waiting_since) AS oldest
       FROM conversations WHERE status IN ('open','pending')${team} GROUP BY assignee_id, status`,
    )
    .all(...args);
  const q: QueueNow = { open: 0, unassigned: 0, urgent: 0, pending: 0, waiting: 0, oldestWaitingSince: null, openByAgent: new Map() };
  for (const g of groups) {
    q.urgent += g.urgent;
    if (g.status === "pending") {
      q.pending += g.n;
      continue;
    }
    q.open += g.n;
    q.waiting += g.waiting;
    if (g.oldest !== null && (q.oldestWaitingSince === null || g.oldest < q.oldestWaitingSince)) q.oldestWaitingSince = g.oldest;
    if (g.assignee_id === null) q.unassigned += g.n;
    else q.openByAgent.set(g.assignee_id, g.n);
  }
  return q;
}
