// Channel secrets are sealed with AES-GCM (Web Crypto). The key is PANO_SECRET_KEY when given, else
// it lives in the data dir (mode 0600), or on PostgreSQL in the database for every instance to share
// (store/instance-keys.ts): a leaked SQLite file alone does not leak page tokens or mailbox passwords.
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

/** The 32-byte AES key a key file or PANO_SECRET_KEY holds (base64); null when it is not one. */
export function keyOf(text: string): Uint8Array<ArrayBuffer> | null {
  const raw = new Uint8Array(Buffer.from(text.trim(), "base64")) as Uint8Array<ArrayBuffer>;
  return raw.length === KEY_BYTES ? raw : null;
}

export const KEY_BYTES = 32;

/** The data dir's secret.key, or null when there is none. */
export function readKeyFile(dataDir: string): Uint8Array<ArrayBuffer> | null {
  const keyPath = join(dataDir, "secret.key");
  if (!existsSync(keyPath)) return null;
  const raw = keyOf(readFileSync(keyPath, "utf8"));
  if (!raw) throw new Error(`${keyPath} does not hold a 32-byte key`);
  return raw;
}

export const newKey = () => crypto.getRandomValues(new Uint8Array(KEY_BYTES)) as Uint8Array<ArrayBuffer>;
export const encodeKey = (key: Uint8Array) => b64(key);
/** Names a key without telling it: instances compare these to find out they were given different keys. */
export const keyFingerprint = (key: Uint8Array) => new Bun.CryptoHasher("sha256").update(key).digest("hex");
const sameKey = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** A sealer that can say which sealed values were sealed with an older key than the one it seals with now. */
export interface KeyRing extends Sealer {
  /** True when `sealed` opens only with an older key (it should be sealed again); throws when no key opens it. */
  sealedWithOlderKey(sealed: string): Promise<boolean>;
  /** Older keys kept only to open what they sealed (a data dir's secret.key once PANO_SECRET_KEY is set). */
  readonly olderKeys: number;
}

/**
 * Seals with `current`; opens with it or any of `older` (AES-GCM authenticates, so a wrong key
 * fails instead of answering garbage). The order is how sealed values move to a new key.
 */
export async function keyRing(current: Uint8Array<ArrayBuffer>, older: Uint8Array<ArrayBuffer>[] = []): Promise<KeyRing> {
  const distinct = older.filter((k, i) => !sameKey(k, current) && older.findIndex((o) => sameKey(o, k)) === i);
  const keys = await Promise.all([current, ...distinct].map((raw) => crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"])));
  const openWith = async (sealed: string): Promise<{ plain: string; index: number }> => {
    const [v, iv, body] = sealed.split(".");
    if (v !== "v1" || !iv || !body) throw new Error("unknown secret format");
    let failure: unknown;
    for (const [index, key] of keys.entries()) {
      try {
        const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: Buffer.from(iv, "base64") }, key, Buffer.from(body, "base64"));
        return { plain: new TextDecoder().decode(plain), index };
      } catch (err) {
        failure = err;
      }
    }
    throw failure;
  };
  return {
    olderKeys: distinct.length,
    async seal(plain) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const body = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, keys[0], new TextEncoder().encode(plain));
      return `v1.${b64(iv)}.${b64(body)}`;
    },
    async open(sealed) {
      return (await openWith(sealed)).plain;
    },
    async sealedWithOlderKey(sealed) {
      return (await openWith(sealed)).index > 0;
    },
  };
}

/**
 * One instance on its data dir (SQLite): PANO_SECRET_KEY when given, else the data dir's
 * secret.key, made on first start. A secret.key beside PANO_SECRET_KEY still opens what it sealed
 * until those values are sealed again (store/reseal.ts).
 */
export async function loadSealer(dataDir: string, secretKey: Uint8Array<ArrayBuffer> | null = null): Promise<KeyRing> {
  const file = readKeyFile(dataDir);
  if (secretKey) return keyRing(secretKey, file ? [file] : []);
  if (file) return keyRing(file);
  const raw = newKey();
  writeKey(join(dataDir, "secret.key"), b64(raw) + "\n");
  return keyRing(raw);
}
