// The keys several Pano instances on one PostgreSQL database share (migrations/postgres/0400): the
// secret key sealing channel and webhook secrets, and the Web Push (VAPID) key pair. Any instance
// may answer any request, so one that sealed a page token with a key of its own would leave the
// others unable to send through that page. docs/scale-out-state.md says which key wins.
import type { Database } from "bun:sqlite";
import { lockedTransaction, type NativeSql } from "./postgres/locked-transaction.ts";
import { encodeKey, keyFingerprint, keyOf, keyRing, newKey, type KeyRing } from "./secrets.ts";


/** "pano_key" in ASCII: held while an instance settles the shared secret key, so two starting together agree. */
const KEYS_LOCK = 8097875029610161529n;

export class SecretKeyMismatch extends Error {}

/**
 * The key every instance seals with, and the older ones this instance can still open with.
 * - The first instance on a new database decides: PANO_SECRET_KEY (`given`) if set, else its data
 *   dir's secret.key (`local`: a store moved over from SQLite was sealed with it), else a new key.
 *   Without PANO_SECRET_KEY the key itself is kept in the database for the others.
 * - Later instances with PANO_SECRET_KEY must be given that same key; once one is, the database
 *   stops holding the key (a leaked dump then opens no secret). A different PANO_SECRET_KEY is a
 *   rotation only where the old key is at hand (in the database, or this data dir's secret.key):
 *   the fingerprint moves to the new key and store/reseal.ts seals every value again. Anywhere
 *   else it is refused, before the instance could seal anything others cannot open.
 * - Later instances without it use the key the database holds; if it holds none (the others were
 *   given PANO_SECRET_KEY) they refuse to start.
 */
export async function sharedSecretKey(db: Database, given: Uint8Array<ArrayBuffer> | null, local: Uint8Array<ArrayBuffer> | null): Promise<KeyRing> {
  const pg = db as unknown as NativeSql;
  const now = Date.now();
  const older = local ? [local] : [];
  const current = lockedTransaction(pg, KEYS_LOCK, (): Uint8Array<ArrayBuffer> => {
    const rows = pg.native<{ name: string; value: string }>("SELECT name, value FROM pano_instance_keys WHERE name IN ('secret_key', 'secret_key_sha256')");
    const fingerprint = rows.find((r) => r.name === "secret_key_sha256")?.value ?? null;
    const stored = keyOf(rows.find((r) => r.name === "secret_key")?.value ?? "");
    if (stored) older.push(stored);
    if (!fingerprint) {
      const first = given ?? local ?? newKey();
      pg.native("INSERT INTO pano_instance_keys (name, value, created_at) VALUES ('secret_key_sha256', $1, $2) ON CONFLICT DO NOTHING", [keyFingerprint(first), now]);
      if (!given) pg.native("INSERT INTO pano_instance_keys (name, value, created_at) VALUES ('secret_key', $1, $2) ON CONFLICT DO NOTHING", [encodeKey(first), now]);
      return first;
    }
    if (given) {
      if (keyFingerprint(given) !== fingerprint) {
        if (!older.some((k) => keyFingerprint(k) === fingerprint)) {
          throw new SecretKeyMismatch(`PANO_SECRET_KEY is not the key the other Pano instances on this database seal secrets with (sha256 ${fingerprint.slice(0, 12)}…): give every instance the same PANO_SECRET_KEY`);
        }
        pg.native("UPDATE pano_instance_keys SET value = $1, created_at = $2 WHERE name = 'secret_key_sha256'", [keyFingerprint(given), now]);
      }
      pg.native("DELETE FROM pano_instance_keys WHERE name = 'secret_key'");
      return given;
    }
    if (!stored) throw new SecretKeyMismatch("the other Pano instances on this database were given PANO_SECRET_KEY: set the same PANO_SECRET_KEY here too");
    return stored;
  });
  return keyRing(current, older);
}

/**
 * The one value stored under `name` (sealed with the shared key): `offer` from the first instance
 * to ask, read back by every one, so two starting together use the same.
 */
export async function sharedSealedValue(db: Database, sealer: KeyRing, name: string, offer: () => string): Promise<string> {
  const pg = db as unknown as NativeSql;
  const sealed = await sealer.seal(offer());
  pg.native("INSERT INTO pano_instance_keys (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [name, sealed, Date.now()]);
  const [row] = pg.native<{ value: string }>("SELECT value FROM pano_instance_keys WHERE name = $1", [name]);
  const plain = await sealer.open(row.value);
  // Sealed before a key rotation: sealed again, for instances that only know the new key.
  if (await sealer.sealedWithOlderKey(row.value)) {
    pg.native("UPDATE pano_instance_keys SET value = $1 WHERE name = $2 AND value = $3", [await sealer.seal(plain), name, row.value]);
  }
  return plain;
}
