// Events waiting for one open SSE stream: producers push, the stream's handler pumps them out in
// order, with a comment line when idle so proxies and browsers keep an idle stream open.
import type { SSEMessage, SSEStreamingApi } from "hono/streaming";

const HEARTBEAT_MS = 25_000;

export class SseQueue {
  private waiting: SSEMessage[] = [];
  private wake: (() => void) | null = null;
  private open = true;

  push(message: SSEMessage): void {
    this.waiting.push(message);
    this.wake?.();
  }

  /** Ends pump() after the event it is writing (client gone, session revoked, shutdown). */
  close(): void {
    this.open = false;
    this.wake?.();
  }

  /** Writes queued events until close(); resolves then. */
  async pump(stream: SSEStreamingApi, heartbeatMs = HEARTBEAT_MS): Promise<void> {
    while (this.open) {
      while (this.waiting.length && this.open) await stream.writeSSE(this.waiting.shift()!);
      if (!this.open) break;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        timer = setTimeout(resolve, heartbeatMs);
      });
      clearTimeout(timer);
      this.wake = null;
      if (this.open && !this.waiting.length) await stream.write(": ping\n\n");
    }
  }
}
