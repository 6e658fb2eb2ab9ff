// pano restore: rebuilds a data dir from the replica (or a backup file) on a new machine.
import { resolve } from "node:path";
import { parseFlags, UsageError } from "../cli.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { restoreDataDir, RestoreError } from "../ops/restore-data.ts";

export const restoreUsage = `Usage: pano restore [--to DIR] [--timestamp T] [--force] [--from FILE]
  Restores the database, attachments and secret key from the replica (PANO_REPLICA_URL).
  --to DIR        where to restore (default PANO_DATA_DIR); it must be empty unless --force
  --timestamp T   the state as of T (ISO 8601, e.g. 2026-11-25T09:30:00Z) instead of the latest
  --force         replace the database in a non-empty DIR
  --from FILE     restore a pano backup --to FILE archive instead of the replica
  Stop pano serve before restoring into its data dir.`;

export async function restoreCommand(argv: string[]): Promise<number> {
  const { flags } = parseFlags(argv, { help: "boolean", to: "string", timestamp: "string", force: "boolean", from: "string" });
  if (flags.help) return console.log(restoreUsage), 0;
  let timestamp: Date | undefined;
  if (typeof flags.timestamp === "string") {
    timestamp = new Date(flags.timestamp);
    if (Number.isNaN(timestamp.getTime())) throw new UsageError(`--timestamp must be an ISO 8601 time, got "${flags.timestamp}"`);
  }
  const config = loadConfig();
  if (config.databaseUrl) {
    console.error(`pano restore: the database is PostgreSQL (PANO_DATABASE_URL): back it up and restore it with PostgreSQL's own tools (pg_dump, pg_basebackup, or your provider's snapshots), see docs/scale-out.md`);
    return 1;
  }
  const dir = typeof flags.to === "string" ? resolve(flags.to) : config.dataDir;
  const log = createLogger(config.logLevel, (l) => process.stderr.write(l + "\n"));
  try {
    const from = typeof flags.from === "string" ? resolve(flags.from) : undefined;
    const r = await restoreDataDir({ config, dir, timestamp, force: flags.force === true, from, log });
    if (!r) throw new RestoreError("the replica holds no backup yet");
    console.log(`pano restore: restored ${r.messages} messages and ${r.attachments} attachments into ${dir} (from ${r.source}); integrity_check ok`);
    return 0;
  } catch (err) {
    if (!(err instanceof RestoreError)) throw err;
    console.error(`pano restore: ${err.message}`);
    return 1;
  }
}
