// The database schema. `npm run db:generate` turns changes here into SQL under migrations/.
// Times are integer milliseconds since the epoch (UTC); JSON columns hold text.
import { sql } from "drizzle-orm";
import { sqliteTable, integer, text, index, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  role: text("role").notNull().default("agent"),
  language: text("language").notNull().default("vi"),
  timezone: text("timezone").notNull().default("Asia/Ho_Chi_Minh"),
  availability: text("availability").notNull().default("online"), // online | away | offline (manual)
  capacity: integer("capacity").notNull().default(20),
  lastSeenAt: integer("last_seen_at"),
  // Their switchboard user or PBX extension (channels.md, phone): who the answer URL and a callout ring.
  phoneUserId: text("phone_user_id"),
  disabledAt: integer("disabled_at"),
  createdAt: integer("created_at").notNull(),
});

export const apiTokens = sqliteTable("api_tokens", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  userId: integer("user_id").notNull().references(() => users.id),
  tokenHash: text("token_hash").notNull().unique(),
  prefix: text("prefix").notNull(),
  // What the token may do, comma-separated: read (GET), write (changes), admin (admin-only routes).
  // Tokens made before scopes existed keep their user's full rights.
  scopes: text("scopes").notNull().default("read,write,admin"),
  // JSON array of channel ids the token is limited to; null means every channel.
  channelIds: text("channel_ids"),
  lastUsedAt: integer("last_used_at"),
  revokedAt: integer("revoked_at"),
  createdAt: integer("created_at").notNull(),
});

export const sessions = sqliteTable("sessions", {
  idHash: text("id_hash").primaryKey(),
  userId: integer("user_id").notNull().references(() => users.id),
  csrfToken: text("csrf_token").notNull(),
  expiresAt: integer("expires_at").notNull(),
  remember: integer("remember").notNull().default(0),
  createdAt: integer("created_at").notNull(),
});

export const teams = sqliteTable("teams", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  assignment: text("assignment").notNull().default("round_robin"), // round_robin | least_open | manual
  offlineReturnMinutes: integer("offline_return_minutes").notNull().default(15),
  // Minutes after resolution during which a customer message reopens the conversation
  // (domain/conversation-lifecycle.ts); later it opens a new, linked one. 1440 = 24 h.
  reopenWindowMinutes: integer("reopen_window_minutes").notNull().default(1440),
  // Opening hours and holidays as domain/sla.ts BusinessHoursInput JSON; null: SLA clocks run on the wall clock.
  businessHours: text("business_hours"),
  lastAssignedUserId: integer("last_assigned_user_id"),
  createdAt: integer("created_at").notNull(),
});

export const teamMembers = sqliteTable(
  "team_members",
  {
    teamId: integer("team_id").notNull().references(() => teams.id),
    userId: integer("user_id").notNull().references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("team_members_user").on(t.userId)],
);

export const channels = sqliteTable(
  "channels",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    type: text("type").notNull(),
    name: text("name").notNull(),
    status: text("status").notNull().default("active"),
    statusDetail: text("status_detail"),
    externalKey: text("external_key"),
    configEnc: text("config_enc").notNull(), // AES-GCM sealed JSON; key in the data dir
    createdAt: integer("created_at").notNull(),
    deletedAt: integer("deleted_at"),
  },
  (t) => [index("channels_external_key").on(t.type, t.externalKey)],
);

export const channelState = sqliteTable(
  "channel_state",
  {
    channelId: integer("channel_id").notNull().references(() => channels.id),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.key] })],
);

// Full-text search (message_search, contact_search: FTS5 virtual tables drizzle cannot express)
// is created by the hand-written migration 0005_search_index.sql and kept by store/search-index.ts.

