// Satisfaction surveys (migration 0011_csat_surveys.sql, docs/csat.md): each team's survey
// settings, one survey per resolved conversation, and the key that signs the links mailed in them.
// The answer itself is a row of csat_responses (schema.ts) carrying the survey's id.
import { sqliteTable, integer, text, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { conversations, teams } from "./schema.ts";

export const csatSettings = sqliteTable("csat_settings", {
  teamId: integer("team_id").primaryKey().references(() => teams.id),
  enabled: integer("enabled").notNull().default(0),
  delayMinutes: integer("delay_minutes").notNull().default(0),
  // null: the shipped question in that language (domain/csat.ts)
  textVi: text("text_vi"),
  textEn: text("text_en"),
  // No second survey to the same customer within this many days.
  minDaysBetween: integer("min_days_between").notNull().default(30),
  updatedAt: integer("updated_at").notNull(),
});

export const csatSurveys = sqliteTable(
  "csat_surveys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    conversationId: integer("conversation_id").notNull().references(() => conversations.id),
    contactId: integer("contact_id").notNull(),
    channelId: integer("channel_id").notNull(),
    teamId: integer("team_id"),
    // The agent credited with the answer: who handled it (most replies, else resolver, else assignee; store/qa-queue.ts).
    agentId: integer("agent_id"),
    language: text("language").notNull().default("vi"),
    status: text("status").notNull().default("scheduled"), // scheduled | sent | answered | skipped
    dueAt: integer("due_at").notNull(),
    messageId: integer("message_id"),
    sentAt: integer("sent_at"),
    answeredAt: integer("answered_at"),
    // An emailed link was followed: the other links of the same survey are spent.
    linkUsedAt: integer("link_used_at"),
    skipReason: text("skip_reason"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("csat_surveys_conversation").on(t.conversationId),
    index("csat_surveys_due").on(t.status, t.dueAt),
    index("csat_surveys_contact").on(t.contactId, t.sentAt),
    index("csat_surveys_sent").on(t.sentAt),
  ],
);

export const csatLinkKey = sqliteTable("csat_link_key", {
  id: integer("id").primaryKey(),
  key: text("key").notNull(),
});
