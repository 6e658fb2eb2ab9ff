// Stories of Messenger deliveries reaching Pano: Meta's handshake, signed batches, forgeries,
// redeliveries and every event kind, against a real Pano and the Facebook simulator.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { startFacebookStory, psidOf, type FacebookStory } from "./sim/facebook-pano.ts";
import { batchBody, customerMessage, postback, signatureHeaders, newMid } from "./sim/facebook.ts";

let s: FacebookStory;
beforeAll(async () => {
  s = await startFacebookStory();
});
afterAll(async () => {
  await s.stop();
});

const conversationsOnPage = async () => (await s.pano.json(`/api/v1/conversations?channel_id=${s.channelId}&status=all&limit=100`)).data as any[];
const webhook = (init: RequestInit = {}, query = "") => fetch(`${s.pano.url}/webhooks/facebook${query}`, init);

test("Meta's subscription handshake gets the challenge back only with the right verify token", async () => {
  const ok = await webhook({}, `?hub.mode=subscribe&hub.verify_token=${s.page.verifyToken}&hub.challenge=1158201444`);
  expect(ok.status).toBe(200);
  expect(await ok.text()).toBe("1158201444");
  const wrong = await webhook({}, `?hub.mode=subscribe&hub.verify_token=not-the-token&hub.challenge=1158201444`);
  expect(wrong.status).toBe(403);
  expect(await wrong.text()).not.toContain("1158201444");
});

test("a new customer's signed text opens a conversation, then their Messenger name and picture fill in", async () => {
  const psid = psidOf(1);
  s.sim.addProfile(psid, "Lan", "Nguyễn");
  const { mid, delivery } = await s.sim.customerSays(psid, "Shop ơi, áo dài size M còn màu đỏ không ạ?");
  expect(delivery.status).toBe(200);
  const { conversationId, contactId } = await s.conversationOf(psid);
  const [m] = await s.messages(conversationId);
  expect(m).toMatchObject({ direction: "in", text: "Shop ơi, áo dài size M còn màu đỏ không ạ?", external_id: mid, status: "received", author: { type: "contact" } });
  const contact = await eventually(async () => {
    const c = await s.pano.json(`/api/v1/contacts/${contactId}`);
    return c.name ? c : null;
  }, 5000, "the profile name");
  expect(contact.name).toBe("Lan Nguyễn");
  expect(contact.avatar_url).toBe(s.sim.fileUrl("ao-dai.png"));
  // The profile was asked for with the Page token, after the message was stored.
  const lookup = s.sim.requests.find((r) => r.method === "GET" && r.path.endsWith(`/${psid}`));
  expect(lookup?.query.fields).toBe("first_name,last_name,profile_pic");
  expect(lookup?.query.access_token).toBe(s.page.pageToken);
});

test("unsigned and wrongly signed deliveries are refused with 401, counted, and nothing is stored", async () => {
  const before = (await conversationsOnPage()).length;
  const psid = psidOf(2);
  const missing = await s.sim.deliver([{ pageId: s.page.pageId, events: [customerMessage(s.page.pageId, psid, "giả mạo 1")] }], { signature: "missing" });
  const wrong = await s.sim.deliver([{ pageId: s.page.pageId, events: [customerMessage(s.page.pageId, psid, "giả mạo 2")] }], { signature: "wrong" });
  // Signed correctly, then one byte changed after signing.
  const raw = batchBody([{ pageId: s.page.pageId, events: [customerMessage(s.page.pageId, psid, "giả mạo 3")] }]);
  const tampered = await webhook({ method: "POST", headers: { "content-type": "application/json", ...signatureHeaders(raw, s.page.appSecret) }, body: raw.replace("giả mạo 3", "giả mạo 4") });
  expect([missing.status, wrong.status, tampered.status]).toEqual([401, 401, 401]);
  expect(JSON.parse(missing.answer).error.code).toBe("unauthorized");
  expect((await conversationsOnPage()).length).toBe(before);
  const metrics = await (await fetch(`${s.pano.url}/metrics`)).text();
  const line = metrics.split("\n").find((l) => l.startsWith("pano_webhook_rejected_total") && l.includes('channel="facebook"') && l.includes('reason="unauthorized"'));
  expect(Number(line?.split(" ").pop())).toBeGreaterThanOrEqual(3);
});

test("a signed body that is not JSON is answered 400", async () => {
  const raw = '{"object":"page","entry":[{"id":';
  const r = await webhook({ method: "POST", headers: { "content-type": "application/json", ...signatureHeaders(raw, s.page.appSecret) }, body: raw });
  expect(r.status).toBe(400);
  expect((await r.json()).error.code).toBe("bad_request");
});

