// Which Pano instance runs the work that must run once (docs/scale-out-leadership.md): IMAP
// pollers, the Zalo token refresher, snooze wake-ups, SLA timers, assignment sweeps and the like.
//
// On SQLite the one instance always leads. On PostgreSQL every instance tries, every
// PANO_LEADER_CHECK_MS (2 s), to take one session-level advisory lock on a connection of its own;
// the holder leads. A holder that dies lets go with its session, and another instance takes the
// lock at its next try. The leader checks each time that its session still holds the lock: an
// error, a slow answer or a lost lock stops the singleton work at once, before the session is let
// go. An instance that takes the lock starts only two checks later (graceMs), so an old leader whose
// session PostgreSQL cut (the lock freed at once) has found out and stopped by then.
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { LockSession, PANO_LOCKS, type LockKey } from "../store/postgres/locks.ts";

/** The singleton work, started when this instance becomes the leader and stopped when it stops being one. */
export interface LeaderWork {
  start(): Promise<void> | void;
  /** Resolves once none of it runs any more. */
  stop(): Promise<void>;
}

export interface Leadership {
  readonly leading: boolean;
  /**
   * Starts leading (SQLite) or contending for it (PostgreSQL: the first try is made before this
   * resolves, so an instance alone leads from its start). `tick` runs after every check on every
   * instance, leader or not.
   */
  start(work: LeaderWork, tick?: () => Promise<void>): Promise<void>;
  /**
   * Runs `fn` while no other caller, on this instance or any other, runs one for the same key
   * (Zalo's single-use refresh token). Throws when the lock cannot be had within `waitMs`.
   */
  exclusive<T>(key: LockKey, fn: () => Promise<T>, waitMs?: number): Promise<T>;
  /** Stops the work (when leading), then lets go of the lock. */
  stop(): Promise<void>;
}

const LEADER: LockKey = { space: PANO_LOCKS, id: 1 };
const RETRY_LOCK_MS = 100;
const EXCLUSIVE_WAIT_MS = 30_000;

export function createLeadership(d: { databaseUrl: string | null; checkMs: number; log: Logger; metrics: Metrics }): Leadership {
  const l = d.databaseUrl ? new PostgresLeadership(d.databaseUrl, d.checkMs, d.log) : new SoleLeadership();
  d.metrics.gauge("pano_leader", "1 while this instance runs the singleton work (IMAP pollers, token refresh, timers), 0 otherwise", () => [{ value: l.leading ? 1 : 0 }]);
  return l;
}

