// One transaction under a transaction-level advisory lock, on the store's synchronous door: how
// instances starting together do a thing once (migrations, shared keys). The first takes the lock
// and does it; the others wait for its commit, then find it done. The lock goes with the
// transaction, so an instance that dies holding it lets go as soon as PostgreSQL sees it gone.

export interface NativeSql {
  /** Runs PostgreSQL's SQL as written, on the connection's one session. */
  native<R = Record<string, unknown>>(sql: string, params?: unknown[]): R[];
}

export function lockedTransaction<T>(db: NativeSql, key: bigint, fn: () => T): T {
  db.native("BEGIN");
  try {
    db.native(`SELECT pg_advisory_xact_lock(${key})`);
    const out = fn();
    db.native("COMMIT");
    return out;
  } catch (err) {
    try {
      db.native("ROLLBACK");
    } catch {
      // the connection is gone, and the transaction with it
    }
    throw err;
  }
}
