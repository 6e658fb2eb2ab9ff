// The dashboard's roll-ups (migrations/0020_report_rollups.sql, src/store/report-rollups.ts,
// docs/reports.md "Roll-ups"): per hour (UTC, epoch ms of the hour's start) and kind, the packed
// report records of every conversation with something in that hour; per conversation, the
// records it contributes now (to take them back out when it changes); and the conversations
// changed since the last batch, marked by triggers on conversations, messages and audit_log.
import { sqliteTable, integer, blob } from "drizzle-orm/sqlite-core";

export const reportPages = sqliteTable("report_pages", {
  // kind, hour and part in one rowid (pageId in report-rollups-pages.ts): a period of one kind is
  // one range of the table's own b-tree, and a page of up to ~4 KB is stored in its leaf.
  id: integer("id").primaryKey(),
  kind: integer("kind").notNull(), // 0 built-whole marker, 1/5 conversation, 2 answered wait, 3 reply, 4 credit
  hour: integer("hour").notNull(),
  part: integer("part").notNull(), // conversation id / 8 (waits, replies) or / 64 (conversations); CREDIT: 0
  n: integer("n").notNull(), // records in data
  data: blob("data", { mode: "buffer" }).notNull(), // packed records (layout: report-rollups-pages.ts)
  v: integer("v").notNull().default(0), // the write that made it (report_page_version; migrations/0025)
});

// The counter each batch that rewrites pages takes its v from (one row, id 1): never reset, so a
// page's (id, v) is never seen twice with different data.
export const reportPageVersion = sqliteTable("report_page_version", {
  id: integer("id").primaryKey(),
  v: integer("v").notNull(),
});

export const reportConversations = sqliteTable("report_conversations", {
  conversationId: integer("conversation_id").primaryKey(),
  data: blob("data", { mode: "buffer" }).notNull(),
});

export const reportDirty = sqliteTable("report_dirty", {
  conversationId: integer("conversation_id").primaryKey(),
});
