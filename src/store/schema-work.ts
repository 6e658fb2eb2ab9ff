// Time agents actually spent on a conversation (migrations/0019_handle_time.sql): a span of
// writing a reply (from its first keystroke signal to its last) or of talking on a call. The
// conversation's own total is kept in conversations.handle_ms (schema.ts), added to in the same
// transaction, so reports read one number per conversation.
import { sqliteTable, integer, text, index } from "drizzle-orm/sqlite-core";

export const workSpans = sqliteTable(
  "work_spans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    conversationId: integer("conversation_id").notNull(),
    userId: integer("user_id").notNull(),
    kind: text("kind").notNull(), // "reply" | "call"
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at").notNull(),
  },
  (t) => [index("work_spans_conversation").on(t.conversationId), index("work_spans_user").on(t.userId, t.endedAt)],
);
