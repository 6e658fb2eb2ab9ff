// A sales-peak promise for Messenger: every delivery Pano answered 200 is on disk even if the
// machine dies the next instant, and Meta's redeliveries after the restart create no duplicates.
import { afterAll, expect, test } from "bun:test";
import { startPano, type PanoProcess, openDatabaseOf, ON_POSTGRES } from "./support/pano.ts";
import { startFacebookStory, psidOf, type FacebookStory } from "./sim/facebook-pano.ts";
import { customerMessage, type Delivery } from "./sim/facebook.ts";

const BATCHES = 600;
const CONCURRENCY = 48;
let story: FacebookStory | undefined;
let restarted: PanoProcess | undefined;
afterAll(async () => {
  await restarted?.stop();
  await story?.sim.stop();
});

test("kill -9 mid-burst of signed Messenger batches: every acknowledged message survives, none twice", async () => {
  story = await startFacebookStory({ echoes: false });
  const { sim, pano, page } = story;
  // Batches of 1-5 events from 200 customers, the way Meta groups a busy Page's traffic.
  const batches = Array.from({ length: BATCHES }, (_, b) =>
    Array.from({ length: 1 + (b % 5) }, (_, k) => customerMessage(page.pageId, psidOf(1000 + ((b * 7 + k) % 200)), `Đơn flash sale ${b}-${k}: shop xác nhận giúp em`, { timestamp: Date.now() + b })),
  );
  const midsOf = (b: number) => batches[b].map((e) => (e.message as { mid: string }).mid);
  const answered = new Map<number, Delivery>();
  const acked = new Set<number>();
  let next = 0;
  let killed = false;
  const sender = async () => {
    while (next < BATCHES) {
      const b = next++;
      try {
        const d = await sim.deliver([{ pageId: page.pageId, events: batches[b] }]);
        answered.set(b, d);
        if (d.status === 200) acked.add(b);
      } catch {
        // the connection died with Pano: not acknowledged, Meta will redeliver
      }
      if (!killed && acked.size >= 200) {
        killed = true;
        pano.proc.kill(9);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  await pano.proc.exited;
  expect(killed).toBe(true);
  expect(acked.size).toBeGreaterThanOrEqual(200);
  expect(acked.size).toBeLessThan(BATCHES);

  // What the disk holds right after the crash, before anything else touches it.
  const onDisk = storedMids(pano.dataDir);
  const lost = [...acked].flatMap(midsOf).filter((mid) => !onDisk.has(mid));
  expect(lost).toEqual([]);

  // Meta redelivers every batch it has no 200 for (and, being at-least-once, some it has).
  restarted = await startPano({ dataDir: pano.dataDir, env: { PANO_FACEBOOK_GRAPH_URL: sim.url } });
  sim.setPano(restarted.url);
  const again = await Promise.all(
    batches.map((events, b) => (answered.has(b) && b % 3 !== 0 && acked.has(b) ? null : sim.deliver([{ pageId: page.pageId, events }]))),
  );
  expect(again.every((d) => d === null || d.status === 200)).toBe(true);
  await restarted.stop();
  restarted = undefined;

  const db = openDatabaseOf(pano.dataDir);
  const rows = db.query<{ external_id: string; n: number }, []>("SELECT external_id, COUNT(*) AS n FROM messages WHERE external_id LIKE 'm\\_%' ESCAPE '\\' GROUP BY external_id").all();
  expect(rows.length).toBe(batches.flat().length);
  expect(rows.filter((r) => r.n !== 1)).toEqual([]);
  if (!ON_POSTGRES) expect(db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").get()?.integrity_check).toBe("ok");
  db.close();
}, 120_000);

function storedMids(dataDir: string): Set<string> {
  const db = openDatabaseOf(dataDir, { write: true });
  const ids = db.query<{ external_id: string }, []>("SELECT external_id FROM messages WHERE external_id IS NOT NULL").all();
  db.close();
  return new Set(ids.map((r) => r.external_id));
}
