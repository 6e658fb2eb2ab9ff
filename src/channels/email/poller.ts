// The long-lived IMAP task of one email channel: connect, sync, then wait for news (IDLE where
// the server offers it, a poll every `poll_seconds` otherwise), sync again. A dropped connection
// or a refused login is retried with backoff; each channel runs its own loop, so one mailbox's
// trouble never stalls another's.
import type { ImapFlow } from "imapflow";
import type { Channel, ChannelRuntime } from "../channel.ts";
import { withDefaults, type EmailConfig } from "./config.ts";
import { imapClient, imapProblem } from "./connect.ts";
import { syncMailbox } from "./sync.ts";
import { threadKey } from "./threading.ts";

const BACKOFF_MAX_MS = 5 * 60_000;

export function backoff(failures: number): number {
  const base = Math.min(BACKOFF_MAX_MS, 1000 * 2 ** Math.min(failures, 12));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** A promise that a later event (new mail, timer, stop, dropped connection) can settle. */
function wakeable() {
  let wake: () => void = () => {};
  const promise = new Promise<void>((r) => (wake = r));
  return { promise, wake };
}

export function startPoller(channel: Channel<EmailConfig>, rt: ChannelRuntime): () => Promise<void> {
  const id = channel.id;
  let stopped = false;
  const live: { client: ImapFlow | null } = { client: null };
  let waiter = wakeable();

  const setStatus = async (status: "active" | "error" | "needs_reconnect", detail: string | null) => {
    const cur = rt.current(id);
    if (!cur || cur.status === status || cur.status === "paused") return;
    await rt.setStatus(id, status, detail).catch(() => {});
  };

  const session = async (cfg: EmailConfig, key: string) => {
    const c = imapClient(cfg, { idle: cfg.idle });
    live.client = c;
    let closed = false;
    c.on("error", (err: unknown) => rt.log("warn", "IMAP connection error", { channel_id: id, error: String((err as Error)?.message ?? err) }));
    c.on("close", () => {
      closed = true;
      waiter.wake();
    });
    c.on("exists", () => waiter.wake());
    await c.connect();
    await c.mailboxOpen(cfg.imap.mailbox);
    await setStatus("active", null);
    let first = true;
    while (!stopped && !closed) {
      waiter = wakeable();
      const n = await syncMailbox(c, { channelId: id, config: cfg, rt, threadKey: key, stopped: () => stopped });
      if (n || first) rt.log(n ? "info" : "debug", "IMAP sync", { channel_id: id, stored: n });
      first = false;
      failures = 0;
      if (stopped || closed) break;
      // With IDLE, "exists" wakes us; the timer is the safety net (and the poll without IDLE).
      const timer = setTimeout(() => waiter.wake(), cfg.poll_seconds * 1000);
      await waiter.promise;
      clearTimeout(timer);
    }
    if (!closed) await c.logout().catch(() => c.close());
  };

  let failures = 0;
  const loop = (async () => {
    const key = await threadKey(rt, id);
    while (!stopped) {
      const current = rt.current(id);
      if (!current) return;
      const cfg = withDefaults(current.config);
      try {
        await session(cfg, key);
      } catch (err) {
        if (stopped) break;
        failures++;
        const p = imapProblem(err);
        rt.log("warn", "IMAP session failed; reconnecting", { channel_id: id, attempt: failures, error: p.detail });
        // A single drop is normal (servers end idle sessions); a mailbox that stays away needs an admin.
        if (p.auth) await setStatus("needs_reconnect", p.detail);
        else if (failures >= 3) await setStatus("error", p.detail);
      } finally {
        live.client?.close();
        live.client = null;
      }
      if (stopped) break;
      waiter = wakeable();
      const timer = setTimeout(() => waiter.wake(), backoff(failures));
      await waiter.promise;
      clearTimeout(timer);
    }
  })();

  return async () => {
    stopped = true;
    waiter.wake();
    live.client?.close();
    await loop.catch(() => {});
  };
}
