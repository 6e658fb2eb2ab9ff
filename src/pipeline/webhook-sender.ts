// Outgoing webhook deliveries -> the integrator's URL, through the guarded fetcher: signed with
// the endpoint's secret, capped in time, retried with backoff until the delivery's window ends.
// Rows are leased, so a crash mid-send sends again after the lease, never loses one.
import type { Writer } from "../store/writer.ts";
import type { Database } from "bun:sqlite";
import type { FetchOutside, OutsideAnswer } from "../net/outside-fetch.ts";
import type { Logger } from "../log.ts";
import { signBody } from "../net/signature.ts";
import type { WebhookDirectory } from "../store/webhooks.ts";
import { claimDeliveries, deliveryDue, pruneDeliveries, recordAttempt, wakeStrandedHeads, type AttemptOutcome, type DeliveryRow } from "../store/webhook-deliveries.ts";
import { CoalescedRun } from "./coalesced-run.ts";
import { isPostgres } from "../store/postgres/connection.ts";
import { nextAttempt, FAILING_AFTER, type RetryPolicy } from "../domain/webhooks.ts";

const LEASE_MS = 60_000;
/** For the whole exchange, redirects and the answer's body included. */
const TIMEOUT_MS = 10_000;
/** Of an answer's body, what admins see beside the delivery. */
const KEPT_BODY_BYTES = 1024;
/** Finished deliveries are listed for this long. */
const KEEP_MS = 14 * 24 * 3600_000;
/** PostgreSQL: how often chain heads left waiting are looked for among recent deliveries, and how far back (all of them at start and hourly). */
const WAKE_EVERY_MS = 2000;
const WAKE_RECENT_MS = 10 * 60_000;

export class WebhookSender {
  private timer: ReturnType<typeof setInterval> | null = null;
  private inFlight = 0;
  private lastPrune = 0;
  private lastWake = 0;
  private lastFullWake = 0;
  private stopped = false;
  private runs = new CoalescedRun(() => this.drain());
  readonly counts = { delivered: 0, failed: 0, retried: 0 };

  constructor(
    private d: {
      db: Database;
      writer: Writer;
      directory: WebhookDirectory;
      fetchOutside: FetchOutside;
      policy: RetryPolicy;
      pollMs: number;
      log: Logger;
      concurrency?: number;
    },
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.d.pollMs);
    this.kick();
  }

  kick(): void {
    this.runs.kick();
  }

  private async drain(): Promise<void> {
    const limit = this.d.concurrency ?? 32;
    await this.prune();
    await this.wakeStranded();
    for (;;) {
      const room = limit - this.inFlight;
      if (this.stopped || room <= 0 || !deliveryDue(this.d.db, Date.now())) return;
      const rows = await this.d.writer.submit((tx) => claimDeliveries(tx, room, LEASE_MS)).catch(() => [] as DeliveryRow[]);
      if (!rows.length) return;
      for (const row of rows) {
        this.inFlight++;
        void this.send(row)
          .catch((err) => this.d.log("error", "webhook delivery crashed", { delivery: row.uid, error: String(err) }))
          .finally(() => {
            this.inFlight--;
            this.kick();
          });
      }
    }
  }

  private async send(row: DeliveryRow): Promise<void> {
    const w = this.d.directory.target(row.webhook_id);
    const secret = w && (await this.d.directory.secret(w));
    // Removed meanwhile (its deliveries went with it) or paused: the lease runs out and it waits.
    if (!w || secret === null) return;
    const headers = {
      "content-type": "application/json", "user-agent": "Pano-Webhooks/1",
      "x-pano-signature": signBody(row.payload, secret!), "x-pano-delivery": row.uid, "x-pano-event": row.event,
    };
    const started = performance.now();
    let answer: OutsideAnswer | null = null;
    let error: string | null = null;
    try {
      answer = await this.d.fetchOutside(w.url, { method: "POST", headers, body: row.payload, timeoutMs: TIMEOUT_MS, peekBytes: KEPT_BODY_BYTES, followRedirects: false });
      if (!answer.ok) error = `HTTP ${answer.status}`;
    } catch (err) {
      error = String((err as Error)?.message ?? err);
    }
    const durationMs = Math.round(performance.now() - started);
    const now = Date.now();
    const ok = !!answer?.ok;
    const retryAfter = Number(answer?.headers.get("retry-after"));
    const outcome: AttemptOutcome = {
      ok, status: answer?.status ?? null, body: answer ? shown(answer.body) : null, error, durationMs,
      retryAt: ok ? null : nextAttempt(now, row.attempts + 1, row.expires_at, this.d.policy, retryAfter > 0 ? retryAfter * 1000 : undefined),
    };
    const failures = await this.d.writer.submit((tx) => recordAttempt(tx, row, outcome));
    if (ok) this.counts.delivered++;
    else if (outcome.retryAt === null) this.counts.failed++;
    else this.counts.retried++;
    if (failures === FAILING_AFTER) this.d.log("warn", "webhook failing", { webhook_id: w.id, url: w.url, error });
    if (!ok && outcome.retryAt === null) this.d.log("warn", "webhook delivery failed for good", { webhook_id: w.id, delivery: row.uid, event: row.event, attempts: row.attempts + 1, error });
  }

  /** Several instances (PostgreSQL): chain heads two instances' writes left without a due time are made due. */
  private async wakeStranded(): Promise<void> {
    if (!isPostgres(this.d.db)) return;
    const now = Date.now();
    if (now - this.lastWake < WAKE_EVERY_MS) return;
    this.lastWake = now;
    // All of them at start and once an hour (a redelivered row keeps its old creation time).
    const full = now - this.lastFullWake >= 3600_000;
    if (full) this.lastFullWake = now;
    await this.d.writer.submit((tx) => wakeStrandedHeads(tx, full ? 0 : now - WAKE_RECENT_MS)).catch(() => 0);
  }

  /** Once an hour: finished deliveries past their keeping time go, a slice per write. */
  private async prune(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < 3600_000) return;
    this.lastPrune = now;
    while ((await this.d.writer.submit((tx) => pruneDeliveries(tx, now - KEEP_MS, 2000)).catch(() => 0)) === 2000);
  }

  /**
   * Claims nothing more and gives sends under way a moment to finish. One still waiting on a slow
   * receiver when that runs out keeps its lease and is sent again after it (same id and body).
   */
  async stop(graceMs = 3000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const until = Date.now() + graceMs;
    while ((this.runs.busy || this.inFlight) && Date.now() < until) await Bun.sleep(20);
  }
}

/** An answer's first bytes as text an admin can read (control characters dropped). */
function shown(body: Uint8Array): string | null {
  if (!body.byteLength) return null;
  return new TextDecoder().decode(body).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
}
