// Customers' messages are indexed for search on a thread of their own, a moment after they are
// stored: a shop's burst is answered by the main thread without the full-text index in its way,
// and search still finds every message, once each, even after Pano is killed mid-backlog.
import { afterAll, expect, test } from "bun:test";
import { startPano, searchCaughtUp, openDatabaseOf, sqliteStory, type PanoProcess } from "./support/pano.ts";

const running: PanoProcess[] = [];
afterAll(async () => {
  for (const p of running) await p.stop().catch(() => {});
});

const metric = async (p: PanoProcess, name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(await (await fetch(`${p.url}/metrics`)).text())?.[1] ?? NaN);

async function burst(p: PanoProcess, channel: string, from: number, n: number) {
  const lanes = Array.from({ length: 8 }, async (_, lane) => {
    for (let i = from + lane; i < from + n; i += 8) {
      const r = await p.api(`/api/v1/channels/${channel}/inbound`, {
        method: "POST",
        json: { external_contact_id: `kh-${i % 40}`, contact_name: `Khách ${i % 40}`, external_message_id: `m-${i}`, text: `Đơn hàng mã donso${i} giao chưa ạ?` },
      });
      expect(r.status).toBe(202);
    }
  });
  await Promise.all(lanes);
}

const found = async (p: PanoProcess, word: string) => ((await p.json(`/api/v1/search?q=${word}`)).data as { message_id?: string }[]).filter((h) => h.message_id);

sqliteStory("a burst of 400 customers' messages is acknowledged, then found by search once the thread has indexed it", async () => {
  const pano = await startPano();
  running.push(pano);
  const channel = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Web" } })).id;
  await burst(pano, channel, 0, 400);
  await searchCaughtUp(pano);
  expect(await metric(pano, "pano_search_backlog")).toBe(0);
  // The messages were indexed by the thread, not by the writer that stored them.
  expect(await metric(pano, "pano_search_indexed")).toBeGreaterThanOrEqual(400);
  for (const i of [0, 199, 399]) expect(await found(pano, `donso${i}`)).toHaveLength(1);
  // An agent's reply is found at once, as before: it is indexed with the reply itself.
  const conv = (await pano.json(`/api/v1/conversations?status=all`)).data[0].id;
  await pano.json(`/api/v1/conversations/${conv}/messages`, { method: "POST", json: { text: "Dạ mã vandon777 của anh/chị ạ" } });
  expect(await found(pano, "vandon777")).toHaveLength(1);
});

sqliteStory("killed while the thread is behind, Pano indexes the rest after the restart: every message found, none twice", async () => {
  // A thread that looks only once a minute: the whole burst is still waiting when Pano is killed.
  const first = await startPano({ env: { PANO_SEARCH_INDEX_MS: "60000" } });
  const channel = (await first.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Web" } })).id;
  await burst(first, channel, 0, 600);
  expect(await metric(first, "pano_search_backlog")).toBeGreaterThan(0);
  await first.kill();
  const again = await startPano({ dataDir: first.dataDir });
  running.push(again);
  await searchCaughtUp(again);
  await burst(again, channel, 600, 50);
  await searchCaughtUp(again);
  for (const i of [0, 300, 599, 600, 649]) expect(await found(again, `donso${i}`)).toHaveLength(1);
  const db = openDatabaseOf(again.dataDir);
  try {
    const { messages, indexed } = db.query<{ messages: number; indexed: number }, []>(
      "SELECT (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM message_search) AS indexed",
    ).get()!;
    expect(messages).toBe(650);
    expect(indexed).toBe(650);
  } finally {
    db.close();
  }
});

sqliteStory("an integration posts a customer's message and searches for it at once: it is found, though the thread has not looked yet", async () => {
  // The thread looks once a minute; the search itself indexes what little waits first.
  const pano = await startPano({ env: { PANO_SEARCH_INDEX_MS: "60000" } });
  running.push(pano);
  const channel = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Web" } })).id;
  await burst(pano, channel, 0, 30);
  expect(await metric(pano, "pano_search_backlog")).toBeGreaterThan(0);
  expect(await found(pano, "donso29")).toHaveLength(1);
  expect(await metric(pano, "pano_search_backlog")).toBe(0);
  // The inbox's own search box (the list's q) reads the same index.
  await burst(pano, channel, 30, 1);
  const listed = await pano.json(`/api/v1/conversations?status=all&q=donso30`);
  expect(listed.data).toHaveLength(1);
});
