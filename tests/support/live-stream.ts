// An inbox's live stream (GET /live) read over plain fetch, as EventSource reads it: each event's
// id, name and data, collected while the connection stays open, until the story closes it (a
// dropped connection) and opens another, perhaps on another instance, with Last-Event-ID.
export interface LiveEvent {
  id: string;
  event: string;
  /** The parsed data ({ t: "msg", c, m }, { t: "hello" }, ...). */
  data: any;
}

/** The complete events at the start of `buf` (those with data), and what is left of it. */
export function sseEvents(buf: string): { events: { id: string; event: string; data: string }[]; rest: string } {
  const events: { id: string; event: string; data: string }[] = [];
  let end: number;
  while ((end = buf.indexOf("\n\n")) >= 0) {
    const block = buf.slice(0, end);
    buf = buf.slice(end + 2);
    const field = (name: string) => block.split("\n").find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? "";
    if (field("data")) events.push({ id: field("id"), event: field("event") || "message", data: field("data") });
  }
  return { events, rest: buf };
}

export class LiveStream {
  readonly events: LiveEvent[] = [];
  private abort = new AbortController();
  private wake: (() => void) | null = null;
  private ended = false;

  private constructor(readonly url: string) {}

  /** Opens `${base}/live` with the session cookie (and Last-Event-ID, when resuming). */
  static async open(base: string, cookie: string, lastEventId?: string): Promise<LiveStream> {
    const s = new LiveStream(base);
    const headers: Record<string, string> = { cookie, accept: "text/event-stream" };
    if (lastEventId) headers["last-event-id"] = lastEventId;
    const r = await fetch(`${base}/live`, { headers, signal: s.abort.signal });
    if (r.status !== 200) throw new Error(`GET /live on ${base}: ${r.status} ${await r.text()}`);
    void s.read(r.body!);
    return s;
  }

  private async read(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    let buf = "";
    try {
      for await (const chunk of body) {
        const read = sseEvents(buf + decoder.decode(chunk, { stream: true }));
        buf = read.rest;
        for (const e of read.events) this.events.push({ ...e, data: JSON.parse(e.data) });
        this.wake?.();
      }
    } catch {
      // closed by the story
    } finally {
      this.ended = true;
      this.wake?.();
    }
  }

  /** Waits until `enough` holds for what has arrived (a positive signal, never a fixed sleep). */
  async until(enough: (events: LiveEvent[]) => boolean, what: string, ms = 30_000): Promise<LiveEvent[]> {
    const deadline = Date.now() + ms;
    while (!enough(this.events)) {
      if (this.ended) throw new Error(`the stream on ${this.url} ended before ${what}; got ${JSON.stringify(this.events)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} on ${this.url}; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.events;
  }

  /** The notices of one kind ("msg", "conv", ...) of the "pano" event. */
  notices(t: string): LiveEvent[] {
    return this.events.filter((e) => e.event === "pano" && e.data.t === t);
  }

  close(): void {
    this.abort.abort();
  }
}
