// Rebuilds a data dir from the replica (Litestream's copy of the database, point in time if
// asked, then attachments and the secret key) or from a `pano backup` archive. Everything lands
// in a staging folder first and is checked with SQLite's integrity check before it is moved in.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { replicaTarget, describeTarget, type ReplicaTarget } from "./replica-target.ts";
import { replicaStore, type ReplicaStore } from "./replica-store.ts";
import { findLitestream, litestreamEnv, writeLitestreamConfig } from "./litestream-config.ts";
import { readTar, saveEntry } from "./tar.ts";
import { attachmentFiles } from "./snapshot.ts";
import { privateDataDir, privateDir } from "../store/private-files.ts";
import { checkDatabaseFile } from "../store/database-file.ts";
import { KEY_FILES } from "./key-files.ts";

export class RestoreError extends Error {}

export interface RestoreRequest {
  config: Config;
  dir: string;
  timestamp?: Date;
  force?: boolean;
  /** A `pano backup --to FILE` archive instead of the replica. */
  from?: string;
  log: Logger;
}

export interface RestoreResult {
  source: "litestream" | "snapshot" | "archive";
  messages: number;
  attachments: number;
}

/** A fresh volume may hold lost+found; that still counts as empty. */
export function hasData(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((n) => n !== "lost+found");
}

const SNAPSHOT_KEY = /^snapshots\/(\d{8}T\d{6}Z)\.tar$/;

export function snapshotKey(at: Date): string {
  return `snapshots/${at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}.tar`;
}

function snapshotTime(key: string): number {
  const m = SNAPSHOT_KEY.exec(key)![1];
  return Date.parse(`${m.slice(0, 4)}-${m.slice(4, 6)}-${m.slice(6, 11)}:${m.slice(11, 13)}:${m.slice(13)}`);
}

async function extractArchive(archive: Blob, staging: string): Promise<void> {
  let sawDb = false;
  for await (const e of readTar(archive)) {
    if (e.name.includes("..") || e.name.startsWith("/")) throw new RestoreError(`unsafe path in archive: ${e.name}`);
    if (e.name !== "pano.db" && !(KEY_FILES as readonly string[]).includes(e.name) && !e.name.startsWith("attachments/")) continue;
    mkdirSync(dirname(join(staging, e.name)), { recursive: true, mode: 0o700 });
    await saveEntry(e, join(staging, e.name));
    sawDb ||= e.name === "pano.db";
  }
  if (!sawDb) throw new RestoreError("the archive holds no pano.db: is it a `pano backup` file?");
}

async function litestreamRestore(req: RestoreRequest, target: ReplicaTarget, out: string): Promise<boolean> {
  const binary = findLitestream(req.config.litestreamPath);
  if (!binary) throw new RestoreError("the Litestream binary was not found (npm package, beside pano, or PATH; PANO_LITESTREAM_PATH overrides)");
  const dbPath = join(req.dir, "pano.db");
  const cfg = writeLitestreamConfig(dbPath, target);
  try {
    const args = [binary, "restore", "-config", cfg, "-o", out, ...(req.timestamp ? ["-timestamp", req.timestamp.toISOString()] : []), dbPath];
    const p = Bun.spawn(args, { env: litestreamEnv(target), stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    if (code === 0) return true;
    const said = `${stdout}\n${stderr}`;
    if (/no matching backups|no generations|no snapshots available|cannot determine generations/i.test(said)) return false;
    throw new RestoreError(`litestream restore failed: ${said.trim().split("\n").pop()}`);
  } finally {
    rmSync(dirname(cfg), { recursive: true, force: true });
  }
}

async function latestSnapshot(store: ReplicaStore, before?: Date): Promise<string | null> {
  const keys = (await store.list("snapshots/")).filter((k) => SNAPSHOT_KEY.test(k));
  const fit = keys.filter((k) => !before || snapshotTime(k) <= before.getTime());
  return fit.at(-1) ?? null;
}

/** Attachments and the key from the replica that the staging dir does not have yet. */
async function fetchDataFiles(store: ReplicaStore, staging: string): Promise<void> {
  const have = new Set(attachmentFiles(staging));
  const wanted = (await store.list("attachments/")).filter((k) => !have.has(k));
  for (let i = 0; i < wanted.length; i += 16) await Promise.all(wanted.slice(i, i + 16).map((k) => store.download(k, join(staging, k))));
  // A replica made before Web Push has no vapid.json (download says false): Pano then makes new keys.
  for (const k of KEY_FILES) if (!existsSync(join(staging, k))) await store.download(k, join(staging, k));
}

function checkDatabase(path: string): number {
  const { problems, messages } = checkDatabaseFile(path);
  if (problems.length) throw new RestoreError(`the restored database fails integrity_check: ${problems.join("; ")}`);
  return messages;
}

function moveIn(staging: string, dir: string): void {
  // The old database's WAL and Litestream's shadow state belong to the old file: drop them.
  for (const n of ["pano.db", "pano.db-wal", "pano.db-shm", "pano.db-journal"]) rmSync(join(dir, n), { force: true });
  rmSync(join(dir, ".pano.db-litestream"), { recursive: true, force: true });
  rmSync(join(dir, "pano.db-litestream"), { recursive: true, force: true });
  for (const k of KEY_FILES) {
    if (!existsSync(join(staging, k))) continue;
    renameSync(join(staging, k), join(dir, k));
    chmodSync(join(dir, k), 0o600);
  }
  for (const f of attachmentFiles(staging)) {
    if (existsSync(join(dir, f))) continue;
    mkdirSync(dirname(join(dir, f)), { recursive: true, mode: 0o700 });
    renameSync(join(staging, f), join(dir, f));
  }
  renameSync(join(staging, "pano.db"), join(dir, "pano.db")); // last: its presence means "restored"
  privateDataDir(dir);
}

/** Restores into req.dir; null when the replica holds no backup at all. */
export async function restoreDataDir(req: RestoreRequest): Promise<RestoreResult | null> {
  if (hasData(req.dir) && !req.force) throw new RestoreError(`${req.dir} is not empty; restore into an empty directory or pass --force to replace its database`);
  privateDir(req.dir);
  const staging = mkdtempSync(join(req.dir, ".restore-"));
  try {
    let source: RestoreResult["source"];
    if (req.from) {
      if (!existsSync(req.from)) throw new RestoreError(`no backup file at ${req.from}`);
      await extractArchive(Bun.file(req.from), staging);
      source = "archive";
    } else {
      const target = replicaTarget(req.config);
      if (!target) throw new RestoreError("no replica configured: set PANO_REPLICA_URL, or restore a backup file with --from FILE");
      const store = replicaStore(target);
      req.log("info", "restoring from the replica", { replica: describeTarget(target), timestamp: req.timestamp?.toISOString() ?? "latest" });
      if (await litestreamRestore(req, target, join(staging, "pano.db"))) source = "litestream";
      else {
        const key = await latestSnapshot(store, req.timestamp);
        if (!key) return null;
        req.log("info", "no continuous replica found; using the newest backup snapshot", { snapshot: key });
        await store.download(key, join(staging, "archive.tar"));
        await extractArchive(Bun.file(join(staging, "archive.tar")), staging);
        source = "snapshot";
      }
      await fetchDataFiles(store, staging);
    }
    const messages = checkDatabase(join(staging, "pano.db"));
    const attachments = attachmentFiles(staging).length;
    moveIn(staging, req.dir);
    return { source, messages, attachments };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
