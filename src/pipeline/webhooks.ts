// Outgoing webhooks, wired: the endpoints, deliveries written with each batch's commit, and the
// sender woken right after that commit (and polled, for retries that come due).
import type { Database } from "bun:sqlite";
import type { Tx, Writer } from "../store/writer.ts";
import type { IngestThread } from "./ingest-thread.ts";
import type { DomainEvent } from "../domain/events.ts";
import type { Sealer } from "../store/secrets.ts";
import type { EventBus } from "./events.ts";
import type { FetchOutside } from "../net/outside-fetch.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { webhookHealth, type RetryPolicy } from "../domain/webhooks.ts";
import { WebhookDirectory } from "../store/webhooks.ts";
import { enqueueWebhooks, queuePing } from "./webhook-events.ts";
import { WebhookSender } from "./webhook-sender.ts";
import { pendingByWebhook } from "../store/webhook-deliveries.ts";

export interface Webhooks {
  directory: WebhookDirectory;
  sender: WebhookSender;
  policy: RetryPolicy;
  /** Queues a test delivery ("ping") to one endpoint and sends it now; its id. */
  ping(webhookId: number): Promise<string>;
  start(): void;
  stop(): Promise<void>;
}

export function createWebhooks(d: {
  db: Database; writer: Writer; ingestThread?: IngestThread | null; sealer: Sealer; events: EventBus; fetchOutside: FetchOutside; log: Logger; metrics: Metrics;
  publicUrl: string; policy: RetryPolicy; pollMs: number;
}): Webhooks {
  let queued = false;
  let started = false;
  const hook = (tx: Tx, events: DomainEvent[]) => void (enqueue(tx, events) && (queued = true));
  // With no endpoint subscribed the writer has no hook at all: its commits are exactly as without webhooks.
  const directory = new WebhookDirectory(d.db, d.writer, d.sealer, (self) => {
    d.writer.setBeforeCommit("webhooks", self.anySubscribed ? hook : undefined);
    // The ingest thread's batches queue deliveries too, from its copy of the subscriptions.
    d.ingestThread?.useWebhooks(self.anySubscribed ? { publicUrl: d.publicUrl, policy: d.policy, subscriptions: self.subscriptions() } : null);
  });
  const sender = new WebhookSender({ db: d.db, writer: d.writer, directory, fetchOutside: d.fetchOutside, policy: d.policy, pollMs: d.pollMs, log: d.log });
  const enqueue = enqueueWebhooks({ directory, publicUrl: d.publicUrl, policy: d.policy });
  // The bus speaks after COMMIT: the rows the batch wrote are there to claim.
  d.events.onAny(() => {
    if (!queued || !started) return;
    queued = false;
    sender.kick();
  });
  if (d.ingestThread) d.ingestThread.onWebhooksQueued = () => started && sender.kick();
  d.metrics.gauge("pano_webhook_pending", "Outgoing webhook deliveries waiting to be sent, by endpoint", () =>
    [...pendingByWebhook(d.db)].map(([id, n]) => ({ labels: { webhook_id: String(id) }, value: n })));
  d.metrics.gauge("pano_webhook_failing", "1 when an outgoing webhook's recent attempts keep failing", () =>
    directory.list().map((w) => ({ labels: { webhook_id: String(w.id) }, value: webhookHealth(w) === "failing" ? 1 : 0 })));
  d.metrics.gauge("pano_webhook_attempts_total", "Outgoing webhook attempts since start, by outcome", () =>
    Object.entries(sender.counts).map(([outcome, value]) => ({ labels: { outcome }, value })));
  return {
    directory, sender, policy: d.policy,
    async ping(webhookId) {
      const uid = await d.writer.submit((tx) => queuePing(tx, webhookId, d.policy));
      sender.kick();
      return uid;
    },
    start() {
      started = true;
      sender.start();
    },
    async stop() {
      started = false;
      await sender.stop();
    },
  };
}
