// The promise Pano makes to a shop during a Zalo flash sale: a webhook it acknowledged is on disk
// even if the machine dies the next instant, and Zalo's redeliveries never make a duplicate.
import { afterAll, expect, test } from "bun:test";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";
import { openDatabaseOf, ON_POSTGRES } from "./support/pano.ts";

const TOTAL = 1500;
const CONCURRENCY = 64;
let w: ZaloWorld | undefined;
afterAll(async () => await w?.stop());

test("kill -9 mid-burst of 1,500 signed Zalo webhooks: every acknowledged message survives, none twice", async () => {
  w = await startZaloWorld();
  const { sim } = w;
  const users = Array.from({ length: 200 }, (_, i) => sim.addUser(undefined, { display_name: `Khách ${i}` }));
  const events = Array.from({ length: TOTAL }, (_, i) => sim.events.userText(users[i % users.length], `Đơn flash sale số ${i}: shop xác nhận giúp em`, `flash-${i}`));

  const acked = new Set<number>();
  const firstTry = new Map<number, Awaited<ReturnType<typeof sim.deliver>>>();
  let next = 0;
  let killed = false;
  const victim = w.pano;
  const zalo = async () => {
    while (next < TOTAL) {
      const i = next++;
      const d = await sim.deliver(events[i]);
      firstTry.set(i, d);
      if (d.status === 200) acked.add(i);
      if (!killed && acked.size >= 600) {
        killed = true;
        victim.proc.kill(9);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, zalo));
  await victim.proc.exited;
  expect(killed).toBe(true);
  expect(acked.size).toBeGreaterThanOrEqual(600);
  expect(acked.size).toBeLessThan(TOTAL);

  // What the disk holds right after the crash, before anything else touches it.
  const stored = storedIds(victim.dataDir);
  expect([...acked].filter((i) => !stored.has(`flash-${i}`))).toEqual([]);

  // Pano comes back; Zalo redelivers every webhook it saw no 200 for, with the same bytes.
  await w.restartPano();
  sim.setPano(w.pano.url);
  const retries = await Promise.all([...firstTry].filter(([i]) => !acked.has(i)).map(([, d]) => sim.redeliver(d)));
  expect(retries.every((d) => d.status === 200)).toBe(true);
  // And some it had an answer for, as Zalo does when the answer came too late.
  const late = await Promise.all([...acked].slice(0, 50).map((i) => sim.redeliver(firstTry.get(i)!)));
  expect(late.every((d) => d.status === 200)).toBe(true);
  await w.pano.stop();

  const db = openDatabaseOf(victim.dataDir);
  const rows = db.query<{ external_id: string; n: number }, []>("SELECT external_id, COUNT(*) AS n FROM messages WHERE external_id LIKE 'flash-%' GROUP BY external_id").all();
  expect(rows.length).toBe(TOTAL);
  expect(rows.filter((r) => r.n !== 1)).toEqual([]);
  const conversations = db.query<{ n: number }, []>("SELECT COUNT(DISTINCT conversation_id) AS n FROM messages WHERE external_id LIKE 'flash-%'").get()!.n;
  expect(conversations).toBe(users.length);
  if (!ON_POSTGRES) expect(db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").get()?.integrity_check).toBe("ok");
  db.close();
}, 90_000);

function storedIds(dataDir: string): Set<string> {
  const db = openDatabaseOf(dataDir, { write: true });
  const ids = db.query<{ external_id: string }, []>("SELECT external_id FROM messages WHERE external_id LIKE 'flash-%'").all();
  db.close();
  return new Set(ids.map((r) => r.external_id));
}
