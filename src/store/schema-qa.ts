// Quality reviews (migration 0012_qa_reviews.sql): scorecards, the sampled review queue, reviews
// with a snapshot of the scorecard they were scored against, and each review's history.
import { sqliteTable, integer, text, real, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { conversations } from "./schema.ts";

/** criteria: JSON array of domain/qa.ts Criterion; editing it raises `version`. */
export const qaScorecards = sqliteTable("qa_scorecards", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  status: text("status").notNull().default("active"), // active | archived
  version: integer("version").notNull().default(1),
  criteria: text("criteria").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** One row (id 1): how the review queue samples. */
export const qaSettings = sqliteTable("qa_settings", {
  id: integer("id").primaryKey(),
  perAgentWeek: integer("per_agent_week").notNull().default(2),
  complaints: integer("complaints").notNull().default(1),
  lowCsat: integer("low_csat").notNull().default(1),
  updatedAt: integer("updated_at").notNull(),
});

export const qaQueue = sqliteTable(
  "qa_queue",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    conversationId: integer("conversation_id").notNull().references(() => conversations.id),
    agentId: integer("agent_id").notNull(),
    reason: text("reason").notNull(), // sample | complaint | low_csat
    weekStart: integer("week_start").notNull(),
    status: text("status").notNull().default("open"), // open | reviewed | skipped
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("qa_queue_conversation").on(t.conversationId),
    index("qa_queue_agent_week").on(t.agentId, t.weekStart, t.reason),
    index("qa_queue_status").on(t.status, t.id),
  ],
);

/** criteria: the scorecard as it was when scored; scores: JSON {criterion id: {score, note}}. */
export const qaReviews = sqliteTable(
  "qa_reviews",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    conversationId: integer("conversation_id").notNull().references(() => conversations.id),
    agentId: integer("agent_id").notNull(),
    reviewerId: integer("reviewer_id").notNull(),
    scorecardId: integer("scorecard_id").notNull().references(() => qaScorecards.id),
    scorecardVersion: integer("scorecard_version").notNull(),
    criteria: text("criteria").notNull(),
    scores: text("scores").notNull(),
    note: text("note").notNull().default(""),
    score: real("score"),
    status: text("status").notNull().default("awaiting_agent"), // awaiting_agent | acknowledged | disputed | answered
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("qa_reviews_conversation").on(t.conversationId),
    index("qa_reviews_agent").on(t.agentId, t.createdAt),
    index("qa_reviews_created").on(t.createdAt),
    index("qa_reviews_status").on(t.status),
  ],
);

/** What happened to a review: scored, rescored (data: the scores before), acknowledged, disputed, answered. */
export const qaReviewEvents = sqliteTable(
  "qa_review_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    reviewId: integer("review_id").notNull().references(() => qaReviews.id),
    actorId: integer("actor_id"),
    kind: text("kind").notNull(),
    text: text("text"),
    data: text("data"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("qa_review_events_review").on(t.reviewId, t.id)],
);
