// QA reviews: a conversation scored against a scorecard (whose criteria are copied into the
// review, so later edits of the scorecard leave it as it was), the agent's answer (acknowledge or
// dispute), the reviewer's answer to a dispute and every rescore, each kept as an event.
import type { Database } from "bun:sqlite";
import type { Tx, Writer } from "./writer.ts";
import { auditAction } from "./audit.ts";
import { markQueueReviewed } from "./qa-queue.ts";
import { PanoError } from "../domain/errors.ts";
import { agentMayRespond, weightedScore, type Criterion, type ReviewStatus, type Scores } from "../domain/qa.ts";
import type { Scorecard } from "./qa-scorecards.ts";

export interface ReviewEvent {
  id: number;
  actor_id: number | null;
  actor_name: string | null;
  kind: "scored" | "rescored" | "acknowledged" | "disputed" | "answered";
  text: string | null;
  /** rescored / answered with new scores: the score and scores before. */
  data: { before?: { score: number | null; scores: Scores; note: string } } | null;
  created_at: number;
}

export interface Review {
  id: number;
  conversation_id: number;
  agent_id: number;
  agent_name: string | null;
  reviewer_id: number;
  reviewer_name: string | null;
  scorecard_id: number;
  scorecard_name: string | null;
  scorecard_version: number;
  criteria: Criterion[];
  scores: Scores;
  note: string;
  score: number | null;
  status: ReviewStatus;
  subject: string | null;
  contact_name: string | null;
  created_at: number;
  updated_at: number;
}

type Row = Omit<Review, "criteria" | "scores"> & { criteria: string; scores: string };

const SELECT = `SELECT r.*, a.name AS agent_name, rv.name AS reviewer_name, s.name AS scorecard_name, c.subject, ct.name AS contact_name
  FROM qa_reviews r JOIN conversations c ON c.id = r.conversation_id LEFT JOIN contacts ct ON ct.id = c.contact_id
  LEFT JOIN users a ON a.id = r.agent_id LEFT JOIN users rv ON rv.id = r.reviewer_id LEFT JOIN qa_scorecards s ON s.id = r.scorecard_id`;

const toReview = (r: Row): Review => ({ ...r, criteria: JSON.parse(r.criteria), scores: JSON.parse(r.scores) });

export function reviewById(db: Database, id: number): Review | null {
  const r = db.query<Row, [number]>(`${SELECT} WHERE r.id = ?`).get(id);
  return r ? toReview(r) : null;
}

export function reviewOfConversation(db: Database, conversationId: number): Review | null {
  const r = db.query<Row, [number]>(`${SELECT} WHERE r.conversation_id = ?`).get(conversationId);
  return r ? toReview(r) : null;
}

export interface ReviewFilter {
  agentId?: number;
  reviewerId?: number;
  status?: ReviewStatus;
  /** Reviews older than this id (the next page). */
  beforeId?: number;
}

/** Newest first, `limit + 1` rows at most (the caller pages on the extra one). */
export function listReviews(db: Database, f: ReviewFilter, limit: number): Review[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (f.agentId !== undefined) where.push("r.agent_id = ?"), args.push(f.agentId);
  if (f.reviewerId !== undefined) where.push("r.reviewer_id = ?"), args.push(f.reviewerId);
  if (f.status !== undefined) where.push("r.status = ?"), args.push(f.status);
  if (f.beforeId !== undefined) where.push("r.id < ?"), args.push(f.beforeId);
  return db.query<Row, (string | number)[]>(`${SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY r.id DESC LIMIT ?`).all(...args, limit + 1).map(toReview);
}

export function reviewEvents(db: Database, reviewId: number): ReviewEvent[] {
  return db
    .query<Omit<ReviewEvent, "data"> & { data: string | null }, [number]>(
      "SELECT e.id, e.actor_id, u.name AS actor_name, e.kind, e.text, e.data, e.created_at FROM qa_review_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.review_id = ? ORDER BY e.id",
    )
    .all(reviewId)
    .map((e) => ({ ...e, data: e.data ? JSON.parse(e.data) : null }));
}

function addEvent(tx: Tx, reviewId: number, actorId: number, kind: ReviewEvent["kind"], text: string | null, data: ReviewEvent["data"] = null) {
  tx.db.query("INSERT INTO qa_review_events (review_id, actor_id, kind, text, data, created_at) VALUES (?, ?, ?, ?, ?, ?)").run(reviewId, actorId, kind, text, data ? JSON.stringify(data) : null, tx.now);
}

export interface ReviewInput {
  conversationId: number;
  agentId: number;
  reviewerId: number;
  scorecard: Scorecard;
  scores: Scores;
  note: string;
}

