// PostgreSQL advisory locks on a session of their own: the one asynchronous connection a Pano
// instance keeps beside the store's synchronous door (which must never wait on a lock: it blocks
// the event loop). A session-level lock lives as long as the session, so a Pano process that dies
// (kill -9, a lost machine) lets go of everything it held as soon as PostgreSQL sees its socket
// close, and another instance can take it.
import postgres from "postgres";
import { sessionOptions } from "./options.ts";

/** A lock's name: two 32-bit keys, pg_try_advisory_lock(int4, int4) (pg_locks: classid, objid). */
export interface LockKey {
  space: number;
  id: number;
}

/** "pano" in ASCII: the space of the instance-wide locks (the migration lock is an int8 of its own). */
export const PANO_LOCKS = 0x70616e6f;
/** "pch" + 0: per-channel locks (a Zalo token refresh), keyed by the channel's id. */
export const CHANNEL_LOCKS = 0x70636800;

export class LockSession {
  private sql: postgres.Sql;

  constructor(private url: string) {
    this.sql = this.open();
  }

  private open(): postgres.Sql {
    // One session: a session lock belongs to the connection that took it.
    return postgres(sessionOptions(this.url, "pano-locks"));
  }

  /** Takes the lock if it is free (or this session already holds it); never waits for it. */
  async tryLock(k: LockKey, withinMs: number): Promise<boolean> {
    const [row] = await this.within(withinMs, this.sql<{ ok: boolean }[]>`SELECT pg_try_advisory_lock(${k.space}::int4, ${k.id}::int4) AS ok`);
    return row?.ok === true;
  }

  /**
   * Whether this session still holds the lock. postgres.js reconnects silently after a lost
   * connection, and the new session holds nothing: asking pg_locks tells the two apart.
   */
  async holds(k: LockKey, withinMs: number): Promise<boolean> {
    const [row] = await this.within(withinMs, this.sql<{ held: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND classid = ${k.space}::int4::oid AND objid = ${k.id}::int4::oid AND objsubid = 2) AS held`);
    return row?.held === true;
  }

  async unlock(k: LockKey, withinMs: number): Promise<void> {
    await this.within(withinMs, this.sql`SELECT pg_advisory_unlock(${k.space}::int4, ${k.id}::int4)`);
  }

  /**
   * Ends the session now, which lets go of every lock it held; the next call opens a new one.
   * For a session that stopped answering: nobody can be sure what it still holds.
   */
  async reset(): Promise<void> {
    const old = this.sql;
    this.sql = this.open();
    await old.end({ timeout: 0 }).catch(() => {});
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 2 }).catch(() => {});
  }

  private async within<T>(ms: number, q: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`PostgreSQL did not answer within ${ms} ms`)), ms)));
    try {
      return await Promise.race([q, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
