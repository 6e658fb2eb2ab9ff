// The data dir holds the conversations, customers' files and the key that opens channel secrets;
// a backup archive holds all of it. They are for the user Pano runs as only (files 0600, folders
// 0700), whatever umask the shell that started Pano had. The CLI sets PRIVATE_UMASK first thing,
// so whatever Pano, SQLite (WAL and SHM too) and Litestream create is private; the functions
// below make it so for what already exists (a data dir from an older version, a folder made by hand).
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { join } from "node:path";

export const PRIVATE_UMASK = 0o077;

export function privateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodOwn(path, 0o700);
}

// Only the owner (or root) may change a mode: a command run by another user who may write here
// (a shared group) leaves the owner's files as they are rather than refusing to start.
function chmodOwn(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") throw err;
  }
}

/** Creates (or empties) `path` as a file only its owner can read, before anything is written to it. */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, "w", 0o600));
  chmodSync(path, 0o600);
}

function makePrivate(path: string): void {
  if (existsSync(path)) chmodOwn(path, statSync(path).isDirectory() ? 0o700 : 0o600);
}

/** The data dir and what Pano keeps at its top. Files inside attachments/ are behind these folders. */
export function privateDataDir(dataDir: string): void {
  privateDir(dataDir);
  for (const name of ["pano.db", "pano.db-wal", "pano.db-shm", "secret.key", "attachments"]) makePrivate(join(dataDir, name));
}
