// Quality reviews: scorecards, how a review's weighted score is computed, who handled a
// conversation, the weeks the queue samples in, and what each person may do to a review.
import type { Role } from "./conversation.ts";

/** One thing a reviewer scores. `scale` is the top score (0..scale); a critical criterion at 0 fails the whole review. */
export interface Criterion {
  id: string;
  name: string;
  guidance: string;
  weight: number;
  scale: number;
  critical: boolean;
}

/** Per criterion: a score in 0..scale, or null for "not applicable" (left out of the score), and a coaching note. */
export interface CriterionScore {
  score: number | null;
  note: string;
}

export type Scores = Record<string, CriterionScore>;

export const MAX_SCALE = 9;
export const MAX_CRITERIA = 20;

export const REVIEW_STATUSES = ["awaiting_agent", "acknowledged", "disputed", "answered"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const QUEUE_REASONS = ["sample", "complaint", "low_csat"] as const;
export type QueueReason = (typeof QUEUE_REASONS)[number];

/** A criterion id from its name: stable, short, readable in the API ("correct-information"). */
export function criterionId(name: string, taken: Set<string>): string {
  const base = name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "criterion";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/**
 * The review's score in percent (one decimal): each scored criterion counts score/scale times its
 * weight; criteria marked not applicable are left out. A critical criterion scored 0 makes the
 * whole review 0. Null when nothing was scored.
 */
export function weightedScore(criteria: Criterion[], scores: Scores): number | null {
  let got = 0;
  let possible = 0;
  for (const c of criteria) {
    const s = scores[c.id]?.score;
    if (s === null || s === undefined) continue;
    if (c.critical && s === 0) return 0;
    got += (c.weight * s) / c.scale;
    possible += c.weight;
  }
  return possible ? Math.round((got / possible) * 1000) / 10 : null;
}

/** Which of `scores` do not fit the criteria: a missing criterion, an unknown one or a score off the scale. */
export function scoresProblem(criteria: Criterion[], scores: Scores): { field: string; message: string } | null {
  const ids = new Set(criteria.map((c) => c.id));
  for (const k of Object.keys(scores)) if (!ids.has(k)) return { field: `scores.${k}`, message: "no such criterion on this scorecard" };
  for (const c of criteria) {
    const s = scores[c.id];
    if (!s) return { field: `scores.${c.id}`, message: "required (a score, or null for not applicable)" };
    if (s.score !== null && (!Number.isInteger(s.score) || s.score < 0 || s.score > c.scale)) return { field: `scores.${c.id}.score`, message: `must be a whole number from 0 to ${c.scale}, or null` };
  }
  return null;
}

/** One agent's replies in a conversation: how many, and when their last one was. */
export interface ReplyCount {
  authorId: number;
  replies: number;
  lastAt: number;
}

/**
 * Who handled a conversation, as the reports credit work: the agent who wrote most of its replies
 * (the latest writer on a tie); without replies, whoever resolved it, else the assignee.
 */
export function handledBy(replies: ReplyCount[], resolvedBy: number | null, assigneeId: number | null): number | null {
  const best = [...replies].sort((a, b) => b.replies - a.replies || b.lastAt - a.lastAt)[0];
  return best?.authorId ?? resolvedBy ?? assigneeId;
}

/** Local Monday 00:00 of the week holding `t`, in a zone `offsetMinutes` ahead of UTC. */
export function weekStart(t: number, offsetMinutes: number): number {
  const DAY = 86400_000;
  const local = t + offsetMinutes * 60_000;
  const day = Math.floor(local / DAY);
  const weekday = (day + 3) % 7; // 1970-01-01 was a Thursday: 0 = Monday
  return (day - weekday) * DAY - offsetMinutes * 60_000;
}

export interface ReviewParties {
  agentId: number;
  reviewerId: number;
}

/** Reviews are for admins, supervisors and the agent reviewed; nobody else learns they exist. */
export function maySeeReview(viewer: { userId: number; role: Role }, r: ReviewParties): boolean {
  return viewer.role === "admin" || viewer.role === "supervisor" || viewer.userId === r.agentId;
}

export const mayReview = (role: Role) => role === "admin" || role === "supervisor";

/** The reviewed agent acknowledges or disputes a review that waits for them or was answered. */
export function agentMayRespond(status: ReviewStatus): boolean {
  return status === "awaiting_agent" || status === "answered";
}

/** The average of review scores, one decimal; null without any (a report must not invent a zero). */
export const averageScore = (v: number[]): number | null => (v.length ? Math.round((v.reduce((a, x) => a + x, 0) / v.length) * 10) / 10 : null);

/** Reviews and their average score for a report row. */
export const qaFigures = (facts: { score: number }[]) => ({ qa_reviews: facts.length, qa_score: averageScore(facts.map((f) => f.score)) });
