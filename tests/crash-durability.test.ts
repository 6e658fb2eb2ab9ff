// The promise Pano makes at a sales peak: a message it acknowledged is on disk, even if the
// machine dies the next instant, and a client that retries never creates a duplicate.
import { afterAll, expect, test } from "bun:test";
import { startPano, type PanoProcess, openDatabaseOf, ON_POSTGRES } from "./support/pano.ts";

const TOTAL = 2000;
const CONCURRENCY = 64;
let pano: PanoProcess | undefined;
afterAll(async () => void (await pano?.stop()));

test("kill -9 while a client posts 2,000 messages: every acknowledged message survives, none twice", async () => {
  pano = await startPano();
  const { dataDir, token } = pano;
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Flash sale" } });
  const inbound = (i: number) =>
    fetch(`${pano!.url}/api/v1/channels/${ch.id}/inbound`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ external_contact_id: `kh-${i % 300}`, external_message_id: `sale-${i}`, text: `Đơn hàng số ${i}: shop xác nhận giúp em` }),
    });

  const acked = new Set<number>();
  let next = 0;
  let killed = false;
  const victim = pano;
  const client = async () => {
    while (next < TOTAL) {
      const i = next++;
      try {
        const r = await inbound(i);
        if (r.status === 200 || r.status === 202) acked.add(i);
      } catch {
        // the server died under us: this message was not acknowledged
      }
      if (!killed && acked.size >= 700) {
        killed = true;
        victim.proc.kill(9);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  await victim.proc.exited;
  expect(killed).toBe(true);
  expect(acked.size).toBeGreaterThanOrEqual(700);
  expect(acked.size).toBeLessThan(TOTAL);

  // What the disk holds right after the crash, before anything else touches it.
  const stored = storedIds(dataDir);
  const missing = [...acked].filter((i) => !stored.has(`sale-${i}`));
  expect(missing).toEqual([]);

  // The client retries everything it did not get an answer for; redeliveries are no-ops.
  pano = await startPano({ dataDir }); // on a new port: the retries go to pano.url
  const retry = await Promise.all(Array.from({ length: TOTAL }, (_, i) => i).filter((i) => !acked.has(i)).map((i) => inbound(i).then((r) => r.status)));
  expect(retry.every((s) => s === 200 || s === 202)).toBe(true);
  await pano.stop();
  pano = undefined;

  const db = openDatabaseOf(dataDir);
  const rows = db.query<{ external_id: string; n: number }, []>("SELECT external_id, COUNT(*) AS n FROM messages WHERE external_id LIKE 'sale-%' GROUP BY external_id").all();
  expect(rows.length).toBe(TOTAL);
  expect(rows.filter((r) => r.n !== 1)).toEqual([]);
  if (!ON_POSTGRES) expect(db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").get()?.integrity_check).toBe("ok");
  db.close();
}, 120_000);

function storedIds(dataDir: string): Set<string> {
  const db = openDatabaseOf(dataDir, { write: true });
  const ids = db.query<{ external_id: string }, []>("SELECT external_id FROM messages WHERE external_id LIKE 'sale-%'").all();
  db.close();
  return new Set(ids.map((r) => r.external_id));
}
