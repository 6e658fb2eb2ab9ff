// Stories of the order replies leave in: many conversations send at once, yet each customer gets
// their replies in the order the agents wrote them, also when Zalo turns one away for a moment;
// and a channel whose provider hangs does not hold up the others.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";
import { OUTBOX_CONCURRENCY } from "../src/pipeline/outbox.ts";

let w: ZaloWorld;
beforeAll(async () => void (w = await startZaloWorld({ sim: { echoes: false } })));
afterAll(async () => await w?.stop());

async function conversationWith(name: string) {
  const user = w.sim.addUser(undefined, { display_name: name });
  await w.sim.userSays(user, "Shop ơi, đơn của em đến đâu rồi ạ?");
  return { user, conv: await w.conversationOf(user) };
}

const reply = (convId: string, text: string) => w.pano.json(`/api/v1/conversations/${convId}/messages`, { method: "POST", json: { text } });
const textsTo = (user: string) => w.sim.sent.filter((s) => s.user_id === user).map((s) => s.message.text);

test("50 customers answered at once each get their four replies in the order the agent wrote them", async () => {
  const people = await Promise.all(Array.from({ length: 50 }, (_, i) => conversationWith(`Khách ${i}`)));
  const lines = ["Dạ shop chào chị", "Đơn của chị đã đóng gói", "Shipper lấy hàng chiều nay", "Chị nhận trong 2 ngày ạ"];
  // Each agent writes in order; all conversations at the same time.
  await Promise.all(people.map(async (p) => {
    for (const line of lines) await reply(p.conv.id, line);
  }));
  await eventually(() => people.every((p) => textsTo(p.user).length === lines.length), 30_000, "every reply on Zalo");
  for (const p of people) expect(textsTo(p.user)).toEqual(lines);
});

test("a reply Zalo turns away for a moment (-32) is retried, and the customer's next reply waits for it instead of overtaking it", async () => {
  const { user, conv } = await conversationWith("Trần Minh Khoa");
  const before = w.sim.sendCalls().length;
  w.sim.failNext(-32, 1);
  const first = await reply(conv.id, "Dạ em kiểm tra đơn cho anh ngay");
  const second = await reply(conv.id, "Đơn của anh giao hôm nay ạ");
  await eventually(() => textsTo(user).length === 2, 15_000, "both replies on Zalo");
  expect(textsTo(user)).toEqual(["Dạ em kiểm tra đơn cho anh ngay", "Đơn của anh giao hôm nay ạ"]);
  // Zalo saw the first reply twice (refused, then taken) before it saw the second.
  const calls = w.sim.sendCalls().slice(before).filter((c: any) => c.body?.recipient?.user_id === user).map((c: any) => c.body.message.text);
  expect(calls).toEqual(["Dạ em kiểm tra đơn cho anh ngay", "Dạ em kiểm tra đơn cho anh ngay", "Đơn của anh giao hôm nay ạ"]);
  await eventually(async () => {
    const messages = await w.messagesOf(conv.id);
    return [first.id, second.id].every((id) => messages.find((m: any) => m.id === id)?.status === "sent");
  }, 10_000, "both replies marked sent");
});

test("a shop system whose callback never answers holds up its own replies, not a Zalo customer's", async () => {
  // An API channel's callback that takes every request and answers none until released.
  const waiting: (() => void)[] = [];
  const stuck = Bun.serve({ port: 0, fetch: () => new Promise<Response>((answer) => void waiting.push(() => answer(new Response("ok")))) });
  try {
    const ch = await w.pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Hệ thống cửa hàng", config: { callback_url: `http://127.0.0.1:${stuck.port}/cb`, callback_secret: "bi-mat" } } });
    // More conversations than one channel may send to at once.
    const convs = await Promise.all(Array.from({ length: 80 }, async (_, i) => (await w.pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: `kh-${i}`, external_message_id: `m-${i}`, text: "Xin chào" } })).conversation_id as string));
    await Promise.all(convs.map((c) => reply(c, "Dạ shop nhận được rồi ạ")));
    await eventually(() => waiting.length >= OUTBOX_CONCURRENCY, 15_000, "the callback holding as many replies as one channel may send at once");
    const { user, conv } = await conversationWith("Lê Thu Hà");
    await reply(conv.id, "Dạ áo của chị giao chiều nay ạ");
    await eventually(() => textsTo(user).length === 1, 10_000, "the Zalo reply out while the callback hangs");
    expect(waiting.length).toBe(OUTBOX_CONCURRENCY); // the stuck channel's other replies wait their turn
  } finally {
    for (const release of waiting.splice(0)) release();
    stuck.stop(true);
  }
});