/** One caller at a time per key inside this process (a session lock is re-entrant, so PostgreSQL cannot tell two of ours apart). */
class LocalQueue {
  private tails = new Map<string, Promise<unknown>>();
  run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.tails.get(name) ?? Promise.resolve()).catch(() => {}).then(fn);
    this.tails.set(name, run);
    const forget = () => void (this.tails.get(name) === run && this.tails.delete(name));
    run.then(forget, forget);
    return run;
  }
  /** Resolves once every run started so far has ended. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.tails.values()]);
  }
}

class SoleLeadership implements Leadership {
  leading = false;
  private work: LeaderWork | null = null;
  private queue = new LocalQueue();

  async start(work: LeaderWork): Promise<void> {
    this.work = work;
    this.leading = true;
    await work.start();
  }

  exclusive<T>(key: LockKey, fn: () => Promise<T>): Promise<T> {
    return this.queue.run(`${key.space}:${key.id}`, fn);
  }

  async stop(): Promise<void> {
    if (this.leading) await this.work?.stop();
    this.leading = false;
  }
}

class PostgresLeadership implements Leadership {
  leading = false;
  private session: LockSession;
  private work: LeaderWork | null = null;
  private tick: (() => Promise<void>) | undefined;
  private timer: ReturnType<typeof setInterval> | null = null;
  private checking: Promise<void> | null = null;
  private stopped = false;
  private queue = new LocalQueue();
  /** Logged once per spell of trouble, not every 2 s. */
  private troubled = false;

  constructor(url: string, private checkMs: number, private log: Logger) {
    this.session = new LockSession(url);
  }

  /** How long a check may take before the session counts as lost. */
  private get answerMs() {
    return Math.max(5000, 2 * this.checkMs);
  }

  /**
   * How long a lock just taken is held before the work starts. A leader whose session PostgreSQL
   * cut (a restart, a failover, a killed backend) freed the lock at once but learns of it only at
   * its next check: it stops its work in that time, so the two never poll one mailbox together.
   */
  private get graceMs() {
    return 2 * this.checkMs;
  }

  async start(work: LeaderWork, tick?: () => Promise<void>): Promise<void> {
    this.work = work;
    this.tick = tick;
    // At start no grace: an instance alone leads before it serves.
    await this.check(0);
    this.timer = setInterval(() => void this.check(this.graceMs), this.checkMs);
  }

  private check(graceMs: number): Promise<void> {
    this.checking ??= this.checkOnce(graceMs).finally(() => (this.checking = null));
    return this.checking;
  }

  private async checkOnce(graceMs: number): Promise<void> {
    if (this.stopped) return;
    if (this.leading) {
      let held = false;
      let why = "the lock is no longer held by this instance's session";
      try {
        held = await this.session.holds(LEADER, this.answerMs);
      } catch (err) {
        why = String((err as Error)?.message ?? err);
      }
      if (!held) await this.lose(why);
    } else {
      try {
        if (await this.session.tryLock(LEADER, this.answerMs)) {
          if (graceMs) await Bun.sleep(graceMs);
          if (!this.stopped && (await this.session.holds(LEADER, this.answerMs))) await this.gain();
        }
        this.troubled = false;
      } catch (err) {
        if (!this.troubled) this.log("warn", "leadership: cannot reach PostgreSQL to contend; will keep trying", { error: String((err as Error)?.message ?? err) });
        this.troubled = true;
        await this.session.reset();
      }
    }
    if (this.stopped) return;
    await this.tick?.().catch((err) => this.log("error", "leadership: periodic check failed", { error: String((err as Error)?.message ?? err) }));
  }

  private async gain() {
    this.leading = true;
    this.log("info", "leadership: this instance leads; starting the singleton work", { pid: process.pid });
    try {
      await this.work?.start();
    } catch (err) {
      this.log("error", "leadership: starting the singleton work failed", { error: String((err as Error)?.message ?? err) });
    }
  }

  private async lose(why: string) {
    this.leading = false;
    this.log("warn", "leadership: lost; stopping the singleton work", { reason: why });
    await this.work?.stop().catch((err) => this.log("error", "leadership: stopping the singleton work failed", { error: String((err as Error)?.message ?? err) }));
    this.log("info", "leadership: singleton work stopped");
    // Only now let the old session go (if it still lives, it may still hold the lock): another
    // instance can take over once nothing of ours runs. A refresh under a channel's lock on it
    // finishes first (its new tokens committed), or another instance could spend the same token.
    await this.queue.idle();
    await this.session.reset();
  }

  exclusive<T>(key: LockKey, fn: () => Promise<T>, waitMs = EXCLUSIVE_WAIT_MS): Promise<T> {
    return this.queue.run(`${key.space}:${key.id}`, async () => {
      const deadline = Date.now() + waitMs;
      while (!(await this.session.tryLock(key, this.answerMs))) {
        if (Date.now() > deadline) throw new Error(`another Pano instance held lock ${key.space}:${key.id} for over ${waitMs / 1000} s`);
        await Bun.sleep(RETRY_LOCK_MS);
      }
      try {
        return await fn();
      } finally {
        await this.session.unlock(key, this.answerMs).catch((err) => {
          // The session is in doubt: end it, which lets go of the lock for sure.
          this.log("warn", "leadership: releasing a lock failed; resetting the lock session", { error: String((err as Error)?.message ?? err) });
          return this.session.reset();
        });
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.checking;
    if (this.leading) {
      this.leading = false;
      await this.work?.stop();
    }
    await this.queue.idle();
    await this.session.close();
  }
}
