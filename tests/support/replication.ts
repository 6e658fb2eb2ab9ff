// What replication stories share: a burst of API-channel messages and a look inside a restored dir.
import { Database } from "bun:sqlite";
import { join } from "node:path";
import type { PanoProcess } from "./pano.ts";

export interface Burst {
  acked: Set<string>;
  sent: Set<string>;
  /** Answers other than 200/202, by status. */
  otherAnswers: Map<number, number>;
}

/**
 * Posts `ids` to an API channel with `concurrency` clients. `after(acked)` runs after each
 * answer (to kill or signal the server mid-burst); a refused connection just ends that try.
 */
export async function burst(pano: PanoProcess, channelId: string, ids: string[], concurrency: number, after?: (acked: ReadonlySet<string>) => void): Promise<Burst> {
  const acked = new Set<string>();
  const sent = new Set<string>();
  const otherAnswers = new Map<number, number>();
  let next = 0;
  const headers = { authorization: `Bearer ${pano.token}`, "content-type": "application/json" };
  const client = async () => {
    while (next < ids.length) {
      const i = next++;
      const id = ids[i];
      sent.add(id);
      try {
        const r = await fetch(`${pano.url}/api/v1/channels/${channelId}/inbound`, {
          method: "POST", headers,
          body: JSON.stringify({ external_contact_id: `kh-${i % 500}`, external_message_id: id, text: `Đơn ${id}: shop giao giúp em trước thứ 6 nhé` }),
        });
        if (r.status === 200 || r.status === 202) acked.add(id);
        else otherAnswers.set(r.status, (otherAnswers.get(r.status) ?? 0) + 1);
        await r.body?.cancel();
      } catch {
        // the server went away under us: not acknowledged
      }
      after?.(acked);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { acked, sent, otherAnswers };
}

export const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** The message ids a (restored) data dir holds, and what integrity_check says of it. */
export function inspectDataDir(dir: string): { ids: Set<string>; duplicates: number; integrity: string } {
  const db = new Database(join(dir, "pano.db"), { readonly: true });
  try {
    const rows = db.query<{ external_id: string }, []>("SELECT external_id FROM messages WHERE external_id IS NOT NULL").all();
    const integrity = db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").all().map((r) => r.integrity_check).join("; ");
    const ids = new Set(rows.map((r) => r.external_id));
    return { ids, duplicates: rows.length - ids.size, integrity };
  } finally {
    db.close();
  }
}

export const missingFrom = (have: Set<string>, wanted: Iterable<string>) => [...wanted].filter((id) => !have.has(id));
