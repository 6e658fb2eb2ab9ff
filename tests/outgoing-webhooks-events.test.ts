// Stories of a shop's CRM that registers an outgoing webhook: every event it subscribed to reaches
// it signed with its secret, carrying the resource exactly as the REST API shows it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { startWebhookReceiver, verifySignature, type Delivery } from "./support/webhook-receiver.ts";
import { pbxSender } from "./sim/pbx.ts";

const SECRET = "bi-mat-cua-crm-cua-hang-hoa-mai";
const ALL = ["conversation.created", "conversation.updated", "message.created", "message.updated", "contact.updated", "call.ended"];
let pano: PanoProcess;
let rx: ReturnType<typeof startWebhookReceiver>;
let webhookId: string;
let apiChannel: string;

beforeAll(async () => {
  pano = await startPano();
  rx = startWebhookReceiver({ secret: SECRET });
  const w = await pano.json("/api/v1/webhooks", { method: "POST", json: { url: rx.url, events: ALL, secret: SECRET } });
  webhookId = w.id;
  apiChannel = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
});
afterAll(async () => {
  await pano?.stop();
  rx?.stop();
});

const inbound = (contact: string, text: string) =>
  pano.json(`/api/v1/channels/${apiChannel}/inbound`, { method: "POST", json: { external_contact_id: contact, contact_name: "Chị Lan", external_message_id: `m-${Math.random()}`, text } });

/** The envelope interface.md promises, its id in X-Pano-Delivery. */
function expectEnvelope(d: Delivery, event: string) {
  expect(d.verified).toBe(true);
  expect(d.body.event).toBe(event);
  expect(d.headers.get("x-pano-delivery")).toBe(d.body.id);
  expect(d.headers.get("content-type")).toContain("application/json");
  expect(Number.isNaN(Date.parse(d.body.created_at))).toBe(false);
}

test("a new customer's message tells the CRM of the new conversation, then of the message, each as the API shows it", async () => {
  const ids = await inbound("kh-lan", "Shop ơi, đơn hàng #1001 giao chưa ạ?");
  const created = await rx.waitFor((d) => d.body.event === "conversation.created" && d.body.data.id === ids.conversation_id, "conversation.created");
  const message = await rx.waitFor((d) => d.body.event === "message.created" && d.body.data.id === ids.message_id, "message.created");
  expectEnvelope(created, "conversation.created");
  expectEnvelope(message, "message.created");
  expect(message.body.data).toEqual(await findMessage(ids.conversation_id, ids.message_id));
  expect(created.body.data).toMatchObject({ id: ids.conversation_id, channel_id: apiChannel, contact_id: ids.contact_id, status: "open" });
  // The conversation is told before its first message (one resource's deliveries keep their order).
  expect(rx.deliveries.indexOf(created)).toBeLessThan(rx.deliveries.indexOf(message));
  expect(message.body.data).toMatchObject({ direction: "in", text: "Shop ơi, đơn hàng #1001 giao chưa ạ?", author: { type: "contact" } });
});

async function findMessage(conversationId: string, messageId: string) {
  const page = await pano.json(`/api/v1/conversations/${conversationId}/messages?limit=100`);
  return page.data.find((m: any) => m.id === messageId);
}

test("an agent's reply is message.created while queued, then message.updated once sent", async () => {
  const ids = await inbound("kh-lan", "Cho mình hỏi giá áo dài");
  const reply = await pano.json(`/api/v1/conversations/${ids.conversation_id}/messages`, { method: "POST", json: { text: "Dạ áo dài giá 850.000đ ạ" } });
  const created = await rx.waitFor((d) => d.body.event === "message.created" && d.body.data.id === reply.id, "the reply's message.created");
  expect(created.body.data).toMatchObject({ direction: "out", text: "Dạ áo dài giá 850.000đ ạ", status: "queued", author: { type: "user" } });
  const sent = await rx.waitFor((d) => d.body.event === "message.updated" && d.body.data.id === reply.id && d.body.data.status === "sent", "the reply's message.updated (sent)");
  expectEnvelope(sent, "message.updated");
  expect(sent.body.data).toEqual(await findMessage(ids.conversation_id, reply.id));
});

