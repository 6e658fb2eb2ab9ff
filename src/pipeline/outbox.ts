// The one path out: due outbox rows -> channel.send -> sent | retry with backoff | failed.
// Rows are leased, so a crash mid-send re-sends only after the lease runs out (and a conversation's
// later replies wait behind the leased one).
import { filesAtHand } from "../store/files.ts";
import type { Writer } from "../store/writer.ts";
import type { Store } from "../store/db.ts";
import type { ChannelDirectory } from "../store/channels.ts";
import type { ChannelRuntime } from "../channels/channel.ts";
import { channelKind } from "../channels/registry.ts";
import { claimDue, releaseClaims, renewLeases, type ClaimedRow } from "../store/outbound.ts";
import { loadOutbounds } from "../store/outbound-read.ts";
import { outboxDepth, outboxHasDue, outboxHeldConversations, outboxNextDue, outboxRowsPresent } from "../store/outbox-queue.ts";
import { CoalescedRun } from "./coalesced-run.ts";
import { Outcomes, RERUNNABLE, type Loaded, type Settlement } from "./outbox-outcomes.ts";
import type { SendResult } from "../domain/message.ts";
import type { Logger } from "../log.ts";

export const MAX_ATTEMPTS = 8;
/** How long a claim holds its rows (PANO_OUTBOX_LEASE_MS): a claim of a process that died is picked up after it. */
const LEASE_MS = 60_000;
/** A reply read ahead is sent as read for this long; a lane that waited longer reads it again. */
const FRESH_MS = 1000;
/** Conversations of one channel sending at once (each one reply at a time). */
export const OUTBOX_CONCURRENCY = 64;

