// `pano backup`: a consistent snapshot of a live data dir. VACUUM INTO copies the database as of
// one read transaction while Pano keeps writing; attachments are listed after the copy, so every
// file the copy refers to is in the archive (content-addressed files never change).
import { Database } from "bun:sqlite";
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { TarWriter } from "./tar.ts";
import { createPrivateFile } from "../store/private-files.ts";

export class BackupError extends Error {}

export interface SnapshotSummary {
  file: string;
  bytes: number;
  messages: number;
  attachments: number;
  createdAt: string;
}

export const MANIFEST = "manifest.json";

export function attachmentFiles(dataDir: string): string[] {
  const base = join(dataDir, "attachments");
  if (!existsSync(base)) return [];
  return readdirSync(base, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith(".tmp"))
    .map((e) => relative(dataDir, join(e.parentPath, e.name)))
    .sort();
}

export async function writeSnapshot(dataDir: string, outFile: string): Promise<SnapshotSummary> {
  const dbPath = join(dataDir, "pano.db");
  if (!existsSync(dbPath)) throw new BackupError(`no database at ${dbPath}: is PANO_DATA_DIR right?`);
  const work = mkdtempSync(join(dataDir, ".backup-"));
  try {
    const copy = join(work, "pano.db");
    const db = new Database(dbPath);
    let messages = 0;
    try {
      db.exec("PRAGMA busy_timeout = 10000");
      db.query("VACUUM INTO ?").run(copy);
      messages = db.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM messages").get()?.n ?? 0;
    } finally {
      db.close();
    }
    const files = attachmentFiles(dataDir);
    const createdAt = new Date().toISOString();
    const partial = `${outFile}.partial`;
    createPrivateFile(partial); // the archive holds the secret key
    const tar = new TarWriter(Bun.file(partial).writer());
    const manifest = { format: "pano-backup", version: 1, created_at: createdAt, messages, attachments: files.length };
    await tar.add(MANIFEST, new Blob([JSON.stringify(manifest, null, 2)]));
    await tar.add("pano.db", Bun.file(copy));
    if (existsSync(join(dataDir, "secret.key"))) await tar.add("secret.key", Bun.file(join(dataDir, "secret.key")));
    for (const f of files) await tar.add(f, Bun.file(join(dataDir, f)));
    await tar.close();
    renameSync(partial, outFile);
    return { file: outFile, bytes: Bun.file(outFile).size, messages, attachments: files.length, createdAt };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