test("resolving and assigning a conversation is conversation.updated naming what changed", async () => {
  const ids = await inbound("kh-minh", "Mình muốn đổi size");
  await rx.waitFor((d) => d.body.event === "conversation.created" && d.body.data.id === ids.conversation_id, "conversation.created");
  await pano.json(`/api/v1/conversations/${ids.conversation_id}`, { method: "PATCH", json: { status: "resolved", priority: "high", labels: ["doi-size"] } });
  const updated = await rx.waitFor((d) => d.body.event === "conversation.updated" && d.body.data.id === ids.conversation_id && d.body.data.status === "resolved", "conversation.updated");
  expectEnvelope(updated, "conversation.updated");
  expect(updated.body.changes.sort()).toEqual(["labels", "priority", "status"]);
  expect(updated.body.data).toEqual(await pano.json(`/api/v1/conversations/${ids.conversation_id}`));
});

test("editing a customer's profile is contact.updated with the profile as the API shows it", async () => {
  const ids = await inbound("kh-tuan", "Chào shop");
  await pano.json(`/api/v1/contacts/${ids.contact_id}`, { method: "PATCH", json: { name: "Anh Tuấn", email: "tuan@example.vn" } });
  const d = await rx.waitFor((x) => x.body.event === "contact.updated" && x.body.data.id === ids.contact_id && x.body.data.name === "Anh Tuấn", "contact.updated");
  expectEnvelope(d, "contact.updated");
  expect(d.body.data).toEqual(await pano.json(`/api/v1/contacts/${ids.contact_id}`));
});

test("a phone call that ends is call.ended once, with the call as the API's timeline shows it", async () => {
  const SHOP = "842873000111";
  await pano.json("/api/v1/channels", { method: "POST", json: { type: "phone", name: "Tổng đài", config: { provider: "generic", numbers: [SHOP], signing_secret: "khoa-ky-tong-dai-0123456789abcdef", webhook_token: "tong-dai-token-webhooks-01" } } });
  const pbx = pbxSender(`${pano.url}/webhooks/phone/tong-dai-token-webhooks-01/events`, "khoa-ky-tong-dai-0123456789abcdef");
  const t = (s: number) => new Date(Date.UTC(2026, 4, 4, 3, 0, s)).toISOString();
  const base = { call_id: "crm-call-1", direction: "inbound" as const, from: "0912345678", to: SHOP, started_at: t(0) };
  await pbx.post({ ...base, status: "ringing" });
  await pbx.post({ ...base, status: "answered", agent: "an@shop.vn", answered_at: t(6) });
  await pbx.post({ ...base, status: "ended", agent: "an@shop.vn", answered_at: t(6), ended_at: t(126), duration_s: 120 });
  // The provider says it again: still one call.ended.
  await pbx.post({ ...base, status: "ended", agent: "an@shop.vn", answered_at: t(6), ended_at: t(126), duration_s: 120 });
  const ended = await rx.waitFor((d) => d.body.event === "call.ended", "call.ended");
  expectEnvelope(ended, "call.ended");
  expect(ended.body.data).toMatchObject({ kind: "call", direction: "in", call: { direction: "in", status: "answered", duration_s: 120, answered_by: "an@shop.vn" } });
  expect(ended.body.data).toEqual(await findMessage(ended.body.data.conversation_id, ended.body.data.id));
  // A later, unrelated event has come through after it: nothing more about this call was on its way.
  const later = await inbound("kh-sau-cuoc-goi", "Tin sau cuộc gọi");
  await rx.waitFor((d) => d.body.event === "message.created" && d.body.data.id === later.message_id, "a later message");
  expect(rx.deliveries.filter((d) => d.body.event === "call.ended")).toHaveLength(1);
});