/** 2 s, 4 s, 8 s ... capped at 10 minutes, with jitter so a provider outage is not hammered in step. */
export function backoffMs(attempt: number, baseMs = 2000, random = Math.random): number {
  const base = Math.min(600_000, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

export interface OutboxMetrics {
  sent: Map<string, number>;
  failed: Map<string, number>;
  retried: Map<string, number>;
  sendSeconds: number[];
}

/**
 * A claimed row, with its reply when it was read ahead (at claim time), the lease it holds, and
 * whether that lease was lost (renewal found another instance's on it: PostgreSQL only).
 */
interface LaneRow extends ClaimedRow { msg?: Loaded; readAt?: number; leaseUntil?: number; lost?: boolean }

/**
 * Sends each conversation's replies in queue order, one at a time, many conversations at once.
 *
 * A conversation's claimed replies form a lane; up to `concurrency` lanes of a channel send at
 * once and as many again wait, claimed ahead, so a lane that ends is replaced without waiting for a
 * claim. A reply's outcome is on disk before its conversation's next reply goes; the outcomes of
 * all lanes are written together (outbox-outcomes.ts). A reply to be retried holds its
 * conversation: the later replies are handed back and wait behind it (a restart finds such holds
 * in the rows).
 */
export class OutboxWorker {
  private timer: ReturnType<typeof setInterval> | null = null;
  private renewTimer: ReturnType<typeof setInterval> | null = null;
  private dueTimer: ReturnType<typeof setTimeout> | null = null;
  private dueTimerAt = Infinity;
  private runs = new CoalescedRun(() => this.claim());
  private stopping = false;
  readonly metrics: OutboxMetrics = { sent: new Map(), failed: new Map(), retried: new Map(), sendSeconds: [] };
  /** Claimed replies by conversation, in queue order; the head of a sending lane is on its way. */
  private lanes = new Map<number, LaneRow[]>();
  private ready: number[] = [];
  private sendingLanes = 0;
  /** Per channel: lanes held (sending or ready) and lanes sending. */
  private perChannel = new Map<number, { lanes: number; sending: number }>();
  /** Conversation -> the outbox row that must go before any later reply of it. */
  private held = new Map<number, number>();
  /** Claimed rows a stopping worker did not send: handed back on stop. */
  private unsent: number[] = [];
  private outcomes: Outcomes;

  constructor(
    private deps: {
      store: Store;
      writer: Writer;
      channels: ChannelDirectory;
      runtime: ChannelRuntime;
      dataDir: string;
      publicUrl: string;
      pollMs: number;
      retryBaseMs?: number;
      concurrency?: number;
      now?: () => number;
      leaseMs?: number;
      log?: Logger;
    },
  ) {
    this.outcomes = new Outcomes(deps.writer, (rows) => this.load(rows));
  }

  private get limit(): number {
    return this.deps.concurrency ?? OUTBOX_CONCURRENCY;
  }

  private get leaseMs(): number {
    return this.deps.leaseMs ?? LEASE_MS;
  }

  start(): void {
    for (const h of outboxHeldConversations(this.deps.store.sqlite, Date.now())) this.held.set(h.conversation_id, h.id);
    this.timer = setInterval(() => this.kick(), this.deps.pollMs);
    // Several instances may share a PostgreSQL outbox: a lane that takes longer than the lease (a
    // slow provider, many replies in one conversation) must not see its rows claimed by another
    // instance meanwhile. On SQLite this process is the only sender and a lease only matters
    // after a crash.
    if (this.deps.store.kind === "postgres") this.renewTimer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.leaseMs / 3)));
  }

  private async renew(): Promise<void> {
    if (this.stopping || !this.lanes.size) return;
    const renewed = await this.deps.writer
      .submit((tx) => {
        const held = [...this.lanes.values()].flat().filter((r) => !r.lost && r.leaseUntil !== undefined);
        const until = tx.now + this.leaseMs;
        return { held, until, ...renewLeases(tx, held.map((r) => ({ id: r.id, until: r.leaseUntil! })), until) };
      }, RERUNNABLE)
      .catch(() => null);
    if (!renewed) return;
    for (const r of renewed.held) {
      if (renewed.renewed.has(r.id)) r.leaseUntil = renewed.until;
      else if (renewed.lost.has(r.id)) r.lost = true;
    }
    const lost = renewed.lost.size;
    // The lease ran out while this instance lived (stalled longer than two thirds of it): a reply may go twice.
    if (lost) this.deps.log?.("warn", "outbox leases lost to another instance", { rows: lost, lease_ms: this.leaseMs });
  }

  /** Called when a reply is queued, so it goes out at once rather than at the next poll. */
  kick(): void {
    this.fullAtLastClaim = null;
    if (!this.stopping) this.runs.kick();
  }

  /**
   * Channels that were full when a claim last found nothing else due: until one of them is down to
   * 1.5 x limit lanes (or something new is queued, or the poll comes), claiming again would only
   * walk past their rows to find nothing.
   */
  private fullAtLastClaim: number[] | null = null;

  private worthClaiming(): boolean {
    const full = this.fullAtLastClaim;
    return !full || full.some((id) => (this.perChannel.get(id)?.lanes ?? 0) < 1.5 * this.limit);
  }

  private async claim(): Promise<void> {
    const db = this.deps.store.sqlite;
    for (;;) {
      // At most `limit` rows a claim: a channel that is full (2 x limit lanes) overshoots by less than that.
      const room = Math.min(this.limit, 4 * this.limit - this.lanes.size);
      // While lanes wait ready, claims come in batches: each claim walks past the rows already leased.
      if (room <= 0 || this.stopping || (room < this.limit / 2 && this.ready.length) || !this.worthClaiming()) return;
      this.fullAtLastClaim = null;
      const now = Date.now();
      // A read first: an idle poll must not cost a write transaction (and a group-commit slot).
      if (!outboxHasDue(db, now)) return this.wakeAtNextDue(now);
      if (this.held.size) this.forgetSettledHolds();
      const exclude = [...this.lanes.keys(), ...this.held.keys()];
      const allow = [...this.held.values()];
      const full = [...this.perChannel].filter(([, c]) => c.lanes >= 2 * this.limit).map(([id]) => id);
      // Each new lane's first reply is read inside the claim's transaction (no read lock of its own).
      const rows = await this.deps.writer
        .submit((tx) => {
          const claimed: LaneRow[] = claimDue(tx, room, this.leaseMs, exclude, allow, full);
          for (const r of claimed) r.leaseUntil = tx.now + this.leaseMs;
          const seen = new Set<number>();
          const firsts = claimed.filter((r) => !seen.has(r.conversation_id) && seen.add(r.conversation_id));
          this.load(firsts).forEach((msg, i) => Object.assign(firsts[i], { msg, readAt: tx.now }));
          return claimed;
        }, RERUNNABLE)
        .catch(() => [] as LaneRow[]);
      if (rows.length < room && full.length) this.fullAtLastClaim = full;
      if (!rows.length) return this.wakeAtNextDue(now);
      for (const r of rows) {
        const lane = this.lanes.get(r.conversation_id);
        if (lane) lane.push(r);
        else {
          this.lanes.set(r.conversation_id, [r]);
          this.ready.push(r.conversation_id);
          this.channelCount(r.channel_id).lanes++;
        }
      }
      this.startLanes();
      if (rows.length < room) return this.wakeAtNextDue(now);
    }
  }

  /** Rows due later (retries, quiet hours) go on time, not at the next poll. */
  private wakeAtNextDue(now: number): void {
    const at = outboxNextDue(this.deps.store.sqlite, now);
    if (at === null || at >= this.dueTimerAt || this.stopping) return;
    if (this.dueTimer) clearTimeout(this.dueTimer);
    this.dueTimerAt = at;
    this.dueTimer = setTimeout(() => {
      this.dueTimer = null;
      this.dueTimerAt = Infinity;
      this.kick();
    }, Math.min(at - now, 2 ** 31 - 1));
  }

  private forgetSettledHolds(): void {
    const present = outboxRowsPresent(this.deps.store.sqlite, [...this.held.values()]);
    for (const [conversation, id] of this.held) if (!present.has(id)) this.held.delete(conversation);
  }

  private channelCount(channelId: number): { lanes: number; sending: number } {
    let c = this.perChannel.get(channelId);
    if (!c) this.perChannel.set(channelId, (c = { lanes: 0, sending: 0 }));
    return c;
  }

  // Up to `limit` lanes of one channel send at once, and a channel holds at most twice that: a
  // provider that hangs (an SMTP server that never greets) holds up its own replies, not the others'.
  private startLanes(): void {
    const starting: number[] = [];
    for (let i = 0; i < this.ready.length && !this.stopping; ) {
      const conversation = this.ready[i];
      const count = this.channelCount(this.lanes.get(conversation)![0].channel_id);
      if (count.sending >= this.limit) i++;
      else {
        this.ready.splice(i, 1);
        count.sending++;
        starting.push(conversation);
      }
    }
    if (!starting.length) return;
    // A first reply read at claim time is used while fresh; the others are read again, together.
    const now = Date.now();
    const stale = starting.map((c) => this.lanes.get(c)![0]).filter((r) => r.msg === undefined || now - (r.readAt ?? 0) > FRESH_MS);
    if (stale.length) this.load(stale).forEach((msg, i) => (stale[i].msg = msg));
    starting.forEach((conversation) => {
      const first = this.lanes.get(conversation)![0];
      const count = this.channelCount(this.lanes.get(conversation)![0].channel_id);
      this.sendingLanes++;
      void this.runLane(conversation, first.msg).finally(() => {
        this.lanes.delete(conversation);
        this.sendingLanes--;
        count.sending--;
        count.lanes--;
        this.startLanes();
        if (!this.stopping) this.runs.kick();
      });
    });
  }

  /** What the channel needs to send these rows; undefined for each when the read failed (it is tried again at send). */
  private load(rows: ClaimedRow[]): Loaded[] {
    try {
      return loadOutbounds(this.deps.store.sqlite, rows.map((r) => r.message_id), this.deps.dataDir, this.deps.publicUrl);
    } catch {
      return rows.map(() => undefined);
    }
  }

  // A lane that cannot write its outcome (the disk is full) stops: its rows stay leased and are
  // sent again once the lease runs out, in order.
  private async runLane(conversation: number, first: Loaded): Promise<void> {
    const lane = this.lanes.get(conversation)!;
    let msg = first;
    while (lane.length && !this.stopping) {
      const row = lane[0];
      // Another instance has this reply now: the rest of the lane, still ours, goes back behind it.
      if (row.lost) return void (await this.handBack(lane.splice(0)));
      const sent = await this.sendOne(row, msg, lane[1]).catch(() => null);
      if (!sent) return void this.held.set(conversation, row.id);
      lane.shift();
      msg = sent.next;
      if (sent.outcome === "retry") {
        this.held.set(conversation, row.id);
        await this.handBack(lane.splice(0));
      } else if (this.held.get(conversation) === row.id) this.held.delete(conversation);
    }
    this.unsent.push(...lane.filter((r) => !r.lost).map((r) => r.id));
  }

  /** Claimed rows not sent go back to the queue (rows whose lease went to another instance are not ours to hand back). */
  private async handBack(rows: LaneRow[]): Promise<void> {
    const ids = rows.filter((r) => !r.lost).map((r) => r.id);
    if (ids.length) await this.deps.writer.submit((tx) => releaseClaims(tx, ids), RERUNNABLE).catch(() => {});
  }

  /** Sends one row and writes its outcome; with `next`, also reads the lane's next reply in that write. */
  private async sendOne(row: ClaimedRow, loaded: Loaded, next?: ClaimedRow): Promise<{ outcome: Settlement["kind"]; next: Loaded }> {
    const { channels, runtime } = this.deps;
    const channel = channels.get(row.channel_id);
    const msg = channel ? (loaded === undefined ? this.load([row])[0] : loaded) : null;
    if (!channel || !msg) {
      return { outcome: "failed", next: await this.outcomes.record({ kind: "failed", row, reason: "The channel was removed", reasonVi: "Kênh đã bị xoá" }, next) };
    }
    const started = performance.now();
    let result: SendResult;
    try {
      const kind = channelKind(channel.type);
      // Stored through another instance: fetched from the shared files first (store/files.ts).
      await filesAtHand(this.deps.dataDir, msg.attachments.map((a) => a.path));
      // A satisfaction survey goes out the kind's own way (docs/csat.md); a kind without one sends its text.
      result = msg.survey && kind.sendSurvey ? await kind.sendSurvey({ ...msg, survey: msg.survey }, channel, runtime) : await kind.send(msg, channel, runtime);
    } catch (err) {
      result = { ok: false, kind: "retry", reason: `send crashed: ${String((err as Error).message ?? err)}` };
    }
    this.metrics.sendSeconds.push((performance.now() - started) / 1000);
    if (this.metrics.sendSeconds.length > 5000) this.metrics.sendSeconds.splice(0, 2500);
    const type = channel.type;
    if (result.ok) {
      bump(this.metrics.sent, type);
      return { outcome: "sent", next: await this.outcomes.record({ kind: "sent", row, externalId: result.externalId, extra: result.extraExternalIds, meta: result.meta }, next) };
    }
    if (result.kind === "retry" && row.attempts < MAX_ATTEMPTS) {
      bump(this.metrics.retried, type);
      const dueAt = (this.deps.now?.() ?? Date.now()) + (result.afterMs ?? backoffMs(row.attempts, this.deps.retryBaseMs));
      await this.outcomes.record({ kind: "retry", row, dueAt, reason: result.reason });
      return { outcome: "retry", next: undefined };
    }
    bump(this.metrics.failed, type);
    const reason = result.kind === "retry" ? `Gave up after ${row.attempts} attempts: ${result.reason}` : result.reason;
    const reasonVi = result.kind === "retry" ? `Đã thử ${row.attempts} lần không thành công: ${result.reasonVi ?? result.reason}` : result.reasonVi ?? null;
    const after = await this.outcomes.record({ kind: "failed", row, reason, reasonVi }, next);
    if (result.kind === "reconnect") await runtime.setStatus(channel.id, "needs_reconnect", result.reason);
    return { outcome: "failed", next: after };
  }

  depth(): number {
    return outboxDepth(this.deps.store.sqlite);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.renewTimer) clearInterval(this.renewTimer);
    if (this.dueTimer) clearTimeout(this.dueTimer);
    this.timer = this.renewTimer = this.dueTimer = null;
    while (this.runs.busy || this.sendingLanes) await Bun.sleep(20);
    // Claimed and not sent: handed back, so the next start sends them at once rather than after the lease.
    const unsent = [...this.unsent, ...[...this.lanes.values()].flat().filter((r) => !r.lost).map((r) => r.id)];
    this.lanes.clear();
    this.ready = [];
    this.perChannel.clear();
    if (unsent.length) await this.deps.writer.submit((tx) => releaseClaims(tx, unsent), RERUNNABLE).catch(() => {});
  }
}

function bump(m: Map<string, number>, k: string) {
  m.set(k, (m.get(k) ?? 0) + 1);
}
