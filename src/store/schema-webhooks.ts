// Outgoing webhooks (migrations/0015_outgoing_webhooks.sql): the endpoints admins register and
// one delivery row per event per endpoint, kept with the answer of its last attempt.
import { sql } from "drizzle-orm";
import { sqliteTable, integer, text, index, uniqueIndex } from "drizzle-orm/sqlite-core";

export const webhooks = sqliteTable("webhooks", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  url: text("url").notNull(),
  events: text("events").notNull(), // JSON array of event names
  secretEnc: text("secret_enc").notNull(), // sealed like channel secrets (store/secrets.ts)
  description: text("description"),
  active: integer("active").notNull().default(1),
  // Attempts that failed in a row since the last success: what marks a webhook as failing.
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  failingSince: integer("failing_since"),
  lastError: text("last_error"),
  lastAttemptAt: integer("last_attempt_at"),
  lastSuccessAt: integer("last_success_at"),
  createdBy: integer("created_by"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    // The payload's "id" and X-Pano-Delivery: the same on every attempt, so receivers can deduplicate.
    uid: text("uid").notNull(),
    webhookId: integer("webhook_id").notNull().references(() => webhooks.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    // "conversation:12" or "contact:7": deliveries of one resource go out in order.
    resource: text("resource").notNull(),
    payload: text("payload").notNull(), // the exact body, rendered when the event committed
    status: text("status").notNull().default("pending"), // pending | delivered | failed
    attempts: integer("attempts").notNull().default(0),
    // Null while an earlier delivery of the same resource is still pending (it waits its turn).
    dueAt: integer("due_at"),
    expiresAt: integer("expires_at").notNull(), // retried until then, then failed
    leaseUntil: integer("lease_until"),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    error: text("error"),
    durationMs: integer("duration_ms"),
    lastAttemptAt: integer("last_attempt_at"),
    deliveredAt: integer("delivered_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_uid").on(t.uid),
    index("webhook_deliveries_list").on(t.webhookId, t.id),
    index("webhook_deliveries_due").on(t.webhookId, t.dueAt).where(sql`status = 'pending'`),
    index("webhook_deliveries_chain").on(t.webhookId, t.resource, t.id).where(sql`status = 'pending'`),
    index("webhook_deliveries_created").on(t.createdAt),
  ],
);
