// Stories of an agent's reply leaving Pano through the outbox to an API channel's callback.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { startReceiver } from "./support/receiver.ts";
import { pendingSends } from "./support/outbox.ts";

let pano: PanoProcess;
beforeAll(async () => {
  pano = await startPano({ env: { PANO_RETRY_BASE_MS: "50" } });
});
afterAll(async () => {
  await pano.stop();
});

async function conversationOn(callbackUrl: string, secret = "bi-mat") {
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: `cb ${Math.random()}`, config: { callback_url: callbackUrl, callback_secret: secret } } });
  const ids = await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "kh-1", external_message_id: `m-${Math.random()}`, text: "Xin chào" } });
  return ids.conversation_id as string;
}

const messageById = async (convId: string, id: string) => (await pano.json(`/api/v1/conversations/${convId}/messages`)).data.find((m: any) => m.id === id);

test("an agent's reply reaches the callback with a valid signature and ends sent", async () => {
  const rx = startReceiver();
  const conv = await conversationOn(rx.url);
  const reply = await pano.json(`/api/v1/conversations/${conv}/messages`, { method: "POST", json: { text: "Dạ shop chào anh/chị ạ" } });
  expect(reply.status).toBe("queued");
  const m = await eventually(async () => (await messageById(conv, reply.id))?.status === "sent" && messageById(conv, reply.id), 5000, "sent");
  expect(m.status).toBe("sent");
  expect(rx.received).toHaveLength(1);
  const got = rx.received[0];
  expect(got.headers.get("x-pano-signature")).toBe("sha256=" + createHmac("sha256", "bi-mat").update(got.body).digest("hex"));
  expect(got.json).toMatchObject({ event: "message.created", message_id: reply.id, conversation_id: conv, external_contact_id: "kh-1", text: "Dạ shop chào anh/chị ạ", private: false });
  rx.stop();
});

test("a callback failing three times then succeeding ends sent after retries", async () => {
  const rx = startReceiver({ failTimes: 3 });
  const conv = await conversationOn(rx.url);
  const reply = await pano.json(`/api/v1/conversations/${conv}/messages`, { method: "POST", json: { text: "Đơn của anh đã được gửi đi" } });
  await eventually(async () => (await messageById(conv, reply.id))?.status === "sent", 10_000, "sent after retries");
  expect(rx.received).toHaveLength(4);
  rx.stop();
});

test("a 4xx from the callback ends failed with its status (the body it answered is not shown)", async () => {
  const rx = startReceiver({ status: 422 });
  const conv = await conversationOn(rx.url);
  const reply = await pano.json(`/api/v1/conversations/${conv}/messages`, { method: "POST", json: { text: "Xin lỗi anh" } });
  const m = await eventually(async () => {
    const m = await messageById(conv, reply.id);
    return m?.status === "failed" && m;
  }, 5000, "failed");
  expect(m.error).toContain("422");
  expect(m.error).not.toContain("recipient blocked");
  expect(rx.received).toHaveLength(1);
  rx.stop();
});

test("a private note is stored for agents and never sent", async () => {
  const rx = startReceiver();
  const conv = await conversationOn(rx.url);
  const note = await pano.json(`/api/v1/conversations/${conv}/messages`, { method: "POST", json: { text: "Khách VIP, ưu tiên", private: true } });
  expect(note.private).toBe(true);
  expect(pendingSends(pano, note.id)).toBe(0); // the reply and its outbox row are one write: none came
  // A reply after it is delivered; the conversation's replies go out in order, so the note would have come first.
  await pano.json(`/api/v1/conversations/${conv}/messages`, { method: "POST", json: { text: "Dạ shop đã nhận ạ" } });
  await eventually(() => rx.received.length > 0, 5000, "the reply after the note delivered");
  expect(rx.received.map((r) => r.json.text)).toEqual(["Dạ shop đã nhận ạ"]);
  expect((await messageById(conv, note.id)).private).toBe(true);
  rx.stop();
});
