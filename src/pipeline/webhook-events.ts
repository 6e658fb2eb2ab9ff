// Domain events -> outgoing webhook deliveries, inside the writer's transaction (Writer.beforeCommit):
// a change and the deliveries telling of it commit together, so a crash loses neither, and a batch
// of a thousand messages costs no extra transaction. With no endpoint subscribed it costs one Map look.
import type { Tx } from "../store/writer.ts";
import type { DomainEvent } from "../domain/events.ts";
import { webhookOccurrence, type RetryPolicy, type WebhookOccurrence, type WebhookResource } from "../domain/webhooks.ts";
import type { WebhookDirectory } from "../store/webhooks.ts";
import { insertDelivery } from "../store/webhook-deliveries.ts";
import { getConversation } from "../store/conversations.ts";
import { getMessage, attachmentsFor } from "../store/messages.ts";
import { getContact } from "../store/contacts.ts";
import { presentConversation, presentMessage, presentContact, iso } from "../present.ts";

export interface EnqueueDeps {
  /** Who is subscribed: the directory itself, or the ingest thread's copy of it. */
  directory: Pick<WebhookDirectory, "anySubscribed" | "subscribers">;
  publicUrl: string;
  policy: RetryPolicy;
}

/** The resource as GET /api/v1/... shows it now (inside the transaction: as the event left it); null: nothing to tell. */
function render(tx: Tx, r: WebhookResource, publicUrl: string): unknown | null {
  if (r.kind === "conversation") {
    const c = getConversation(tx.db, r.id);
    return c && presentConversation(c);
  }
  if (r.kind === "contact") {
    const c = getContact(tx.db, r.id);
    return c && presentContact(tx.db, c);
  }
  const m = getMessage(tx.db, r.id);
  // Unlike the API's list, a call item is told while it rings too (call.status "ringing"): an
  // integration then hears message.created once and message.updated for each later state.
  return m && presentMessage(m, attachmentsFor(tx.db, [m.id]).get(m.id) ?? [], publicUrl);
}

/** The batch's occurrences in order, one per event and resource (a batch often changes one conversation several times). */
function occurrences(events: DomainEvent[], subscribed: (o: WebhookOccurrence) => boolean): WebhookOccurrence[] {
  const byKey = new Map<string, WebhookOccurrence>();
  for (const e of events) {
    const o = webhookOccurrence(e);
    if (!o || !subscribed(o)) continue;
    const key = `${o.event}:${o.resource.kind}:${o.resource.id}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, o);
    else if (o.changes) seen.changes = [...new Set([...(seen.changes ?? []), ...o.changes])];
  }
  return [...byKey.values()];
}

/** A test delivery an admin asks for ("ping"): the same envelope, signature and path as real events. */
export function queuePing(tx: Tx, webhookId: number, policy: RetryPolicy): string {
  const uid = crypto.randomUUID();
  const payload = `{"id":"${uid}","event":"ping","created_at":"${iso(tx.now)}","data":${JSON.stringify({ webhook_id: String(webhookId) })}}`;
  insertDelivery(tx, { uid, webhookId, event: "ping", resource: `webhook:${webhookId}`, payload, expiresAt: tx.now + policy.windowMs });
  return uid;
}

export function enqueueWebhooks(d: EnqueueDeps): (tx: Tx, events: DomainEvent[]) => boolean {
  return (tx, events) => {
    if (!d.directory.anySubscribed) return false;
    const list = occurrences(events, (o) => d.directory.subscribers(o.event).length > 0);
    const createdAt = iso(tx.now);
    let queued = false;
    for (const o of list) {
      const data = render(tx, o.resource, d.publicUrl);
      if (data === null) continue;
      // The body is fixed now and signed as stored: every attempt sends the same bytes.
      const rest = `,"event":${JSON.stringify(o.event)},"created_at":"${createdAt}"${o.changes ? `,"changes":${JSON.stringify(o.changes)}` : ""},"data":${JSON.stringify(data)}}`;
      for (const webhookId of d.directory.subscribers(o.event)) {
        const uid = crypto.randomUUID();
        insertDelivery(tx, { uid, webhookId, event: o.event, resource: o.orderKey, payload: `{"id":"${uid}"${rest}`, expiresAt: tx.now + d.policy.windowMs });
        queued = true;
      }
    }
    return queued;
  };
}
