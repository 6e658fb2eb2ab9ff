// Which rate limiter counts an attempt: in this process's memory on SQLite (one instance is all
// there is), in PostgreSQL when several instances share a database (store/rate-hits.ts), so an
// address guessing passwords through a load balancer is counted once across all of them.
import type { Pano } from "../pano.ts";
import { RateLimiter } from "./auth.ts";
import { forgiveHit, hitsExhausted, pruneHits, takeHit } from "../store/rate-hits.ts";

export interface Limiter {
  /** Counts an attempt of `key`; false (not counted) when its allowance is used up. */
  allow(key: string, now?: number): boolean;
  /** True when `key` has used up its allowance, without counting this look. */
  exhausted(key: string, now?: number): boolean;
  /** Takes back the latest attempt of `key` (one that turned out fine). */
  forgive(key: string): void;
}

const PRUNE_MS = 60_000;

class SharedRateLimiter implements Limiter {
  private pruned = 0;
  constructor(private pano: Pano, private scope: string, private max: number, private windowMs: number) {}
  allow(key: string, now = Date.now()): boolean {
    const db = this.pano.store.sqlite;
    if (now - this.pruned > PRUNE_MS) {
      this.pruned = now;
      pruneHits(db, now);
    }
    return takeHit(db, this.scope, key, this.max, this.windowMs, now);
  }
  exhausted(key: string, now = Date.now()): boolean {
    return hitsExhausted(this.pano.store.sqlite, this.scope, key, this.max, now);
  }
  forgive(key: string): void {
    forgiveHit(this.pano.store.sqlite, this.scope, key);
  }
}

/** `max` attempts per key in `windowMs`, counted across instances on PostgreSQL; `scope` names the limit. */
export function rateLimiter(pano: Pano, scope: string, max: number, windowMs: number): Limiter {
  return pano.store.kind === "postgres" ? new SharedRateLimiter(pano, scope, max, windowMs) : new RateLimiter(max, windowMs);
}
