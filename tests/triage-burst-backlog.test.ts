// A sale: customers write faster than triage classifies (it takes a small share of the process
// while messages pour in and catches up afterwards). Past 1,000 messages waiting, a waiting
// message keeps only its ids in memory and its text is read back from the database when triage
// gets to it; every customer still ends up with the intent of their own words.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { customerSays } from "./support/agents.ts";

let pano: PanoProcess;
let channelId: string;

beforeAll(async () => {
  pano = await startPano();
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Flash sale page" } })).id;
});
afterAll(async () => {
  await pano.stop();
});

const TEXTS = [
  "Đơn hàng của tôi 5 ngày rồi chưa nhận được, tôi đã chuyển khoản rồi, giải quyết gấp giúp tôi",
  "shop ơi áo này còn màu đen size L không",
  "lừa đảo! tôi mất tiền rồi, không hoàn tiền ngay tôi báo công an",
  "cảm ơn shop nhé",
];

/** How many conversations the inbox lists with this intent (every page). */
async function listedWith(intent: string): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const page: { data: unknown[]; next_cursor: string | null } = await pano.json(`/api/v1/conversations?intent=${intent}&limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    n += page.data.length;
    cursor = page.next_cursor;
  } while (cursor);
  return n;
}

test("2,500 customers writing at once are each triaged with the intent of their own words", async () => {
  const intents: string[] = [];
  for (const text of TEXTS) intents.push((await pano.json("/api/v1/triage", { method: "POST", json: { text } })).intent);
  const customers = 2500;
  const expected = new Map<string, number>();
  for (let i = 0; i < customers; i++) expected.set(intents[i % TEXTS.length], (expected.get(intents[i % TEXTS.length]) ?? 0) + 1);

  // 32 senders at once: messages arrive faster than triage, busy yielding to them, classifies.
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let i = next++; i < customers; i = next++) await customerSays(pano, channelId, `kh-sale-${i}`, TEXTS[i % TEXTS.length]);
    }),
  );

  for (const [intent, n] of expected) {
    await eventually(async () => (await listedWith(intent)) === n, 60_000, `${n} conversations triaged as ${intent}`);
  }
  expect(pano.logs()).not.toContain("triage write failed");
});