/** The last message id the search thread has indexed (one row, id 1; SQLite only, store/search-index-thread.ts). */
export const searchPosition = sqliteTable("search_position", {
  id: integer("id").primaryKey(),
  messageId: integer("message_id").notNull(),
});
export const contacts = sqliteTable(
  "contacts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name"),
    email: text("email"),
    phone: text("phone"),
    avatarUrl: text("avatar_url"),
    attributes: text("attributes").notNull().default("{}"),
    search: text("search").notNull().default(""),
    mergedInto: integer("merged_into"),
    surveysStoppedAt: integer("surveys_stopped_at"), // the customer asked for no more satisfaction surveys (schema-csat.ts)
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("contacts_email").on(t.email), index("contacts_phone").on(t.phone), index("contacts_updated").on(t.updatedAt, t.id)], // contacts_updated: the duplicate finder (0016)
);

export const contactIdentities = sqliteTable(
  "contact_identities",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    contactId: integer("contact_id").notNull().references(() => contacts.id),
    channelId: integer("channel_id").notNull().references(() => channels.id),
    externalId: text("external_id").notNull(),
    follows: integer("follows"), // Zalo follow state: 1, 0, or null when unknown
    profileFetchedAt: integer("profile_fetched_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("identities_channel_external").on(t.channelId, t.externalId), index("identities_contact").on(t.contactId)],
);

export const conversations = sqliteTable(
  "conversations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    channelId: integer("channel_id").notNull().references(() => channels.id),
    contactId: integer("contact_id").notNull().references(() => contacts.id),
    status: text("status").notNull().default("open"),
    assigneeId: integer("assignee_id"),
    teamId: integer("team_id"),
    priority: text("priority").notNull().default("normal"),
    priorityRank: integer("priority_rank").notNull().default(2),
    intent: text("intent"),
    urgent: integer("urgent").notNull().default(0),
    labels: text("labels").notNull().default("[]"),
    subject: text("subject"),
    snoozedUntil: integer("snoozed_until"),
    lastMessageAt: integer("last_message_at").notNull(),
    lastInboundAt: integer("last_inbound_at"),
    waitingSince: integer("waiting_since"), // oldest unanswered customer message; null when answered
    lastPreview: text("last_preview").notNull().default(""),
    unreadCount: integer("unread_count").notNull().default(0),
    messageCount: integer("message_count").notNull().default(0),
    firstResponseAt: integer("first_response_at"),
    resolvedAt: integer("resolved_at"),
    // The customer's conversation this one follows (opened after the earlier one's reopen window).
    previousConversationId: integer("previous_conversation_id"),
    // JSON [{tag, confidence}]: the shop's own categories suggested on its messages (schema-categories.ts).
    categories: text("categories").notNull().default("[]"),
    // Time agents actually spent: writing replies and talking on calls (schema-work.ts).
    handleMs: integer("handle_ms").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("conversations_contact").on(t.contactId, t.channelId, t.status),
    // No index on last_message_at: every message moves it, so such an index costs each message an
    // entry moved (migrations/0027 dropped conversations_queue, which no list read).
    // The inbox's queue order (QUEUE_KEY_SQL in conversations.ts, the same expression): a page
    // of the open queue is read in index order instead of sorting every open conversation.
    index("conversations_queue_key").on(t.status, sql`(priority_rank * 100000000000000 + (waiting_since IS NULL) * 50000000000000 + coalesce(waiting_since, last_message_at))`, t.id),
    index("conversations_assignee").on(t.assigneeId, t.status),
    index("conversations_team").on(t.teamId, t.status),
    index("conversations_queue_now").on(t.status, t.assigneeId, t.urgent, t.waitingSince, t.teamId).where(sql`status IN ('open','pending')`), // migrations/0024: the dashboard's queue now
  ],
);

