// Per-session and per-address limits for the public visitor API. Fixed windows in memory: they
// only need to hold off a flood from one place, and the map is swept and capped so the counters
// themselves cannot grow without bound.
export interface Limit {
  max: number;
  windowMs: number;
}

export const LIMITS = {
  /** Requests of any kind from one address. */
  address: { max: 600, windowMs: 60_000 },
  /** New sessions one address may start. */
  newSession: { max: 30, windowMs: 10 * 60_000 },
  /** New visitors (first message, so a new contact and conversation) from one address. */
  newVisitor: { max: 10, windowMs: 60 * 60_000 },
  /** Typing signals one session may send (the widget sends one every few seconds while typing). */
  sessionTyping: { max: 30, windowMs: 60_000 },
  /** Messages and files one session may send. */
  sessionMessages: { max: 20, windowMs: 60_000 },
} satisfies Record<string, Limit>;

const MAX_KEYS = 200_000;

export class RateLimiter {
  private windows = new Map<string, { count: number; resetAt: number }>();
  constructor(private now: () => number = Date.now) {}

  /** Counts one hit; null when allowed, else the seconds to wait (for Retry-After). */
  hit(key: string, limit: Limit): number | null {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size >= MAX_KEYS) this.sweep(now);
      w = { count: 0, resetAt: now + limit.windowMs };
      this.windows.set(key, w);
    }
    if (w.count >= limit.max) return Math.max(1, Math.ceil((w.resetAt - now) / 1000));
    w.count++;
    return null;
  }

  /** Whether a hit would pass, without counting it. */
  wouldPass(key: string, limit: Limit): boolean {
    const w = this.windows.get(key);
    return !w || w.resetAt <= this.now() || w.count < limit.max;
  }

  private sweep(now: number) {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
    // Still full of live windows (a distributed flood): drop the oldest half rather than grow.
    if (this.windows.size >= MAX_KEYS) {
      let drop = this.windows.size / 2;
      for (const k of this.windows.keys()) {
        if (drop-- <= 0) break;
        this.windows.delete(k);
      }
    }
  }
}
