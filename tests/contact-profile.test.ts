// Stories of one customer writing on several channels and ending up on one profile.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, type PanoProcess } from "./support/pano.ts";

let pano: PanoProcess;
let shopA: string;
let shopB: string;
beforeAll(async () => {
  pano = await startPano();
  shopA = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
  shopB = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Ứng dụng" } })).id;
});
afterAll(async () => {
  await pano.stop();
});

const inbound = (ch: string, body: Record<string, unknown>) => pano.json(`/api/v1/channels/${ch}/inbound`, { method: "POST", json: body });

test("the same phone number on two channels is one customer with both conversations", async () => {
  const a = await inbound(shopA, { external_contact_id: "web-77", contact_name: "Lê Hoàng Nam", external_message_id: "w1", text: "Tôi đặt hàng trên web", phone: "0903 123 456" });
  const b = await inbound(shopB, { external_contact_id: "app-12", external_message_id: "a1", text: "Đơn của tôi sao rồi?", phone: "+84903123456" });
  expect(b.contact_id).toBe(a.contact_id);
  expect(b.conversation_id).not.toBe(a.conversation_id);
  const contact = await pano.json(`/api/v1/contacts/${a.contact_id}`);
  expect(contact.identities.map((i: any) => i.channel_id).sort()).toEqual([shopA, shopB].sort());
  expect(contact.conversation_ids.sort()).toEqual([a.conversation_id, b.conversation_id].sort());
});

test("an agent merges two profiles of one person and keeps all their history", async () => {
  const x = await inbound(shopA, { external_contact_id: "web-88", contact_name: "Chị Hạnh", external_message_id: "x1", text: "Cho chị hỏi size" });
  const y = await inbound(shopB, { external_contact_id: "app-99", external_message_id: "y1", text: "Chị Hạnh đây", email: "hanh@example.vn" });
  expect(y.contact_id).not.toBe(x.contact_id);
  const merged = await pano.json(`/api/v1/contacts/${x.contact_id}/merge`, { method: "POST", json: { other_id: y.contact_id } });
  expect(merged.name).toBe("Chị Hạnh");
  expect(merged.email).toBe("hanh@example.vn");
  expect(merged.conversation_ids.sort()).toEqual([x.conversation_id, y.conversation_id].sort());
  expect((await pano.json(`/api/v1/conversations/${y.conversation_id}`)).contact_id).toBe(x.contact_id);
  // The next message from the merged identity lands on the surviving profile.
  const z = await inbound(shopB, { external_contact_id: "app-99", external_message_id: "y2", text: "Còn hàng không em?" });
  expect(z.contact_id).toBe(x.contact_id);
});

test("an agent edits a contact's details and attributes", async () => {
  const x = await inbound(shopA, { external_contact_id: "web-5", external_message_id: "e1", text: "Alo" });
  const c = await pano.json(`/api/v1/contacts/${x.contact_id}`, { method: "PATCH", json: { name: "Phạm Thu Trang", attributes: { tier: "VIP", city: "Đà Nẵng" } } });
  expect(c).toMatchObject({ name: "Phạm Thu Trang", attributes: { tier: "VIP", city: "Đà Nẵng" } });
  const found = await pano.json(`/api/v1/contacts?q=${encodeURIComponent("pham thu trang")}`);
  expect(found.data.map((d: any) => d.id)).toContain(x.contact_id);
});
