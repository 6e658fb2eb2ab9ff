// The ingest thread (ingest-thread.ts): normalised events in, the same group-committed writes the
// main thread's writer would make, on a connection of its own; results and domain events back.
import type { DomainEvent } from "../domain/events.ts";
import type { InboundEvent } from "../domain/message.ts";
import { openSecondWriter } from "../store/db.ts";
import { applyInbound, type StoredAttachment } from "../store/inbound.ts";
import { Writer, StoreUnavailable, isStorageFailure } from "../store/writer.ts";
import { WriteLock } from "../store/write-lock.ts";
import { enqueueWebhooks } from "./webhook-events.ts";
import type { RetryPolicy } from "../domain/webhooks.ts";

declare const self: Worker;

export interface IngestThreadSetup {
  path: string;
  lock: SharedArrayBuffer;
  synchronous: "FULL" | "NORMAL";
  cacheMb: number;
  windowMs: number;
  max: number;
}
export interface WebhookCopy {
  publicUrl: string;
  policy: RetryPolicy;
  subscriptions: [string, number[]][];
}
export type IngestThreadRequest =
  | { setup: IngestThreadSetup }
  | { jobs: Job[] }
  | { webhooks: WebhookCopy | null }
  | { stop: true };
export interface Job {
  id: number;
  events: InboundEvent[];
  /** Per event, its attachments as already stored on disk. */
  stored: (StoredAttachment[] | null)[];
}
export type JobOutcome = { id: number; value: unknown } | { id: number; error: string; storage: boolean };
export type IngestThreadReport =
  | { done: JobOutcome[]; events: DomainEvent[]; webhooksQueued: boolean; batches: number; jobs: number }
  | { stopped: true };

let writer: Writer | null = null;
let connection: ReturnType<typeof openSecondWriter> | null = null;
const REPEATABLE = { rerunnable: true };

// What the next report carries: sent once per batch, after its callers' outcomes are known.
let outcomes: JobOutcome[] = [];
let events: DomainEvent[] = [];
let webhooksQueued = false;
let reportSoon = false;
function report() {
  reportSoon = false;
  const message: IngestThreadReport = { done: outcomes, events, webhooksQueued, batches: writer?.stats.batches ?? 0, jobs: writer?.stats.jobs ?? 0 };
  outcomes = [];
  events = [];
  webhooksQueued = false;
  self.postMessage(message);
}
function outcome(o: JobOutcome) {
  outcomes.push(o);
  if (reportSoon) return;
  reportSoon = true;
  // After the batch's promise reactions: one message per batch.
  setImmediate(report);
}

function setup(s: IngestThreadSetup) {
  connection = openSecondWriter(s.path, { synchronous: s.synchronous, cacheMb: s.cacheMb });
  writer = new Writer(connection.sqlite, {
    windowMs: s.windowMs,
    max: s.max,
    afterCommit: (e) => void events.push(...e),
    walSync: connection.walSync,
    lock: new WriteLock(s.lock),
    blockingTurn: true,
  });
}

function useWebhooks(copy: WebhookCopy | null) {
  if (!writer) return;
  if (!copy || !copy.subscriptions.length) return writer.setBeforeCommit("webhooks", undefined);
  const subscribed = new Map(copy.subscriptions);
  const enqueue = enqueueWebhooks({
    directory: { anySubscribed: subscribed.size > 0, subscribers: (event) => subscribed.get(event) ?? [] },
    publicUrl: copy.publicUrl,
    policy: copy.policy,
  });
  writer.setBeforeCommit("webhooks", (tx, batch) => void (enqueue(tx, batch) && (webhooksQueued = true)));
}

function job(j: Job) {
  if (!writer) return outcome({ id: j.id, error: "ingest thread not set up", storage: true });
  const stored = new Map<InboundEvent, StoredAttachment[]>();
  j.events.forEach((e, i) => j.stored[i] && stored.set(e, j.stored[i]!));
  writer.submit((tx) => applyInbound(tx, j.events, stored), REPEATABLE).then(
    (value) => outcome({ id: j.id, value }),
    (err) => outcome({ id: j.id, error: String((err as Error)?.message ?? err), storage: err instanceof StoreUnavailable || isStorageFailure(err) }),
  );
}

async function stop() {
  writer?.close();
  // The last batch's callers hear of it (promise reactions, then the report) before "stopped".
  await new Promise((r) => setImmediate(r));
  if (reportSoon) report();
  connection?.close();
  self.postMessage({ stopped: true } satisfies IngestThreadReport);
}

self.onmessage = (ev: MessageEvent<IngestThreadRequest>) => {
  const m = ev.data;
  if ("jobs" in m) return m.jobs.forEach(job);
  if ("setup" in m) return setup(m.setup);
  if ("webhooks" in m) return useWebhooks(m.webhooks);
  void stop();
};
