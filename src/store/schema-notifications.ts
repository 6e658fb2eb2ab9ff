// Notifications (migration 0013_notifications.sql): who was @mentioned in which private note,
// the conversations a mention opened to someone outside its team (conversation_guests), each
// person's notifications and their choices of how to be told, and their devices' Web Push
// subscriptions. VAPID keys are not here: they live in the data dir (vapid.json).
import { sqliteTable, integer, text, index, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";
import { conversations, messages, teams, users } from "./schema.ts";

export const noteMentions = sqliteTable(
  "note_mentions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    messageId: integer("message_id").notNull().references(() => messages.id, { onDelete: "cascade" }),
    conversationId: integer("conversation_id").notNull().references(() => conversations.id, { onDelete: "cascade" }),
    userId: integer("user_id").references(() => users.id),
    teamId: integer("team_id").references(() => teams.id),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("note_mentions_message").on(t.messageId)],
);

export const conversationGuests = sqliteTable(
  "conversation_guests",
  {
    conversationId: integer("conversation_id").notNull().references(() => conversations.id, { onDelete: "cascade" }),
    userId: integer("user_id").notNull().references(() => users.id),
    messageId: integer("message_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] }), index("conversation_guests_user").on(t.userId)],
);

export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id").notNull().references(() => users.id),
    kind: text("kind").notNull(),
    conversationId: integer("conversation_id").references(() => conversations.id, { onDelete: "cascade" }),
    messageId: integer("message_id"),
    channelId: integer("channel_id"),
    actorId: integer("actor_id"),
    data: text("data").notNull().default("{}"),
    dedupe: text("dedupe"),
    createdAt: integer("created_at").notNull(),
    readAt: integer("read_at"),
  },
  (t) => [
    index("notifications_user").on(t.userId, t.createdAt),
    index("notifications_unread").on(t.userId, t.readAt),
    uniqueIndex("notifications_dedupe").on(t.userId, t.dedupe),
  ],
);

export const notificationPrefs = sqliteTable(
  "notification_prefs",
  {
    userId: integer("user_id").notNull().references(() => users.id),
    kind: text("kind").notNull(),
    inApp: integer("in_app").notNull().default(1),
    browser: integer("browser").notNull().default(1),
    push: integer("push").notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id").notNull().references(() => users.id),
    endpoint: text("endpoint").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    device: text("device"),
    createdAt: integer("created_at").notNull(),
    lastSentAt: integer("last_sent_at"),
    lastError: text("last_error"),
  },
  (t) => [uniqueIndex("push_subscriptions_endpoint").on(t.endpoint), index("push_subscriptions_user").on(t.userId)],
);
