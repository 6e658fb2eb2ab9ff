// Channel secrets are sealed with AES-GCM (Web Crypto); the key lives in the data dir
// (mode 0600), so a leaked database file alone does not leak page tokens or mailbox passwords.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, chmodSync } from "node:fs";
import { dirname, join } from "node:path";

export interface Sealer {
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

const b64 = (b: ArrayBuffer | Uint8Array) => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString("base64");

/**
 * Lost, the key takes every sealed secret with it, and secrets are sealed right after first
 * start: so it reaches the disk (file and directory entry) before Pano goes on.
 */
export function writeKey(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  const dir = openSync(dirname(path), "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

export async function loadSealer(dataDir: string): Promise<Sealer> {
  const keyPath = join(dataDir, "secret.key");
  let raw: Uint8Array<ArrayBuffer>;
  if (existsSync(keyPath)) {
    raw = new Uint8Array(Buffer.from(readFileSync(keyPath, "utf8").trim(), "base64")) as Uint8Array<ArrayBuffer>;
  } else {
    raw = crypto.getRandomValues(new Uint8Array(32));
    writeKey(keyPath, b64(raw) + "\n");
  }
  if (raw.length !== 32) throw new Error(`${keyPath} does not hold a 32-byte key`);
  const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  return {
    async seal(plain) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const body = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(plain));
      return `v1.${b64(iv)}.${b64(body)}`;
    },
    async open(sealed) {
      const [v, iv, body] = sealed.split(".");
      if (v !== "v1" || !iv || !body) throw new Error("unknown secret format");
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: Buffer.from(iv, "base64") }, key, Buffer.from(body, "base64"));
      return new TextDecoder().decode(plain);
    },
  };
}