/** Scores a conversation; a conversation is reviewed once (a second review is a conflict: rescore the first). */
export async function createReview(writer: Writer, input: ReviewInput): Promise<number> {
  const score = weightedScore(input.scorecard.criteria, input.scores);
  return writer.submit((tx) => {
    if (tx.db.query("SELECT 1 FROM qa_reviews WHERE conversation_id = ?").get(input.conversationId)) throw new PanoError("conflict", "This conversation has already been reviewed; rescore that review instead", "conversation_id");
    const id = Number(
      tx.db.query(
        `INSERT INTO qa_reviews (conversation_id, agent_id, reviewer_id, scorecard_id, scorecard_version, criteria, scores, note, score, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'awaiting_agent', ?, ?)`,
      ).run(input.conversationId, input.agentId, input.reviewerId, input.scorecard.id, input.scorecard.version, JSON.stringify(input.scorecard.criteria), JSON.stringify(input.scores), input.note, score, tx.now, tx.now).lastInsertRowid,
    );
    addEvent(tx, id, input.reviewerId, "scored", null);
    markQueueReviewed(tx, input.conversationId);
    auditAction(tx, input.reviewerId, "qa_review.created", { type: "qa_review", id }, { conversation_id: input.conversationId, agent_id: input.agentId, score });
    return id;
  });
}

/** Applies a step only from the status the caller saw; someone else's step in between is a conflict. */
function step(tx: Tx, r: Review, to: ReviewStatus, set = "", args: (string | number | null)[] = []) {
  const changed = tx.db.query(`UPDATE qa_reviews SET status = ?, updated_at = ?${set} WHERE id = ? AND status = ? AND updated_at = ?`).run(to, tx.now, ...args, r.id, r.status, r.updated_at).changes;
  if (!changed) throw new PanoError("conflict", "The review changed meanwhile; reload it");
}

/**
 * New scores from a manager, kept beside the old ones in the history. `answer`: the reply to the
 * agent's dispute (the review becomes answered); a plain rescore asks the agent to look again.
 */
export async function rescoreReview(writer: Writer, r: Review, change: { scores?: Scores; note?: string; answer?: string }, actorId: number): Promise<void> {
  const scores = change.scores ?? r.scores;
  const note = change.note ?? r.note;
  const rescored = JSON.stringify(scores) !== JSON.stringify(r.scores) || note !== r.note;
  if (change.answer === undefined && !rescored) return;
  if (change.answer !== undefined && r.status !== "disputed") throw new PanoError("conflict", "Only a disputed review can be answered", "answer");
  const score = weightedScore(r.criteria, scores);
  const to: ReviewStatus = change.answer !== undefined ? "answered" : r.status === "disputed" ? "disputed" : "awaiting_agent";
  await writer.submit((tx) => {
    step(tx, r, to, ", scores = ?, note = ?, score = ?", [JSON.stringify(scores), note, score]);
    const before = rescored ? { before: { score: r.score, scores: r.scores, note: r.note } } : null;
    if (change.answer !== undefined) addEvent(tx, r.id, actorId, "answered", change.answer, before);
    else addEvent(tx, r.id, actorId, "rescored", null, before);
    auditAction(tx, actorId, change.answer !== undefined ? "qa_review.answered" : "qa_review.rescored", { type: "qa_review", id: r.id }, { score, before: r.score });
  });
}

/** The reviewed agent's answer: acknowledged, or disputed with a reason. */
export async function respondToReview(writer: Writer, r: Review, agentId: number, answer: { kind: "acknowledged" } | { kind: "disputed"; reason: string }): Promise<void> {
  if (r.agent_id !== agentId) throw new PanoError("forbidden", "Only the reviewed agent can answer a review");
  if (!agentMayRespond(r.status)) throw new PanoError("conflict", r.status === "disputed" ? "The dispute is waiting for the reviewer's answer" : "The review is already acknowledged");
  await writer.submit((tx) => {
    step(tx, r, answer.kind);
    addEvent(tx, r.id, agentId, answer.kind, answer.kind === "disputed" ? answer.reason : null);
  });
}

export interface QaFact {
  agentId: number;
  channelId: number;
  score: number;
  at: number;
}

/** Scored reviews made in the range (of the team's conversations): the reports' QA figures. */
export function qaFacts(db: Database, range: { from: number; to: number }, f: { teamId?: number; agentId?: number; channelId?: number }): QaFact[] {
  const where = ["r.created_at >= ? AND r.created_at < ?", "r.score IS NOT NULL"];
  const args: number[] = [range.from, range.to];
  if (f.teamId !== undefined) where.push("c.team_id = ?"), args.push(f.teamId);
  if (f.agentId !== undefined) where.push("r.agent_id = ?"), args.push(f.agentId);
  if (f.channelId !== undefined) where.push("c.channel_id = ?"), args.push(f.channelId);
  return db
    .query<{ agent_id: number; channel_id: number; score: number; created_at: number }, number[]>(`SELECT r.agent_id, c.channel_id, r.score, r.created_at FROM qa_reviews r JOIN conversations c ON c.id = r.conversation_id WHERE ${where.join(" AND ")}`)
    .all(...args)
    .map((r) => ({ agentId: r.agent_id, channelId: r.channel_id, score: r.score, at: r.created_at }));
}
