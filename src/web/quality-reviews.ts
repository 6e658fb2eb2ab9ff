// What the REST API and the pages both do with QA reviews, in one place: score a conversation,
// rescore or answer a dispute, and find a review only for those who may see it.
import type { Pano } from "../pano.ts";
import type { UserRow } from "../store/users.ts";
import { PanoError } from "../domain/errors.ts";
import { maySeeReview, mayReview, scoresProblem, type Scores } from "../domain/qa.ts";
import { getConversation } from "../store/conversations.ts";
import { scorecardById } from "../store/qa-scorecards.ts";
import { conversationAgent } from "../store/qa-queue.ts";
import { createReview, reviewById, rescoreReview, type Review } from "../store/qa-reviews.ts";

/** The review if this user may see it; for anyone else it does not exist (404, no leak that it does). */
export function visibleReview(pano: Pano, user: UserRow, id: number): Review {
  const r = reviewById(pano.store.sqlite, id);
  if (!r || !maySeeReview({ userId: user.id, role: user.role }, { agentId: r.agent_id, reviewerId: r.reviewer_id })) throw new PanoError("not_found", "Review not found");
  return r;
}

export function requireReviewer(user: UserRow): void {
  if (!mayReview(user.role)) throw new PanoError("forbidden", "Only admins and supervisors review conversations");
}

function checkScores(criteria: Parameters<typeof scoresProblem>[0], scores: Scores) {
  const p = scoresProblem(criteria, scores);
  if (p) throw new PanoError("validation_failed", `${p.field}: ${p.message}`, p.field);
}

/** Scores a conversation against an active scorecard, credited to the agent who handled it. */
export async function submitReview(pano: Pano, reviewer: UserRow, input: { conversationId: number; scorecardId: number; scores: Scores; note: string }): Promise<Review> {
  requireReviewer(reviewer);
  const db = pano.store.sqlite;
  if (!getConversation(db, input.conversationId)) throw new PanoError("validation_failed", `conversation_id: no conversation ${input.conversationId}`, "conversation_id");
  const card = scorecardById(db, input.scorecardId);
  if (!card) throw new PanoError("validation_failed", `scorecard_id: no scorecard ${input.scorecardId}`, "scorecard_id");
  if (card.status !== "active") throw new PanoError("validation_failed", "scorecard_id: this scorecard is archived", "scorecard_id");
  checkScores(card.criteria, input.scores);
  const agentId = conversationAgent(db, input.conversationId);
  if (agentId === null) throw new PanoError("validation_failed", "conversation_id: no agent worked on this conversation", "conversation_id");
  if (agentId === reviewer.id) throw new PanoError("validation_failed", "conversation_id: you handled this conversation; someone else reviews it", "conversation_id");
  const id = await createReview(pano.writer, { conversationId: input.conversationId, agentId, reviewerId: reviewer.id, scorecard: card, scores: input.scores, note: input.note });
  return reviewById(db, id)!;
}

/** A manager's new scores or answer to a dispute; the scores are checked against the review's own criteria. */
export async function changeReview(pano: Pano, user: UserRow, r: Review, change: { scores?: Scores; note?: string; answer?: string }): Promise<Review> {
  requireReviewer(user);
  if (r.agent_id === user.id) throw new PanoError("forbidden", "This review is about you; another manager rescores or answers it");
  if (change.scores) checkScores(r.criteria, change.scores);
  await rescoreReview(pano.writer, r, change, user.id);
  return reviewById(pano.store.sqlite, r.id)!;
}
