// The review queue: which resolved conversations a reviewer should look at. Sampling adds N
// conversations per agent per week at random, every complaint and every conversation the customer
// rated 1 or 2; each conversation at most once (never one already queued or reviewed), credited to
// the agent who handled it (domain/qa.ts handledBy).
import type { Database } from "bun:sqlite";
import type { Tx, Writer } from "./writer.ts";
import { handledBy, weekStart, type QueueReason, type ReplyCount } from "../domain/qa.ts";
import { zoneOffsetMinutes } from "../domain/report-series.ts";
import type { QaSettings } from "./qa-scorecards.ts";

const WEEK = 7 * 86400_000;

/** Who resolved conversation `c`: the user whose status change was the last one up to its resolution (as reports credit it). */
const RESOLVED_BY = `(SELECT a.actor_id FROM audit_log a WHERE a.conversation_id = c.id AND a.action = 'conversation.status' AND a.actor_type = 'user'
  AND a.created_at <= c.resolved_at ORDER BY a.id DESC LIMIT 1)`;

interface Candidate { id: number; intent: string | null; assignee_id: number | null; resolved_at: number; resolved_by: number | null; csat: number | null }

/** Resolved, not yet queued or reviewed, resolved this week or last (older ones are history, not a queue). */
function candidates(db: Database, since: number): Candidate[] {
  return db
    .query<Candidate, [number]>(
      `SELECT c.id, c.intent, c.assignee_id, c.resolved_at, ${RESOLVED_BY} AS resolved_by,
         (SELECT r.rating FROM csat_responses r WHERE r.conversation_id = c.id ORDER BY r.id DESC LIMIT 1) AS csat
       FROM conversations c
       WHERE c.status = 'resolved' AND c.resolved_at >= ?
         AND NOT EXISTS (SELECT 1 FROM qa_queue q WHERE q.conversation_id = c.id)
         AND NOT EXISTS (SELECT 1 FROM qa_reviews r WHERE r.conversation_id = c.id)
       ORDER BY c.id`,
    )
    .all(since);
}

/** Each conversation's public replies per writer (automatic and failed sends are nobody's work). */
export function replyCounts(db: Database, conversationIds: number[]): Map<number, ReplyCount[]> {
  const rows = db
    .query<{ conversation_id: number; author_id: number; n: number; last_at: number }, [string]>(
      `SELECT conversation_id, author_id, COUNT(*) AS n, MAX(created_at) AS last_at FROM messages
       WHERE conversation_id IN (SELECT value FROM json_each(?)) AND direction = 'out' AND author_type = 'user' AND author_id IS NOT NULL
         AND private = 0 AND automatic = 0 AND status != 'failed'
       GROUP BY conversation_id, author_id`,
    )
    .all(JSON.stringify(conversationIds));
  const out = new Map<number, ReplyCount[]>();
  for (const r of rows) {
    const list = out.get(r.conversation_id) ?? [];
    list.push({ authorId: r.author_id, replies: r.n, lastAt: r.last_at });
    out.set(r.conversation_id, list);
  }
  return out;
}

/** Who a conversation's review is credited to (null: nobody worked on it). */
export function conversationAgent(db: Database, conversationId: number): number | null {
  const c = db
    .query<{ assignee_id: number | null; resolved_by: number | null }, [number]>(
      `SELECT c.assignee_id, ${RESOLVED_BY} AS resolved_by FROM conversations c WHERE c.id = ?`,
    )
    .get(conversationId);
  if (!c) return null;
  return handledBy(replyCounts(db, [conversationId]).get(conversationId) ?? [], c.resolved_by, c.assignee_id);
}

/**
 * Adds what the rules ask for to the queue, in one transaction; returns how many were added.
 * `random` picks the weekly sample (passed in so a story can fix it).
 */
