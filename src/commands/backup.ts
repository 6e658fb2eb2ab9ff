// pano backup: a consistent snapshot now (database, attachments, secret key), to the replica or
// to a file. Safe while `pano serve` is running.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parseFlags } from "../cli.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { replicaTarget, describeTarget } from "../ops/replica-target.ts";
import { replicaStore } from "../ops/replica-store.ts";
import { writeSnapshot, BackupError, type SnapshotSummary } from "../ops/snapshot.ts";
import { snapshotKey } from "../ops/restore-data.ts";
import { FileSync } from "../ops/file-sync.ts";

export const backupUsage = `Usage: pano backup [--to FILE]
  Takes a consistent snapshot of the database, the attachments and the secret key, while Pano runs.
  --to FILE   write the snapshot to FILE (a tar archive; restore it with pano restore --from FILE)
  Without --to, the snapshot goes to the replica (PANO_REPLICA_URL), under snapshots/.`;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const said = (s: SnapshotSummary) => `${s.messages} messages, ${s.attachments} attachments, ${mb(s.bytes)}`;

export async function backupCommand(argv: string[]): Promise<number> {
  const { flags } = parseFlags(argv, { help: "boolean", to: "string" });
  if (flags.help) return console.log(backupUsage), 0;
  const config = loadConfig();
  if (config.databaseUrl) {
    console.error(`pano backup: the database is PostgreSQL (PANO_DATABASE_URL): back it up and restore it with PostgreSQL's own tools (pg_dump, pg_basebackup, or your provider's snapshots), see docs/scale-out.md`);
    return 1;
  }
  try {
    if (typeof flags.to === "string") {
      const s = await writeSnapshot(config.dataDir, flags.to);
      console.log(`pano backup: wrote ${s.file} (${said(s)})`);
      return 0;
    }
    const target = replicaTarget(config);
    if (!target) throw new BackupError("no replica configured: set PANO_REPLICA_URL, or pass --to FILE");
    const tmp = join(config.dataDir, `.backup-${process.pid}.tar`);
    try {
      const s = await writeSnapshot(config.dataDir, tmp);
      const store = replicaStore(target);
      const key = snapshotKey(new Date(s.createdAt));
      await store.put(key, Bun.file(tmp));
      const files = new FileSync(config.dataDir, store, createLogger(config.logLevel));
      await files.sync();
      if (files.lastError) throw new BackupError(`copying attachments failed: ${files.lastError}`);
      console.log(`pano backup: wrote ${describeTarget(target)}/${key} (${said(s)})`);
      return 0;
    } finally {
      rmSync(tmp, { force: true });
    }
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    console.error(`pano backup: ${err.message}`);
    return 1;
  }
}
