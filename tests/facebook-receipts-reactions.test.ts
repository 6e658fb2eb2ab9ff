// Stories of what happens to a reply after it left: Messenger's delivery and read receipts move
// its status forward, and the customer's reaction shows on it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { startFacebookStory, psidOf, HOUR, type FacebookStory } from "./sim/facebook-pano.ts";
import { reaction } from "./sim/facebook.ts";

let s: FacebookStory;
beforeAll(async () => {
  s = await startFacebookStory();
});
afterAll(async () => {
  await s.stop();
});

async function twoSentReplies(psid: string) {
  const conv = await s.customerWroteAgo(psid, HOUR, "Cho mình hỏi phí ship");
  const a = await s.reply(conv, "Dạ phí ship nội thành 20k ạ");
  const first = await s.settled(conv, a.id, ["sent"]);
  const b = await s.reply(conv, "Đơn trên 500k được miễn phí ạ");
  const second = await s.settled(conv, b.id, ["sent"]);
  return { conv, first, second };
}

const statusOf = async (conv: string, id: string) => (await s.messages(conv)).find((m) => m.id === id)?.status;

test("a delivery receipt for one mid marks that reply delivered; a read watermark marks both read", async () => {
  const psid = psidOf(1);
  const { conv, first, second } = await twoSentReplies(psid);
  const d = await s.sim.receipts(psid, [first.external_id]);
  expect(d.status).toBe(200);
  await eventually(async () => (await statusOf(conv, first.id)) === "delivered", 3000, "delivered");
  expect(await statusOf(conv, second.id)).toBe("sent");
  await s.sim.receipts(psid, [second.external_id], { read: true });
  await eventually(async () => (await statusOf(conv, first.id)) === "read" && (await statusOf(conv, second.id)) === "read", 3000, "both read");
  // A late delivery receipt never moves a read message back.
  // Pano answers a webhook only once what it carried is committed, so the 200 is the signal.
  expect((await s.sim.receipts(psid, [first.external_id])).status).toBe(200);
  expect(await statusOf(conv, first.id)).toBe("read");
});

test("the customer's reaction shows on the reply, and goes away when they take it back", async () => {
  const psid = psidOf(2);
  const { conv, first } = await twoSentReplies(psid);
  const d = await s.sim.deliver([{ pageId: s.page.pageId, events: [reaction(s.page.pageId, psid, first.external_id, "❤️")] }]);
  expect(d.status).toBe(200);
  const reacted = await eventually(async () => (await s.messages(conv)).find((m) => m.id === first.id && m.reaction), 3000, "the reaction");
  expect(reacted.reaction).toBe("❤️");
  await s.sim.deliver([{ pageId: s.page.pageId, events: [reaction(s.page.pageId, psid, first.external_id, null)] }]);
  await eventually(async () => !(await s.messages(conv)).find((m) => m.id === first.id).reaction, 3000, "the reaction removed");
  // Reactions are not messages: the conversation still holds the customer's one and the two replies.
  expect(await s.messages(conv)).toHaveLength(3);
});
