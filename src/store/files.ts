// Attachment bytes live in the data dir, content-addressed, so a redelivered file is stored once
// and a backup of the data dir carries them.
import { mkdir, open, rename, stat } from "node:fs/promises";
import { join, dirname } from "node:path";
import { createHash } from "node:crypto";

export async function storeBytes(dataDir: string, bytes: Uint8Array): Promise<{ path: string; size: number }> {
  const hash = createHash("sha256").update(bytes).digest("hex");
  const rel = join("attachments", hash.slice(0, 2), hash);
  const abs = join(dataDir, rel);
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

export function attachmentPath(dataDir: string, rel: string): string {
  return join(dataDir, rel);
}
