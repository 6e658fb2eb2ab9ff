// Operations around `pano serve`: before the database opens, a new machine with an empty data
// dir and a configured replica is restored from it; once serving, the replica is kept current.
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, type Config } from "../config.ts";
import type { Pano } from "../pano.ts";
import { createLogger } from "../log.ts";
import { replicaTarget, describeTarget } from "../ops/replica-target.ts";
import { restoreDataDir } from "../ops/restore-data.ts";
import { startReplication } from "../ops/replication.ts";

/** A read-only or foreign-owned volume gets one sentence an operator can act on, not a SQLite stack trace. */
function checkWritable(dir: string): void {
  const probe = join(dir, `.write-check-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, "");
    rmSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    const why = code === "EROFS" ? "is on a read-only volume" : code === "EACCES" ? "is not writable by this user" : `cannot be written (${code})`;
    throw new ConfigError(`the data directory ${dir} ${why}: mount it read-write, owned by the user Pano runs as (uid 10001 in the Docker image)`);
  }
}

export async function beforeServe(config: Config): Promise<void> {
  checkWritable(config.dataDir);
  const target = replicaTarget(config); // a malformed PANO_REPLICA_URL stops here, before serving
  // On PostgreSQL the database is restored with PostgreSQL's tools, not from Litestream's replica.
  if (!target || config.databaseUrl || existsSync(join(config.dataDir, "pano.db"))) return;
  const log = createLogger(config.logLevel);
  const replica = describeTarget(target);
  log("info", "startup restore: the data dir has no database and a replica is configured; restoring before serving", { data_dir: config.dataDir, replica });
  const started = Date.now();
  // Only the database decides "empty": a fresh volume may hold lost+found or a stray key file.
  const result = await restoreDataDir({ config, dir: config.dataDir, force: true, log });
  if (!result) {
    log("info", "startup restore: the replica holds no backup yet; starting with an empty database", { replica });
    return;
  }
  log("info", "startup restore: done", { source: result.source, messages: result.messages, attachments: result.attachments, ms: Date.now() - started });
}

/** Starts replication (when configured); the returned function stops it after the last commit. */
export async function afterStart(pano: Pano): Promise<() => Promise<void>> {
  const replication = await startReplication(pano);
  return async () => void (await replication?.stop());
}
