// What the shop's SMS number accepts: only deliveries the phone signed, recently; a redelivery of
// the same delivery is stored once, while two texts that merely look alike (the gateway's messageId
// comes from the text, so they share it) are two messages.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { PanoProcess } from "./support/pano.ts";
import { startGatewayStory, smsThread, type GatewayStory } from "./support/sms.ts";

let story: GatewayStory;
let pano: PanoProcess;
let gw: GatewayStory["gw"];
let channel: GatewayStory["channel"];
const now = () => Math.floor(Date.now() / 1000);
const received = (phoneNumber: string, message: string) =>
  gw.build("sms:received", { messageId: "a1b2c3", message, phoneNumber, simNumber: 1, receivedAt: new Date().toISOString() }, "wh-1");

beforeAll(async () => {
  story = await startGatewayStory();
  ({ pano, gw, channel } = story);
}, 60_000);
afterAll(() => story?.stop());

describe("SMS gateway webhooks", () => {
  test("a delivery signed with another key is refused with 401 and nothing is stored", async () => {
    const r = await gw.postSigned(channel.eventsUrl, received("+84911000001", "Giả mạo"), now(), "khoa-cua-ke-gia-mao-000000000000");
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).error.code).toBe("bad_signature");
    expect((await smsThread(pano, "0911000001", channel.id)).contact).toBeNull();
  });

  test("a body changed after signing, or no signature at all, is refused", async () => {
    const body = received("+84911000002", "Nội dung gốc");
    const at = now();
    const good = await fetch(channel.eventsUrl, { method: "POST", headers: { "content-type": "application/json", "x-timestamp": String(at), "x-signature": "0".repeat(64) }, body });
    expect(good.status).toBe(401);
    const unsigned = await fetch(channel.eventsUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(unsigned.status).toBe(401);
    expect((await smsThread(pano, "0911000002", channel.id)).contact).toBeNull();
  });

  test("a delivery signed ten minutes ago (a replay) or ten minutes ahead is refused as stale", async () => {
    for (const at of [now() - 600, now() + 600]) {
      const r = await gw.postSigned(channel.eventsUrl, received("+84911000003", "Gửi lại sau"), at);
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body).error.code).toBe("stale_timestamp");
    }
    expect((await smsThread(pano, "0911000003", channel.id)).contact).toBeNull();
  });

  test("the phone's retry of the same delivery is stored once", async () => {
    const { body, answers } = await gw.receive("+84911000004", "Shop ơi còn hàng không?");
    expect(answers[0].status).toBe(200);
    const again = await gw.redeliver(channel.eventsUrl, body);
    expect(again.status).toBe(200);
    const again2 = await gw.redeliver(channel.eventsUrl, body);
    expect(again2.status).toBe(200);
    const thread = await smsThread(pano, "0911000004", channel.id);
    expect(thread.messages.map((m) => m.text)).toEqual(["Shop ơi còn hàng không?"]);
  });

  test("two texts with the same words (so the same gateway messageId) are two messages", async () => {
    await gw.receive("+84911000005", "OK");
    await gw.receive("+84911000005", "OK");
    const thread = await smsThread(pano, "0911000005", channel.id);
    expect(thread.messages.map((m) => m.text)).toEqual(["OK", "OK"]);
  });

  test("an address with no SMS channel behind it is 404; a GET where the phone posts is 404", async () => {
    const body = received("+84911000006", "Lạc đường");
    const r = await gw.postSigned(channel.eventsUrl.replace(/sms\/[^/]+\/events/, "sms/khong-co-kenh-nao-0001/events"), body, now());
    expect(r.status).toBe(404);
    expect((await fetch(channel.eventsUrl)).status).toBe(404);
  });
});
