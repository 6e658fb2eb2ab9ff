// `pano backup`: a consistent snapshot of a live data dir. The database is copied as of one read
// transaction while Pano keeps writing (store/database-file.ts); attachments are listed after the
// copy, so every file the copy refers to is in the archive (content-addressed files never change).
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { TarWriter } from "./tar.ts";
import { createPrivateFile } from "../store/private-files.ts";
import { copyLiveDatabase } from "../store/database-file.ts";
import { KEY_FILES } from "./key-files.ts";

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
    const messages = copyLiveDatabase(dbPath, copy);
    const files = attachmentFiles(dataDir);
    const createdAt = new Date().toISOString();
    const partial = `${outFile}.partial`;
    createPrivateFile(partial); // the archive holds the secret key
    const tar = new TarWriter(Bun.file(partial).writer());
    const manifest = { format: "pano-backup", version: 1, created_at: createdAt, messages, attachments: files.length };
    await tar.add(MANIFEST, new Blob([JSON.stringify(manifest, null, 2)]));
    await tar.add("pano.db", Bun.file(copy));
    for (const k of KEY_FILES) if (existsSync(join(dataDir, k))) await tar.add(k, Bun.file(join(dataDir, k)));
    for (const f of files) await tar.add(f, Bun.file(join(dataDir, f)));
    await tar.close();
    renameSync(partial, outFile);
    return { file: outFile, bytes: Bun.file(outFile).size, messages, attachments: files.length, createdAt };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