test("an event for a Page Pano does not know is acknowledged, logged and not stored", async () => {
  const before = (await conversationsOnPage()).length;
  const stranger = "199999999999999";
  const d = await s.sim.deliver([{ pageId: stranger, events: [customerMessage(stranger, psidOf(3), "Page khác")] }]);
  expect(d.status).toBe(200);
  expect((await conversationsOnPage()).length).toBe(before);
  await eventually(() => s.pano.logs().includes("webhook for unknown channel") && s.pano.logs().includes(stranger), 3000, "the log line");
});

test("one delivery batching two Pages and several customers stores every message in the right Page", async () => {
  const second = { pageId: String(Number(s.page.pageId) + 1) };
  const ch2 = await s.pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "facebook", name: "Shop Hoa Mai Hà Nội", config: { page_id: second.pageId, page_access_token: s.page.pageToken, app_secret: s.page.appSecret, verify_token: `${s.page.verifyToken}-2` } },
  });
  const a = [customerMessage(s.page.pageId, psidOf(10), "một"), customerMessage(s.page.pageId, psidOf(11), "hai"), customerMessage(s.page.pageId, psidOf(10), "ba")];
  const b = [customerMessage(second.pageId, psidOf(12), "bốn"), customerMessage(second.pageId, psidOf(13), "năm")];
  const d = await s.sim.deliver([{ pageId: s.page.pageId, events: a }, { pageId: second.pageId, events: b }]);
  expect(d.status).toBe(200);
  const conv10 = (await s.conversationOf(psidOf(10))).conversationId;
  expect((await s.messages(conv10)).map((m) => m.text)).toEqual(["một", "ba"]);
  const onSecond = (await s.pano.json(`/api/v1/conversations?channel_id=${ch2.id}&status=all`)).data;
  expect(onSecond).toHaveLength(2);
  const texts = (await Promise.all(onSecond.map((c: any) => s.messages(c.id)))).flat().map((m: any) => m.text).sort();
  expect(texts).toEqual(["bốn", "năm"]);
});

test("a redelivered batch (same bytes, Meta did not see our 200) stores nothing new", async () => {
  const psid = psidOf(20);
  const events = [customerMessage(s.page.pageId, psid, "Đơn #1024 của mình đâu rồi?"), customerMessage(s.page.pageId, psid, "Shop trả lời giúp mình")];
  const first = await s.sim.deliver([{ pageId: s.page.pageId, events }]);
  const again = await s.sim.redeliver(first);
  const third = await s.sim.redeliver(first);
  expect([first.status, again.status, third.status]).toEqual([200, 200, 200]);
  const conv = (await s.conversationOf(psid)).conversationId;
  expect((await s.messages(conv)).map((m) => m.text)).toEqual(["Đơn #1024 của mình đâu rồi?", "Shop trả lời giúp mình"]);
});

test("quick replies, postbacks, replies-to, standby events and unknown kinds are all kept", async () => {
  const psid = psidOf(30);
  const first = customerMessage(s.page.pageId, psid, "Xem bảng size");
  const quoted = (first.message as { mid: string }).mid;
  const odd = { sender: { id: psid }, recipient: { id: s.page.pageId }, timestamp: Date.now() + 5, game_play: { game_id: "1", score: 3 } };
  const d = await s.sim.deliver([
    { pageId: s.page.pageId, events: [first, customerMessage(s.page.pageId, psid, "Size M", { quickReply: "SIZE_M", timestamp: Date.now() + 1 }), postback(s.page.pageId, psid, "Đặt hàng ngay", "ORDER_NOW", Date.now() + 2)] },
    { pageId: s.page.pageId, events: [customerMessage(s.page.pageId, psid, "Cái này nè", { replyTo: quoted, timestamp: Date.now() + 3 }), odd] },
    { pageId: s.page.pageId, standby: true, events: [customerMessage(s.page.pageId, psid, "Trong lúc bot giữ cuộc trò chuyện", { mid: newMid(), timestamp: Date.now() + 4 })] },
  ]);
  expect(d.status).toBe(200);
  const conv = (await s.conversationOf(psid)).conversationId;
  const list = await eventually(async () => {
    const l = await s.messages(conv);
    return l.length === 6 ? l : null;
  }, 3000, "six messages");
  expect(list.map((m) => m.text)).toEqual(["Xem bảng size", "Size M", "Đặt hàng ngay", "Cái này nè", "[Unsupported content]", "Trong lúc bot giữ cuộc trò chuyện"]);
  expect(list[4].unsupported).toBe(true);
});