export const messages = sqliteTable(
  "messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    conversationId: integer("conversation_id").notNull().references(() => conversations.id),
    channelId: integer("channel_id").notNull(),
    direction: text("direction").notNull(), // in | out
    private: integer("private").notNull().default(0),
    authorType: text("author_type").notNull(), // contact | user | system
    authorId: integer("author_id"),
    authorLabel: text("author_label"),
    text: text("text").notNull().default(""),
    html: text("html"),
    status: text("status").notNull(),
    error: text("error"),
    errorVi: text("error_vi"),
    externalId: text("external_id"),
    meta: text("meta"),
    reaction: text("reaction"),
    automatic: integer("automatic").notNull().default(0),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("messages_channel_external").on(t.channelId, t.externalId),
    index("messages_conversation").on(t.conversationId, t.id),
  ],
);

export const attachments = sqliteTable(
  "attachments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    messageId: integer("message_id").notNull().references(() => messages.id),
    kind: text("kind").notNull().default("file"),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull().default(0),
    path: text("path"), // relative to the data dir once stored
    sourceUrl: text("source_url"),
    status: text("status").notNull().default("stored"), // pending | stored | failed
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("attachments_message").on(t.messageId), index("attachments_pending").on(t.status)],
);

export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    messageId: integer("message_id").notNull().references(() => messages.id),
    channelId: integer("channel_id").notNull(),
    attempts: integer("attempts").notNull().default(0),
    dueAt: integer("due_at").notNull(),
    leaseUntil: integer("lease_until"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("outbox_due").on(t.dueAt)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    actorType: text("actor_type").notNull(), // user | system | api
    actorId: integer("actor_id"),
    action: text("action").notNull(),
    conversationId: integer("conversation_id"),
    subjectType: text("subject_type"),
    subjectId: integer("subject_id"),
    data: text("data"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("audit_conversation").on(t.conversationId, t.id), index("audit_created").on(t.createdAt)],
);

export const cannedReplies = sqliteTable("canned_replies", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  teamId: integer("team_id"),
  shortcut: text("shortcut").notNull(),
  text: text("text").notNull(),
  createdAt: integer("created_at").notNull(),
});

export const routingRules = sqliteTable("routing_rules", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  position: integer("position").notNull(),
  name: text("name").notNull(),
  enabled: integer("enabled").notNull().default(1),
  conditions: text("conditions").notNull().default("{}"),
  actions: text("actions").notNull().default("{}"),
  createdAt: integer("created_at").notNull(),
});

export const triageCorrections = sqliteTable(
  "triage_corrections",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    conversationId: integer("conversation_id"),
    text: text("text").notNull(),
    intent: text("intent"),
    urgent: integer("urgent"),
    userId: integer("user_id"),
    createdAt: integer("created_at").notNull(),
  },
  // triage asks "did an agent correct this conversation?" for every message it would change
  (t) => [index("triage_corrections_conversation").on(t.conversationId)],
);

/** Customer satisfaction: one rating (1-5) per answered survey, reported by a channel or the API. */
export const csatResponses = sqliteTable(
  "csat_responses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    conversationId: integer("conversation_id").notNull().references(() => conversations.id),
    assigneeId: integer("assignee_id"),
    rating: integer("rating").notNull(),
    comment: text("comment"),
    surveyId: integer("survey_id"), // the survey it answers (schema-csat.ts); null when posted through the API
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("csat_responses_survey").on(t.surveyId), index("csat_conversation").on(t.conversationId), index("csat_created").on(t.createdAt)],
);

/**
 * Service-level targets in minutes (of business time when the team keeps hours), per team and
 * priority; a null team or priority is the fallback for any (store/sla-policies.ts slaLookup).
 */
export const slaPolicies = sqliteTable(
  "sla_policies",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    teamId: integer("team_id").references(() => teams.id),
    priority: text("priority"),
    firstResponseMinutes: integer("first_response_minutes"),
    nextResponseMinutes: integer("next_response_minutes"),
    resolutionMinutes: integer("resolution_minutes"),
    // JSON {priority?, team_id?, assignee_id?}: what a breach of this policy does (domain/sla-breach.ts).
    breachActions: text("breach_actions"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("sla_policies_scope").on(t.teamId, t.priority)],
);
