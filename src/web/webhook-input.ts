// What the REST API (/api/v1/webhooks) and Settings › Webhooks both take and give for an outgoing
// webhook: the input schema, the URL rule (http(s), and no private or loopback host unless
// PANO_ALLOW_PRIVATE_FETCH, as the API channel's callback_url), and the JSON shapes.
import { z } from "zod";
import { WEBHOOK_EVENTS, webhookHealth } from "../domain/webhooks.ts";
import { isPrivateLiteralHost } from "../net/outside-fetch.ts";
import type { WebhookRow } from "../store/webhooks.ts";
import type { DeliveryRow } from "../store/webhook-deliveries.ts";
import { iso, sid } from "../present.ts";

export const webhookSchema = z
  .object({
    // Only http(s): a file:, gopher: or javascript: URL is refused when saved.
    url: z.string().trim().max(2000).url({ protocol: /^https?$/ }),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).transform((e) => [...new Set(e)]),
    secret: z.string().min(1).max(500),
    description: z.string().trim().max(200).nullable().default(null),
    active: z.boolean().default(true),
  })
  .strict();

/** A PATCH names what changes: the secret only when it is rotated. */
export const webhookPatchSchema = webhookSchema.extend({
  url: webhookSchema.shape.url.optional(),
  events: webhookSchema.shape.events.optional(),
  secret: webhookSchema.shape.secret.optional(),
  description: z.string().trim().max(200).nullable().optional(),
  active: z.boolean().optional(),
});

/**
 * A URL naming a private, loopback or metadata host literally is refused at save time, so the admin
 * hears of it beside the field; the fetcher still checks each delivery (a public name may resolve
 * to a private address later).
 */
export function privateWebhookUrl(url: string, allowPrivate: boolean): boolean {
  return !allowPrivate && URL.canParse(url) && isPrivateLiteralHost(new URL(url));
}

export function presentWebhook(w: WebhookRow, pending = 0) {
  return {
    id: sid(w.id), url: w.url, events: JSON.parse(w.events) as string[], description: w.description, active: !!w.active,
    status: webhookHealth(w), consecutive_failures: w.consecutive_failures, failing_since: iso(w.failing_since), last_error: w.last_error,
    last_attempt_at: iso(w.last_attempt_at), last_success_at: iso(w.last_success_at), pending_deliveries: pending,
    created_at: iso(w.created_at), updated_at: iso(w.updated_at),
  };
}

export function presentDelivery(d: DeliveryRow) {
  return {
    id: d.uid, webhook_id: sid(d.webhook_id), event: d.event, status: d.status, attempts: d.attempts,
    response_status: d.response_status, response_body: d.response_body, error: d.error, duration_ms: d.duration_ms,
    created_at: iso(d.created_at), last_attempt_at: iso(d.last_attempt_at), next_attempt_at: d.status === "pending" ? iso(d.due_at) : null,
    delivered_at: iso(d.delivered_at), gives_up_at: d.status === "pending" ? iso(d.expires_at) : null,
    payload: JSON.parse(d.payload) as unknown,
  };
}
