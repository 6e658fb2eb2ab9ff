// Sealed secrets move to the key Pano seals with now: a data dir's secret.key sealed them before
// PANO_SECRET_KEY was set, or before the store moved to PostgreSQL and its shared key. Sealed again
// at start by the instance that still has the old key, they open on every instance.
import type { Database } from "bun:sqlite";
import type { Writer } from "./writer.ts";
import type { KeyRing } from "./secrets.ts";

/** Every sealed column: the table, its key column, the sealed one. */
const SEALED = [
  { table: "channels", column: "config_enc" },
  { table: "webhooks", column: "secret_enc" },
] as const;

/** Seals again every value only an older key opens; answers how many. A value no key opens stays as it is. */
export async function resealWithCurrentKey(db: Database, writer: Writer, ring: KeyRing): Promise<number> {
  if (!ring.olderKeys) return 0;
  let moved = 0;
  for (const { table, column } of SEALED) {
    const rows = db.query<{ id: number; sealed: string }, []>(`SELECT id, ${column} AS sealed FROM ${table}`).all();
    for (const r of rows) {
      let older: boolean;
      try {
        older = await ring.sealedWithOlderKey(r.sealed);
      } catch {
        continue; // no key opens it: loading it says so, with its channel or webhook
      }
      if (!older) continue;
      const again = await ring.seal(await ring.open(r.sealed));
      // Only if nobody changed it meanwhile (another instance sealing it again, an admin's edit).
      await writer.submit((tx) => tx.db.query(`UPDATE ${table} SET ${column} = ? WHERE id = ? AND ${column} = ?`).run(again, r.id, r.sealed));
      moved++;
    }
  }
  return moved;
}
