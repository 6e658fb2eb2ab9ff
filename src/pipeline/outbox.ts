// The one path out: due outbox rows -> channel.send -> sent | retry with backoff | failed.
// Rows are leased, so a crash mid-send re-sends only after the lease runs out.
import type { Writer } from "../store/writer.ts";
import type { Store } from "../store/db.ts";
import type { ChannelDirectory } from "../store/channels.ts";
import type { ChannelRuntime } from "../channels/channel.ts";
import { channelKind } from "../channels/registry.ts";
import { claimDue, markFailed, markRetry, markSent, type ClaimedRow } from "../store/outbound.ts";
import { loadOutbound } from "../store/outbound-read.ts";
import { outboxDepth, outboxHasDue } from "../store/outbox-queue.ts";
import { CoalescedRun } from "./coalesced-run.ts";
import type { SendResult } from "../domain/message.ts";

export const MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;

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

export class OutboxWorker {
  private timer: ReturnType<typeof setInterval> | null = null;
  private runs = new CoalescedRun(() => this.drain());
  readonly metrics: OutboxMetrics = { sent: new Map(), failed: new Map(), retried: new Map(), sendSeconds: [] };

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
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.deps.pollMs);
  }

  /** Called when a reply is queued, so it goes out at once rather than at the next poll. */
  kick(): void {
    this.runs.kick();
  }

  /** Conversations with a send under way; their next replies wait so they keep their order. */
  private sending = new Map<number, number>();

  private inFlight(): number {
    let n = 0;
    for (const rows of this.sending.values()) n += rows;
    return n;
  }

  // Each conversation's replies go out on their own, and claiming goes on while they do: one
  // provider that hangs (an SMTP server that never greets) holds up its own replies, not everyone's.
  private async drain(): Promise<void> {
    const limit = this.deps.concurrency ?? 16;
    for (;;) {
      const room = limit - this.inFlight();
      if (room <= 0) return;
      const busy = [...this.sending.keys()];
      // A read first: an idle poll must not cost a write transaction (and a group-commit slot).
      if (!outboxHasDue(this.deps.store.sqlite, Date.now())) return;
      const rows = await this.deps.writer.submit((tx) => claimDue(tx, room, LEASE_MS, busy)).catch(() => [] as ClaimedRow[]);
      if (!rows.length) return;
      const byConversation = new Map<number, ClaimedRow[]>();
      for (const r of rows.sort((a, b) => a.id - b.id)) byConversation.set(r.conversation_id, [...(byConversation.get(r.conversation_id) ?? []), r]);
      for (const [conversationId, list] of byConversation) {
        this.sending.set(conversationId, list.length);
        void (async () => {
          for (const r of list) await this.sendOne(r).catch(() => {});
        })().finally(() => {
          this.sending.delete(conversationId);
          this.kick();
        });
      }
    }
  }

  private async sendOne(row: ClaimedRow): Promise<void> {
    const { writer, channels, runtime } = this.deps;
    const channel = channels.get(row.channel_id);
    const msg = loadOutbound(this.deps.store.sqlite, row.message_id, this.deps.dataDir, this.deps.publicUrl);
    if (!channel || !msg) {
      await writer.submit((tx) => markFailed(tx, row.id, row.message_id, "The channel was removed", "Kênh đã bị xoá"));
      return;
    }
    const started = performance.now();
    let result: SendResult;
    try {
      const kind = channelKind(channel.type);
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
      const r = result;
      await writer.submit((tx) => markSent(tx, row.id, row.message_id, r.externalId, r.extraExternalIds, r.meta));
    } else if (result.kind === "retry" && row.attempts < MAX_ATTEMPTS) {
      bump(this.metrics.retried, type);
      const due = (this.deps.now?.() ?? Date.now()) + (result.afterMs ?? backoffMs(row.attempts, this.deps.retryBaseMs));
      const reason = result.reason;
      await writer.submit((tx) => markRetry(tx, row.id, row.message_id, due, reason));
    } else {
      bump(this.metrics.failed, type);
      const reason = result.kind === "retry" ? `Gave up after ${row.attempts} attempts: ${result.reason}` : result.reason;
      const reasonVi = result.kind === "retry" ? `Đã thử ${row.attempts} lần không thành công: ${result.reasonVi ?? result.reason}` : result.reasonVi ?? null;
      await writer.submit((tx) => markFailed(tx, row.id, row.message_id, reason, reasonVi));
      if (result.kind === "reconnect") await runtime.setStatus(channel.id, "needs_reconnect", result.reason);
    }
  }

  depth(): number {
    return outboxDepth(this.deps.store.sqlite);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.runs.busy || this.sending.size) await Bun.sleep(20);
  }
}

function bump(m: Map<string, number>, k: string) {
  m.set(k, (m.get(k) ?? 0) + 1);
}
