// Measures handle time from what agents do: the composer's typing signal (every few seconds while
// an agent writes a reply) opens a span that each signal extends; a pause longer than GAP_MS ends it
// at the last signal. Closed spans are written in batches (store/work-spans.ts). Calls add their
// talk time where the call is recorded (store/calls.ts).
import type { Writer } from "../store/writer.ts";
import type { Logger } from "../log.ts";
import { addWorkSpan, type WorkSpan } from "../store/work-spans.ts";

/** Longer than the typing signal's period (3 s) with room for reading the customer's message again. */
export const GAP_MS = 60_000;
/** One signal alone still took some writing: the composer signals at most every 3 s. */
const MIN_SPAN_MS = 3_000;

export class WorkTime {
  private open = new Map<string, { conversationId: number; userId: number; first: number; last: number }>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private writer: Writer, private log: Logger, private now: () => number = Date.now) {}

  typing(conversationId: number, userId: number): void {
    const t = this.now();
    const key = `${userId}:${conversationId}`;
    const cur = this.open.get(key);
    if (cur && t - cur.last <= GAP_MS) cur.last = t;
    else {
      if (cur) void this.write([this.span(cur)]);
      this.open.set(key, { conversationId, userId, first: t, last: t });
    }
    this.timer ??= setInterval(() => void this.sweep(), GAP_MS / 2);
  }

  /** Writes the spans that have ended (paused longer than GAP_MS), or every span with `all`. */
  async sweep(all = false): Promise<void> {
    const t = this.now();
    const done: WorkSpan[] = [];
    for (const [key, s] of this.open) {
      if (!all && t - s.last <= GAP_MS) continue;
      this.open.delete(key);
      done.push(this.span(s));
    }
    if (!this.open.size && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.write(done);
  }

  private span(s: { conversationId: number; userId: number; first: number; last: number }): WorkSpan {
    return { conversationId: s.conversationId, userId: s.userId, kind: "reply", startedAt: s.first, endedAt: Math.max(s.last, s.first + MIN_SPAN_MS) };
  }

  private async write(spans: WorkSpan[]): Promise<void> {
    if (!spans.length) return;
    try {
      await this.writer.submit((tx) => {
        for (const s of spans) addWorkSpan(tx, s);
      });
    } catch (err) {
      this.log("warn", "handle time not recorded", { spans: spans.length, error: String(err) });
    }
  }

  /** On shutdown: what is open is written as it stands. */
  async stop(): Promise<void> {
    await this.sweep(true);
  }
}