export function sampleQueue(tx: Tx, s: QaSettings, timeZone: string, random: () => number = Math.random): number {
  const offset = (t: number) => zoneOffsetMinutes(t, timeZone);
  const since = weekStart(tx.now, offset(tx.now)) - WEEK;
  const found = candidates(tx.db, since);
  if (!found.length) return 0;
  const replies = replyCounts(tx.db, found.map((c) => c.id));
  const insert = tx.db.query("INSERT INTO qa_queue (conversation_id, agent_id, reason, week_start, created_at) VALUES (?, ?, ?, ?, ?)");
  let added = 0;
  const add = (c: Candidate, agent: number, reason: QueueReason, week: number) => (insert.run(c.id, agent, reason, week, tx.now), added++);
  const pool = new Map<string, { agent: number; week: number; list: Candidate[] }>();
  for (const c of found) {
    const agent = handledBy(replies.get(c.id) ?? [], c.resolved_by, c.assignee_id);
    if (agent === null) continue;
    const week = weekStart(c.resolved_at, offset(c.resolved_at));
    if (s.complaints && c.intent === "complaint") add(c, agent, "complaint", week);
    else if (s.low_csat && c.csat !== null && c.csat <= 2) add(c, agent, "low_csat", week);
    else {
      const key = `${agent}:${week}`;
      const p = pool.get(key) ?? { agent, week, list: [] };
      p.list.push(c);
      pool.set(key, p);
    }
  }
  const sampled = tx.db.query<{ n: number }, [number, number]>("SELECT COUNT(*) AS n FROM qa_queue WHERE agent_id = ? AND week_start = ? AND reason = 'sample'");
  for (const { agent, week, list } of pool.values()) {
    let need = s.per_agent_week - (sampled.get(agent, week)?.n ?? 0);
    while (need-- > 0 && list.length) add(list.splice(Math.floor(random() * list.length), 1)[0], agent, "sample", week);
  }
  return added;
}

export async function sample(writer: Writer, s: QaSettings, timeZone: string): Promise<number> {
  return writer.submit((tx) => sampleQueue(tx, s, timeZone));
}

export interface QueueItem {
  id: number;
  conversation_id: number;
  agent_id: number;
  agent_name: string | null;
  reason: QueueReason;
  week_start: number;
  status: string;
  subject: string | null;
  contact_name: string | null;
  channel_id: number;
  intent: string | null;
  resolved_at: number | null;
  created_at: number;
}

/** Open items, the customer's complaints and bad ratings first, then the oldest; `afterId` pages. */
export function openQueue(db: Database, f: { agentId?: number }, limit: number, offset = 0): QueueItem[] {
  return db
    .query<QueueItem, (number | null)[]>(
      `SELECT q.id, q.conversation_id, q.agent_id, u.name AS agent_name, q.reason, q.week_start, q.status, c.subject, ct.name AS contact_name,
         c.channel_id, c.intent, c.resolved_at, q.created_at
       FROM qa_queue q JOIN conversations c ON c.id = q.conversation_id LEFT JOIN users u ON u.id = q.agent_id LEFT JOIN contacts ct ON ct.id = c.contact_id
       WHERE q.status = 'open' AND (? IS NULL OR q.agent_id = ?)
       ORDER BY CASE q.reason WHEN 'low_csat' THEN 0 WHEN 'complaint' THEN 1 ELSE 2 END, q.id LIMIT ? OFFSET ?`,
    )
    .all(f.agentId ?? null, f.agentId ?? null, limit, offset);
}

export function queueItem(db: Database, id: number): { id: number; conversation_id: number; status: string } | null {
  return db.query<{ id: number; conversation_id: number; status: string }, [number]>("SELECT id, conversation_id, status FROM qa_queue WHERE id = ?").get(id);
}

/** The open item after this conversation's, for "save and review the next one". */
export function nextInQueue(db: Database, exceptConversationId: number): QueueItem | null {
  return openQueue(db, {}, 2).find((q) => q.conversation_id !== exceptConversationId) ?? null;
}

export async function skipQueueItem(writer: Writer, id: number): Promise<boolean> {
  return writer.submit((tx) => tx.db.query("UPDATE qa_queue SET status = 'skipped' WHERE id = ? AND status = 'open'").run(id).changes > 0);
}

/** Reviewing a conversation takes it off the queue (called in the review's transaction). */
export function markQueueReviewed(tx: Tx, conversationId: number): void {
  tx.db.query("UPDATE qa_queue SET status = 'reviewed' WHERE conversation_id = ? AND status != 'reviewed'").run(conversationId);
}
