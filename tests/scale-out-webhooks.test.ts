// Two Pano instances on one PostgreSQL behind a load balancer take a sales peak of signed
// Messenger deliveries together. One dies (kill -9) in the middle: every delivery either instance
// acknowledged is stored, Meta's redeliveries (to the survivor) store nothing twice, and the same
// delivery reaching both instances at once is stored once.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { startPostgres, type PostgresCluster } from "./support/postgres.ts";
import { openPostgres } from "../src/store/postgres/connection.ts";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { startFacebookSim, customerMessage, type FacebookSim } from "./sim/facebook.ts";
import type { FbEvent } from "./sim/facebook-events.ts";
import { psidOf } from "./sim/facebook-pano.ts";

const BATCHES = 400;
const CONCURRENCY = 32;
let cluster: PostgresCluster;
let sim: FacebookSim;
let url: string;
const running: PanoProcess[] = [];
const page = { pageId: String(100_000_000_000_000 + Math.floor(Math.random() * 1e9)), appSecret: randomBytes(16).toString("hex"), pageToken: "EAAG-scale-out", verifyToken: "verify-scale-out" };

beforeAll(async () => {
  [cluster, sim] = await Promise.all([startPostgres(), startFacebookSim({ ...page, echoes: false })]);
  url = await cluster.createDatabase();
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await sim?.stop();
  await cluster?.stop();
});

async function instance(env: Record<string, string> = {}): Promise<PanoProcess> {
  const p = await startPano({ env: { PANO_DATABASE_URL: url, PANO_FACEBOOK_GRAPH_URL: sim.url, ...env } });
  running.push(p);
  return p;
}

/** A signed delivery POSTed to one instance, as the load balancer would pass it on: its status, or null if the connection died. */
async function deliver(to: PanoProcess, events: FbEvent[]): Promise<number | null> {
  const { raw, headers } = sim.prepare([{ pageId: page.pageId, events }]);
  try {
    const r = await fetch(`${to.url}/webhooks/facebook`, { method: "POST", headers, body: raw });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return null; // the instance died with the request: not acknowledged, Meta delivers again
  }
}

function storedCounts(): Map<string, number> {
  const db = openPostgres(url);
  try {
    const rows = db.query<{ external_id: string; n: number }, []>("SELECT external_id, COUNT(*) AS n FROM messages WHERE external_id LIKE 'm\\_%' ESCAPE '\\' GROUP BY external_id").all();
    return new Map(rows.map((r) => [r.external_id, r.n]));
  } finally {
    db.close();
  }
}

test("kill -9 of one instance in a peak through both: every acknowledged message is stored, and stored once after redelivery", async () => {
  const [a, b] = await Promise.all([instance(), instance()]);
  await a.json("/api/v1/channels", {
    method: "POST",
    json: { type: "facebook", name: "Shop hai máy", config: { page_id: page.pageId, page_access_token: page.pageToken, app_secret: page.appSecret, verify_token: page.verifyToken } },
  });
  // Batches of 1-5 events from 150 customers; the balancer alternates between the instances.
  const batches = Array.from({ length: BATCHES }, (_, n) =>
    Array.from({ length: 1 + (n % 5) }, (_, k) => customerMessage(page.pageId, psidOf(5000 + ((n * 7 + k) % 150)), `Đơn hai máy ${n}-${k}: shop xác nhận giúp em`, { timestamp: Date.now() + n })),
  );
  const midsOf = (n: number) => batches[n].map((e) => (e.message as { mid: string }).mid);
  const acked = new Set<number>();
  let next = 0;
  let killed = false;
  const sender = async () => {
    while (next < BATCHES) {
      const n = next++;
      const to = killed ? b : n % 2 === 0 ? a : b;
      if ((await deliver(to, batches[n])) === 200) acked.add(n);
      if (!killed && acked.size >= 120) {
        killed = true;
        a.proc.kill(9);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  await a.proc.exited;
  running.splice(running.indexOf(a), 1);
  expect(killed).toBe(true);

  // Right after the crash: nothing either instance acknowledged is missing.
  const stored = storedCounts();
  expect([...acked].flatMap(midsOf).filter((mid) => !stored.has(mid))).toEqual([]);

  // Meta redelivers everything without a 200, and (at least once) some with one, to the survivor.
  const again = await Promise.all(batches.map((events, n) => (acked.has(n) && n % 3 !== 0 ? 200 : deliver(b, events))));
  const refused = again.flatMap((s, n) => (s === 200 ? [] : [{ batch: n, status: s }]));
  if (refused.length) console.error(`redeliveries the survivor did not take: ${JSON.stringify(refused.slice(0, 10))}\n${b.logs().split("\n").filter((l) => /"level":"(warn|error)"/.test(l)).slice(-20).join("\n")}`);
  expect(refused).toEqual([]);
  const after = storedCounts();
  expect(after.size).toBe(batches.flat().length);
  expect([...after.values()].filter((n) => n !== 1)).toEqual([]);
}, 180_000);

test("the same delivery reaching both instances at the same moment is stored once", async () => {
  const [c] = running.length ? running : [await instance()];
  const d = await instance();
  const events = Array.from({ length: 5 }, (_, k) => customerMessage(page.pageId, psidOf(6000 + k), `Giao cùng lúc ${k}`));
  const statuses = await Promise.all([deliver(c, events), deliver(d, events), deliver(c, events), deliver(d, events)]);
  expect(statuses).toEqual([200, 200, 200, 200]);
  const counts = storedCounts();
  for (const e of events) expect(counts.get((e.message as { mid: string }).mid)).toBe(1);
}, 60_000);

test("a Page connected through one instance is taken by the other at once: its first delivery there is stored, not refused", async () => {
  // Neither instance re-reads the channels on its own in this story (the check is ten minutes away).
  const slow = { PANO_LEADER_CHECK_MS: "600000" };
  const [e, f] = [await instance(slow), await instance(slow)];
  const other = { pageId: String(200_000_000_000_000 + Math.floor(Math.random() * 1e9)), appSecret: randomBytes(16).toString("hex") };
  const otherSim = await startFacebookSim({ ...other, pageToken: "EAAG-other", echoes: false });
  try {
    await e.json("/api/v1/channels", {
      method: "POST",
      json: { type: "facebook", name: "Shop mới", config: { page_id: other.pageId, page_access_token: "EAAG-other", app_secret: other.appSecret, verify_token: "verify-other-page" } },
    });
    const events = [customerMessage(other.pageId, psidOf(7000), "Shop mới mở ạ? Cho em hỏi giá")];
    const { raw, headers } = otherSim.prepare([{ pageId: other.pageId, events }]);
    const r = await fetch(`${f.url}/webhooks/facebook`, { method: "POST", headers, body: raw });
    expect(r.status).toBe(200);
    expect(storedCounts().get((events[0].message as { mid: string }).mid)).toBe(1);
  } finally {
    await otherSim.stop();
  }
}, 60_000);
