// With PANO_INGEST_THREAD=on, at a sales peak the webhooks' writes run on a thread of their own
// while agents keep working on the main one: every acknowledged message is stored once, every
// reply goes out, and the live inbox, outgoing webhooks and counters hear of messages whichever
// thread wrote them.
import { afterEach, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { eventually, sqliteStory, tempDir } from "./support/pano.ts";
import { startFacebookStory, psidOf, type FacebookStory } from "./sim/facebook-pano.ts";
import { customerMessage } from "./sim/facebook.ts";

let story: FacebookStory | undefined;
afterEach(async () => {
  await story?.stop();
  story = undefined;
});

const metric = async (url: string, name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? NaN);

async function peak(s: FacebookStory, deliveries: number, concurrency: number) {
  let next = 0;
  const statuses: number[] = [];
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < deliveries) {
      const i = next++;
      const d = await s.sim.deliver([{ pageId: s.page.pageId, events: [customerMessage(s.page.pageId, psidOf(2000 + (i % 150)), `Đơn flash sale #${i}: shop xác nhận giúp em`, { timestamp: Date.now() })] }]);
      statuses.push(d.status);
    }
  }));
  return statuses;
}

sqliteStory("a flood of signed Messenger deliveries is written by the ingest thread while an agent replies: all stored once, all replies sent", async () => {
  const dataDir = tempDir();
  story = await startFacebookStory({ echoes: false, dataDir, env: { PANO_INGEST_THREAD: "on" } });
  const s = story;
  // A customer already talking to the shop, whom an agent answers during the peak.
  await s.customerWroteAgo(psidOf(1), 1000, "Shop ơi, áo size M còn không?");
  const { conversationId } = await s.conversationOf(psidOf(1));
  // An outgoing webhook subscribed to new messages hears of those the ingest thread writes.
  const heard: string[] = [];
  const receiver = Bun.serve({ port: 0, async fetch(req) { heard.push((await req.json()).event); return new Response("ok"); } });
  try {
    await s.pano.json("/api/v1/webhooks", { method: "POST", json: { url: `http://127.0.0.1:${receiver.port}/hook`, events: ["message.created"], secret: "bi-mat-cua-shop-hoa-mai-2026" } });
    const replies = Promise.all(Array.from({ length: 20 }, (_, i) => s.reply(conversationId, `Dạ còn ạ, mẫu ${i}`)));
    const statuses = await peak(s, 1500, 48);
    await replies;
    expect(statuses.filter((x) => x !== 200)).toEqual([]);
    expect(await metric(s.pano.url, "pano_ingest_thread_batches")).toBeGreaterThan(0);
    // Every reply was stored on the main thread between the thread's batches, and sent.
    await eventually(() => s.sendsTo(psidOf(1)).length === 20, 20_000, "the 20 replies to reach Messenger");
    // Counters and the outgoing webhook heard of the thread's messages as of the main writer's.
    await eventually(async () => (await metric(s.pano.url, 'pano_messages_in_total\\{channel="facebook",channel_id="' + s.channelId + '"\\}')) === 1501, 10_000, "every message counted");
    await eventually(() => heard.filter((e) => e === "message.created").length >= 1500, 30_000, "the webhook to hear of every message");
    const db = new Database(join(dataDir, "pano.db"), { readonly: true });
    const row = db.query<{ n: number; distinct_ids: number }, []>("SELECT count(*) AS n, count(DISTINCT external_id) AS distinct_ids FROM messages WHERE direction = 'in'").get()!;
    db.close();
    expect(row).toEqual({ n: 1501, distinct_ids: 1501 });
  } finally {
    receiver.stop(true);
  }
}, 180_000);

test("by default (PANO_INGEST_THREAD off) the same deliveries are written on the main thread", async () => {
  story = await startFacebookStory({ echoes: false });
  const statuses = await peak(story, 300, 16);
  expect(statuses.filter((x) => x !== 200)).toEqual([]);
  expect(await metric(story.pano.url, "pano_ingest_thread_batches")).toBe(0);
  expect(await metric(story.pano.url, "pano_writer_jobs")).toBeGreaterThanOrEqual(300);
}, 120_000);

test("an ingest thread that fails hands the writes it holds, and all later ones, to the main writer: nothing is lost", async () => {
  const { openStore, flushWalOffThread } = await import("../src/store/db.ts");
  const { Writer } = await import("../src/store/writer.ts");
  const { WriteLock } = await import("../src/store/write-lock.ts");
  const { IngestThread } = await import("../src/pipeline/ingest-thread.ts");
  const { ingestOnMain } = await import("../src/pipeline/ingest.ts");
  const store = openStore(tempDir());
  store.sqlite.run("INSERT INTO channels (id, type, name, config_enc, created_at) VALUES (1, 'api', 'Website', '', 0)");
  const lock = new WriteLock();
  const heard: string[] = [];
  const writer = new Writer(store.sqlite, { windowMs: 2, max: 500, afterCommit: (e) => heard.push(...e.map((x) => x.type)), walSync: flushWalOffThread(store, "FULL"), lock });
  const logged: string[] = [];
  // The thread is pointed at a database it cannot open: it dies at its first message.
  const thread = IngestThread.start(
    { path: join(tempDir(), "missing", "pano.db"), lock, synchronous: "FULL", cacheMb: 8, windowMs: 2, max: 500 },
    { afterCommit: (e) => heard.push(...e.map((x) => x.type)), fallback: ingestOnMain(writer), log: (msg) => logged.push(msg) },
  )!;
  const message = (i: number) => ({ kind: "message" as const, channelId: 1, externalMessageId: `m-${i}`, direction: "in" as const, contact: { externalId: `kh-${i % 3}` }, text: `Tin ${i}`, attachments: [], occurredAt: new Date() });
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => thread.submit([message(i)], new Map())));
  expect(results.every(([r]) => r.messageId !== null && !r.duplicate)).toBe(true);
  // Later writes go straight to the main writer.
  const [later] = await thread.submit([message(99)], new Map());
  expect(later.messageId).not.toBeNull();
  expect(logged).toContain("ingest thread failed; ingest writes on the main thread from now on");
  expect(store.sqlite.query<{ n: number }, []>("SELECT count(*) AS n FROM messages").get()!.n).toBe(21);
  expect(heard.filter((t) => t === "message.created")).toHaveLength(21);
  // The main writer still takes its turns: the dead thread left nothing held.
  expect(lock.tryTake()).toBe(true);
  lock.release();
  await thread.stop();
  writer.close();
});
