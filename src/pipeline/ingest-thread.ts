// The one path in, on a thread of its own. Webhooks, pollers and the API hand their normalised
// events here; a worker thread with its own connection to the database runs exactly the writes the
// main thread's writer would (applyInbound, group-committed, the roll-ups and webhook hooks in the
// same transaction) and answers with each caller's result and the batch's domain events, which
// are emitted here on the main bus as if the main writer had committed them. The main thread keeps
// HTTP, verification, parsing, routing, triage and the pages: under a webhook flood the SQLite
// work no longer queues behind them, and a second core does it. The two writers take turns
// (write-lock.ts). Should the thread fail to start or die, its waiting writes and all later ones
// run on the main writer (applyInbound is idempotent: a message is unique per channel and
// external id), as before.
import type { DomainEvent } from "../domain/events.ts";
import type { InboundEvent } from "../domain/message.ts";
import type { IngestResult, StoredAttachment } from "../store/inbound.ts";
import { StoreUnavailable } from "../store/writer.ts";
import type { WriteLock } from "../store/write-lock.ts";
import type { IngestThreadReport, IngestThreadRequest, IngestThreadSetup, Job, WebhookCopy } from "./ingest-worker.ts";

// A compiled executable embeds the worker as an entrypoint of its own (scripts/build.ts), named by
// its path below src/ inside the executable's /$bunfs/root.
const ENTRY = import.meta.url.includes("$bunfs") ? "./pipeline/ingest-worker.ts" : new URL("./ingest-worker.ts", import.meta.url).href;
const STOP_WAIT_MS = 5000;

/**
 * The thread's page cache: a quarter of the main connection's (at least 4 MB). Its writes touch
 * the tails and paths of what they write; the main connection's cache serves every read of the
 * inbox. Two full-size caches would fill under load (one more PANO_SQLITE_CACHE_MB of RSS).
 */
export const ingestCacheMb = (mainMb: number) => Math.max(4, Math.round(mainMb / 4));

type Stored = ReadonlyMap<InboundEvent, StoredAttachment[]>;
type Fallback = (events: InboundEvent[], stored: Stored) => Promise<IngestResult[]>;

interface Waiting {
  events: InboundEvent[];
  stored: Stored;
  resolve(r: IngestResult[]): void;
  reject(err: unknown): void;
}

/** The bytes of an attachment are on disk already (ingest.ts): the thread needs its metadata only. */
function withoutBytes(e: InboundEvent): InboundEvent {
  if (e.kind !== "message" || !e.attachments.some((a) => a.data)) return e;
  return { ...e, attachments: e.attachments.map((a) => (a.data ? { ...a, data: undefined } : a)) };
}

export class IngestThread {
  private worker: Worker | null;
  private waiting = new Map<number, Waiting>();
  private nextId = 1;
  private stopped?: () => void;
  /** The thread's group commits and writes so far (for /metrics, beside the main writer's). */
  readonly stats = { batches: 0, jobs: 0 };
  /** The thread queued outgoing webhook deliveries with a batch: the sender is woken. */
  onWebhooksQueued: () => void = () => {};

  private constructor(
    worker: Worker,
    private window: { ms: number; max: number },
    private lock: WriteLock,
    private d: { afterCommit(events: DomainEvent[]): void; fallback: Fallback; log(msg: string, fields: Record<string, unknown>): void },
  ) {
    this.worker = worker;
    worker.onmessage = (ev: MessageEvent<IngestThreadReport>) => this.heard(ev.data);
    worker.onerror = (ev: ErrorEvent) => this.failed(ev.message);
    this.hold(false);
  }

  /** The thread, or null (its writes then run on the main writer) when it cannot start here. */
  static start(setup: Omit<IngestThreadSetup, "lock"> & { lock: WriteLock }, d: IngestThread["d"]): IngestThread | null {
    let worker: Worker;
    try {
      worker = new Worker(ENTRY);
    } catch (err) {
      d.log("ingest thread cannot start; ingest writes on the main thread", { error: String(err) });
      return null;
    }
    const thread = new IngestThread(worker, { ms: setup.windowMs, max: setup.max }, setup.lock, d);
    // The window is kept on this side (send): the thread commits what each message brings at once.
    thread.post({ setup: { ...setup, windowMs: 0, lock: setup.lock.buffer } });
    return thread;
  }

  submit(events: InboundEvent[], stored: Stored): Promise<IngestResult[]> {
    const worker = this.worker;
    if (!worker) return this.d.fallback(events, stored);
    const id = this.nextId++;
    return new Promise<IngestResult[]>((resolve, reject) => {
      this.waiting.set(id, { events, stored, resolve, reject });
      if (this.waiting.size === 1) this.hold(true);
      this.outgoing.push({ id, events: events.map(withoutBytes), stored: events.map((e) => stored.get(e) ?? null) });
      if (this.outgoing.length >= this.window.max) this.send();
      // A window cut short by `max` leaves its timer running: it only sends the next window early.
      else if (this.outgoing.length === 1) setTimeout(this.send, this.window.ms);
    });
  }

  // The group-commit window is kept here, on the sending side: the writes of a window cross in one
  // message and the thread commits each message as one batch at once. Every message wakes the
  // thread (and its answer this one); one per webhook cost as much CPU as the writes themselves.
  private outgoing: Job[] = [];
  private send = () => {
    const jobs = this.outgoing;
    this.outgoing = [];
    if (jobs.length) this.post({ jobs });
  };

  /** The webhook endpoints' subscriptions changed: the thread's batches queue deliveries as the main writer's do. */
  useWebhooks(copy: WebhookCopy | null): void {
    this.post({ webhooks: copy });
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.hold(true);
    this.send();
    await new Promise<void>((resolve) => {
      this.stopped = resolve;
      this.post({ stop: true });
      setTimeout(resolve, STOP_WAIT_MS).unref?.();
    });
    this.worker = null;
    worker.terminate();
    // Anything the thread did not answer before it stopped is written here.
    this.rerunWaiting();
  }

  private post(m: IngestThreadRequest) {
    this.worker?.postMessage(m);
  }

  private heard(r: IngestThreadReport) {
    if ("stopped" in r) return this.stopped?.();
    this.stats.batches = r.batches;
    this.stats.jobs = r.jobs;
    for (const o of r.done) {
      const w = this.waiting.get(o.id);
      if (!w) continue;
      this.waiting.delete(o.id);
      if ("value" in o) w.resolve(o.value as IngestResult[]);
      else w.reject(o.storage ? new StoreUnavailable(o.error) : new Error(o.error));
    }
    if (r.events.length) this.d.afterCommit(r.events);
    if (r.webhooksQueued) this.onWebhooksQueued();
    if (!this.waiting.size) this.hold(false);
  }

  private failed(message: string) {
    if (!this.worker) return;
    this.d.log("ingest thread failed; ingest writes on the main thread from now on", { error: message });
    const w = this.worker;
    this.worker = null;
    w.terminate();
    // A thread that died in its turn must not keep the main writer waiting for ever.
    this.lock.release();
    this.rerunWaiting();
  }

  private rerunWaiting() {
    const left = [...this.waiting.values()];
    this.waiting.clear();
    this.outgoing = [];
    for (const w of left) this.d.fallback(w.events, w.stored).then(w.resolve, w.reject);
  }

  // Referenced only while writes wait: Bun's event loop spins on a core while it awaits an
  // unreferenced worker's answer, and an idle thread must not keep the process alive.
  private hold(on: boolean) {
    const w = this.worker as (Worker & { ref(): void; unref(): void }) | null;
    if (on) w?.ref();
    else w?.unref();
  }
}
