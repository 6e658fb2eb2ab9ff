// Outgoing webhooks: which of Pano's domain events an integration hears about, under which name,
// in which order, and how long a delivery that keeps failing is retried.
import type { DomainEvent } from "./events.ts";

/** interface.md's names, plus contact.created. */
export const WEBHOOK_EVENTS = [
  "conversation.created", "conversation.updated", "message.created", "message.updated", "contact.created", "contact.updated", "call.ended",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const isWebhookEvent = (v: string): v is WebhookEvent => (WEBHOOK_EVENTS as readonly string[]).includes(v);

/** What a delivery's `data` is: the resource, read back as the REST API shows it. */
export type WebhookResource = { kind: "conversation" | "message" | "contact"; id: number };

export interface WebhookOccurrence {
  event: WebhookEvent;
  resource: WebhookResource;
  /** Deliveries with the same key go to one endpoint in the order they happened. */
  orderKey: string;
  /** conversation.updated: the fields that changed. */
  changes?: string[];
}

// Changes that say nothing about the conversation itself: an agent opened it (unread count), or
// its customer's name changed (told as contact.updated).
const QUIET_CHANGES = new Set(["unread_count", "contact"]);

/** The webhook event a domain event is, or null when integrations do not hear of it. */
export function webhookOccurrence(e: DomainEvent): WebhookOccurrence | null {
  const conversation = (id: number) => ({ kind: "conversation" as const, id });
  const inConversation = (id: number) => `conversation:${id}`;
  switch (e.type) {
    case "conversation.opened":
      // A customer writing to a resolved conversation reopens it: the same conversation, its status changed.
      return e.reopened
        ? { event: "conversation.updated", resource: conversation(e.conversationId), orderKey: inConversation(e.conversationId), changes: ["status"] }
        : { event: "conversation.created", resource: conversation(e.conversationId), orderKey: inConversation(e.conversationId) };
    case "conversation.updated": {
      const changes = e.changes.filter((c) => !QUIET_CHANGES.has(c));
      return changes.length ? { event: "conversation.updated", resource: conversation(e.conversationId), orderKey: inConversation(e.conversationId), changes } : null;
    }
    case "message.created":
    case "message.updated":
    case "call.ended":
      return { event: e.type, resource: { kind: "message", id: e.messageId }, orderKey: inConversation(e.conversationId) };
    case "contact.created":
    case "contact.updated":
      return { event: e.type, resource: { kind: "contact", id: e.contactId }, orderKey: `contact:${e.contactId}` };
    default:
      return null;
  }
}

export interface RetryPolicy {
  /** How long after an event its delivery is retried before it is marked failed (a day). */
  windowMs: number;
  /** The first retry's delay; it doubles per attempt up to an hour. */
  baseMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { windowMs: 24 * 3600_000, baseMs: 30_000 };
const LONGEST_WAIT_MS = 3600_000;

/**
 * When to try a failed delivery again (30 s, 1 min, 2 min ... then hourly, with jitter so a
 * recovering receiver is not hit by every delivery at once), or null once its window is over:
 * the last attempt falls on the window's end.
 */
export function nextAttempt(now: number, attempts: number, expiresAt: number, policy: RetryPolicy, retryAfterMs?: number, random = Math.random): number | null {
  if (now >= expiresAt) return null;
  const backoff = Math.min(LONGEST_WAIT_MS, policy.baseMs * 2 ** Math.max(0, attempts - 1)) * (0.75 + random() * 0.5);
  const wait = Math.min(LONGEST_WAIT_MS, Math.max(backoff, retryAfterMs ?? 0));
  return Math.min(expiresAt, Math.round(now + wait));
}

/** Attempts failing in a row after which an endpoint is shown as failing. */
export const FAILING_AFTER = 3;

export type WebhookHealth = "active" | "failing" | "paused";

export function webhookHealth(w: { active: number | boolean; consecutive_failures: number }): WebhookHealth {
  if (!w.active) return "paused";
  return w.consecutive_failures >= FAILING_AFTER ? "failing" : "active";
}