test("an endpoint hears only the events it subscribed to, and the API lists each delivery with the answer it got", async () => {
  const rx2 = startWebhookReceiver({ secret: "chi-nghe-hoi-thoai-moi" });
  try {
    const w = await pano.json("/api/v1/webhooks", { method: "POST", json: { url: rx2.url, events: ["conversation.created"], secret: "chi-nghe-hoi-thoai-moi" } });
    const ids = await inbound(`kh-${Math.random()}`, "Khách mới");
    await rx2.waitFor((d) => d.body.data.id === ids.conversation_id, "conversation.created on the second endpoint");
    // The first endpoint got the message of the same batch: the second one would have by now too.
    await rx.waitFor((d) => d.body.event === "message.created" && d.body.data.id === ids.message_id, "message.created on the first endpoint");
    expect(rx2.deliveries.map((d) => d.body.event)).toEqual(["conversation.created"]);
    const list = await eventuallyDelivered(w.id);
    expect(list.data[0]).toMatchObject({ id: rx2.deliveries[0].id, event: "conversation.created", status: "delivered", attempts: 1, response_status: 200, response_body: "ok" });
    expect(list.data[0].duration_ms).toBeGreaterThanOrEqual(0);
    expect(list.data[0].payload).toEqual(rx2.deliveries[0].body);
    // Paged like every list: the first endpoint's deliveries one at a time, newest first.
    const page1 = await pano.json(`/api/v1/webhooks/${webhookId}/deliveries?limit=1`);
    const page2 = await pano.json(`/api/v1/webhooks/${webhookId}/deliveries?limit=1&cursor=${page1.next_cursor}`);
    expect(page1.data).toHaveLength(1);
    expect(page2.data).toHaveLength(1);
    expect(Date.parse(page2.data[0].created_at)).toBeLessThanOrEqual(Date.parse(page1.data[0].created_at));
    expect(page2.data[0].id).not.toBe(page1.data[0].id);
  } finally {
    rx2.stop();
  }
});

async function eventuallyDelivered(id: string) {
  const { eventually } = await import("./support/pano.ts");
  return eventually(async () => {
    const list = await pano.json(`/api/v1/webhooks/${id}/deliveries`);
    return list.data[0]?.status === "delivered" && list;
  }, 10_000, "the delivery to be listed as delivered");
}

test("the webhook as the API shows it never carries its secret", async () => {
  const w = await pano.json(`/api/v1/webhooks/${webhookId}`);
  expect(w).toMatchObject({ id: webhookId, url: rx.url, events: ALL, active: true, status: "active" });
  expect(JSON.stringify(w)).not.toContain(SECRET);
  expect(JSON.stringify(await pano.json("/api/v1/webhooks"))).not.toContain(SECRET);
});

test("an admin's test event (ping) arrives signed like any other and is listed with its answer", async () => {
  const r = await pano.api(`/api/v1/webhooks/${webhookId}/ping`, { method: "POST" });
  expect(r.status).toBe(202);
  const queued = await r.json();
  expect(queued).toMatchObject({ event: "ping", status: "pending" });
  const got = await rx.waitFor((d) => d.id === queued.id, "the ping");
  expectEnvelope(got, "ping");
  expect(got.body.data).toEqual({ webhook_id: webhookId });
});

test("after the secret is rotated, deliveries are signed with the new one and no longer check out under the old", async () => {
  const rx3 = startWebhookReceiver({ secret: "khoa-cu-0001" });
  try {
    const w = await pano.json("/api/v1/webhooks", { method: "POST", json: { url: rx3.url, events: ["message.created"], secret: "khoa-cu-0001" } });
    const before = await inbound("kh-xoay-khoa", "Trước khi đổi khoá");
    await rx3.waitFor((d) => d.body.data.id === before.message_id, "a delivery under the old secret");
    await pano.json(`/api/v1/webhooks/${w.id}`, { method: "PATCH", json: { secret: "khoa-moi-0002" } });
    rx3.setSecret("khoa-moi-0002");
    const after = await inbound("kh-xoay-khoa", "Sau khi đổi khoá");
    const d = await rx3.waitFor((x) => x.body.data.id === after.message_id, "a delivery under the new secret");
    expect(verifySignature(d.raw, d.headers.get("x-pano-signature"), "khoa-cu-0001")).toBe(false);
    // A body changed on the way does not check out either.
    expect(verifySignature(d.raw.replace("Sau khi", "Truoc khi"), d.headers.get("x-pano-signature"), "khoa-moi-0002")).toBe(false);
  } finally {
    rx3.stop();
  }
});
