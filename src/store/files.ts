// Attachment bytes live in the data dir, content-addressed, so a redelivered file is stored once
// and a backup of the data dir carries them. Instances sharing one PostgreSQL database with S3
// settings also keep every file in the bucket (under the same name), so a file stored through one
// instance is served and sent by any other: the data dir is then that instance's cache of it.
import { mkdir, open, rename, stat } from "node:fs/promises";
import { join, dirname, relative } from "node:path";
import { createHash } from "node:crypto";

/** Where files also go when several instances share them (ops/replica-store.ts's S3 store). */
export interface SharedFiles {
  put(key: string, data: Uint8Array): Promise<void>;
  has(key: string): Promise<boolean>;
  download(key: string, dest: string): Promise<boolean>;
}

const shared = new Map<string, SharedFiles>();

/** Files stored in `dataDir` are kept in `files` too, and read from there when the data dir lacks them. */
export function shareFilesThrough(dataDir: string, files: SharedFiles | null): void {
  if (files) shared.set(dataDir, files);
  else shared.delete(dataDir);
}

export async function storeBytes(dataDir: string, bytes: Uint8Array): Promise<{ path: string; size: number }> {
  const hash = createHash("sha256").update(bytes).digest("hex");
  const rel = join("attachments", hash.slice(0, 2), hash);
  const abs = join(dataDir, rel);
  const remote = shared.get(dataDir);
  // Before the message that points at it is written: every instance can read it once it is.
  if (remote && !(await remote.has(rel))) await remote.put(rel, bytes);
  try {
    await stat(abs);
    return { path: rel, size: bytes.byteLength };
  } catch {
    // not stored yet
  }
  await mkdir(dirname(abs), { recursive: true, mode: 0o700 });
  const tmp = `${abs}.${process.pid}.${Date.now()}.tmp`;
  await writeDurably(tmp, bytes);
  await rename(tmp, abs); // atomic: a crash never leaves half a file under the final name
  await syncDir(dirname(abs));
  return { path: rel, size: bytes.byteLength };
}

// The message that points at these bytes is acknowledged once its commit is fsynced; without
// these fsyncs a power cut could keep the message and lose the photo (delayed allocation on ext4).
async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const f = await open(path, "w", 0o600);
  try {
    await f.writeFile(bytes);
    await f.sync();
  } finally {
    await f.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, "r");
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/**
 * The file's path in the data dir, fetched from the shared files first when another instance
 * stored it; null when it is nowhere.
 */
export async function localFile(dataDir: string, rel: string): Promise<string | null> {
  const abs = join(dataDir, rel);
  if (await stat(abs).then((s) => s.isFile(), () => false)) return abs;
  const remote = shared.get(dataDir);
  if (!remote) return null;
  await mkdir(dirname(abs), { recursive: true, mode: 0o700 });
  const tmp = `${abs}.${process.pid}.${Date.now()}.tmp`;
  if (!(await remote.download(rel, tmp))) return null;
  await rename(tmp, abs); // a reader never sees half a file
  return abs;
}

/** Before a send reads attachments from the data dir (absolute paths): each one is there. */
export async function filesAtHand(dataDir: string, paths: string[]): Promise<void> {
  if (!shared.has(dataDir)) return; // one instance: its data dir has them all, as always
  for (const abs of paths) {
    if (!(await localFile(dataDir, relative(dataDir, abs)))) throw new Error(`attachment ${relative(dataDir, abs)} is in neither the data dir nor the shared files`);
  }
}
