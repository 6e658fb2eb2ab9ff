// A two-way SMS conversation through an Android phone running SMS Gateway for Android: the
// customer's text lands on their profile, the agent's reply goes out through the phone, and the
// phone's reports (delivered, failed) become the reply's status.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eventually, type PanoProcess, ADMIN } from "./support/pano.ts";
import { startGatewayStory, messageOf, smsThread, type GatewayStory } from "./support/sms.ts";
import { signIn } from "./settings-session.ts";

let story: GatewayStory;
let pano: PanoProcess;
let gw: GatewayStory["gw"];
let channel: GatewayStory["channel"];

beforeAll(async () => {
  story = await startGatewayStory();
  ({ pano, gw, channel } = story);
}, 60_000);
afterAll(() => story?.stop());

describe("a customer texts the shop's SMS number", () => {
  test("saving the channel registered Pano's webhooks for the four SMS events at its own address", () => {
    const hooks = [...gw.webhooks.values()];
    expect(hooks.map((h) => h.event).sort()).toEqual(["sms:delivered", "sms:failed", "sms:received", "sms:sent"]);
    for (const h of hooks) expect(h.url).toBe(channel.eventsUrl);
    expect(channel.eventsUrl).toMatch(new RegExp(`^${pano.url}/webhooks/sms/[A-Za-z0-9_-]{16,64}/events$`));
  });

  test("the text opens a conversation on the customer's profile; the reply reaches their phone and shows delivered", async () => {
    const { answers } = await gw.receive("+84912345678", "Chào shop, đơn hàng DH1024 của em tới đâu rồi ạ?");
    expect(answers.map((a) => a.status)).toEqual([200]);
    const inbound = await smsThread(pano, "0912345678", channel.id);
    expect(inbound.contact.phone).toBe("0912345678");
    expect(inbound.contact.identities).toEqual([{ channel_id: channel.id, channel_type: "sms", external_id: "0912345678" }]);
    expect(inbound.messages.map((m) => [m.direction, m.text])).toEqual([["in", "Chào shop, đơn hàng DH1024 của em tới đâu rồi ạ?"]]);

    const reply = await pano.json(`/api/v1/conversations/${inbound.conversation.id}/messages`, { method: "POST", json: { text: "Đơn DH1024 đang giao, chiều nay tới ạ." } });
    const out = await eventually(() => gw.messages.find((m) => m.text === "Đơn DH1024 đang giao, chiều nay tới ạ."), 15_000, "the reply at the gateway");
    expect(out.phoneNumbers).toEqual(["+84912345678"]);
    expect(out.withDeliveryReport).toBe(true);
    const sent = await eventually(async () => {
      const m = await messageOf(pano, inbound.conversation.id, reply.id);
      return m.status === "sent" ? m : null;
    }, 15_000, "the reply to be sent");
    expect(sent.external_id).toBe(out.id);

    await gw.sent(out.id, "+84912345678");
    await gw.delivered(out.id, "+84912345678");
    const delivered = await eventually(async () => {
      const m = await messageOf(pano, inbound.conversation.id, reply.id);
      return m.status === "delivered" ? m : null;
    }, 15_000, "the reply to show delivered");
    expect(delivered.error).toBeUndefined();

    // The customer answers again: the same conversation, not a new one.
    await gw.receive("+84912345678", "Dạ em cảm ơn shop");
    const after = await smsThread(pano, "0912345678", channel.id);
    expect(after.conversation.id).toBe(inbound.conversation.id);
    expect(after.messages.filter((m) => m.direction === "in").map((m) => m.text)).toEqual(["Chào shop, đơn hàng DH1024 của em tới đâu rồi ạ?", "Dạ em cảm ơn shop"]);
  });

  test("a reply the phone could not send ends failed, and the agent reads why in Vietnamese", async () => {
    await gw.receive("0987654321", "Cho em hỏi giá áo size M");
    const thread = await smsThread(pano, "0987654321", channel.id);
    const reply = await pano.json(`/api/v1/conversations/${thread.conversation.id}/messages`, { method: "POST", json: { text: "Áo size M giá 250.000đ ạ" } });
    const out = await eventually(() => gw.messages.find((m) => m.text === "Áo size M giá 250.000đ ạ"), 15_000, "the reply at the gateway");
    expect(out.phoneNumbers).toEqual(["+84987654321"]);
    await eventually(async () => (await messageOf(pano, thread.conversation.id, reply.id)).status === "sent", 15_000, "sent");
    await gw.failed(out.id, "+84987654321", "RESULT_ERROR_NO_SERVICE");
    const failed = await eventually(async () => {
      const m = await messageOf(pano, thread.conversation.id, reply.id);
      return m.status === "failed" ? m : null;
    }, 15_000, "the reply to fail");
    expect(failed.error).toBe("The phone could not send the message: RESULT_ERROR_NO_SERVICE");
    const agent = await signIn(pano, ADMIN.email, ADMIN.password);
    const page = await agent.get(`/inbox?c=${thread.conversation.id}`);
    expect(page.html).toContain("Điện thoại không gửi được tin nhắn: RESULT_ERROR_NO_SERVICE");
  });

  test("a reply to a customer whose number is not a mobile one is refused before the gateway is asked", async () => {
    await gw.receive("Viettel", "Quy khach da duoc cong 10.000d vao tai khoan");
    const before = gw.messages.length;
    const thread = await smsThread(pano, "Viettel", channel.id);
    expect(thread.messages.map((m) => m.text)).toEqual(["Quy khach da duoc cong 10.000d vao tai khoan"]);
    const reply = await pano.json(`/api/v1/conversations/${thread.conversation.id}/messages`, { method: "POST", json: { text: "Cảm ơn" } });
    const failed = await eventually(async () => {
      const m = await messageOf(pano, thread.conversation.id, reply.id);
      return m.status === "failed" ? m : null;
    }, 15_000, "the reply to be refused");
    expect(failed.error).toBe("Viettel is not a valid Vietnamese mobile number: no SMS sent.");
    expect(gw.messages.length).toBe(before);
  });

  test("an agent texts a customer first; the text leaves through the phone and the answer joins that conversation", async () => {
    const web = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });
    const order = await pano.json(`/api/v1/channels/${web.id}/inbound`, { method: "POST", json: { external_contact_id: "web-31", contact_name: "Trần Bảo", external_message_id: "o-31", text: "Đặt 1 bình giữ nhiệt", phone: "0977 111 222" } });
    const started = await pano.json("/api/v1/conversations", { method: "POST", json: { contact_id: order.contact_id, channel_id: channel.id, text: "Chào anh Bảo, shop xác nhận đơn bình giữ nhiệt, giao ngày mai ạ." } });
    expect(started.channel_id).toBe(channel.id);
    const out = await eventually(() => gw.messages.find((m) => m.text.startsWith("Chào anh Bảo")), 15_000, "the first text at the gateway");
    expect(out.phoneNumbers).toEqual(["+84977111222"]);
    await gw.receive("+84977111222", "Ok shop, anh cảm ơn");
    const thread = await smsThread(pano, "0977111222", channel.id);
    expect(thread.conversation.id).toBe(started.id);
    expect(String(thread.contact.id)).toBe(String(order.contact_id));
    expect(thread.messages.map((m) => [m.direction, m.text])).toEqual([["out", "Chào anh Bảo, shop xác nhận đơn bình giữ nhiệt, giao ngày mai ạ."], ["in", "Ok shop, anh cảm ơn"]]);
  });
});
