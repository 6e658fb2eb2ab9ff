// Stories of a program posting customer messages into Pano through an API channel.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPano, type PanoProcess } from "./support/pano.ts";

let pano: PanoProcess;
let channelId: string;

beforeAll(async () => {
  pano = await startPano();
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website chat" } });
  channelId = ch.id;
});
afterAll(async () => {
  await pano.stop();
});

const post = (body: unknown, init: RequestInit = {}) => pano.api(`/api/v1/channels/${channelId}/inbound`, { method: "POST", json: body, ...init });

describe("a customer writing through the API channel", () => {
  test("a new contact's first message opens a conversation on their profile", async () => {
    const r = await post({ external_contact_id: "kh-001", contact_name: "Trần Thị Bích", external_message_id: "msg-1", text: "Shop ơi, áo này còn size M không?", phone: "+84 912 345 678" });
    expect(r.status).toBe(202);
    const ids = await r.json();
    expect(ids.conversation_id).toBeString();
    const conv = await pano.json(`/api/v1/conversations/${ids.conversation_id}`);
    expect(conv.status).toBe("open");
    expect(conv.channel_id).toBe(channelId);
    const contact = await pano.json(`/api/v1/contacts/${ids.contact_id}`);
    expect(contact.name).toBe("Trần Thị Bích");
    expect(contact.phone).toBe("0912345678");
    expect(contact.identities).toEqual([{ channel_id: channelId, channel_type: "api", external_id: "kh-001" }]);
    const msgs = await pano.json(`/api/v1/conversations/${ids.conversation_id}/messages`);
    expect(msgs.data.map((m: any) => [m.direction, m.text, m.status])).toEqual([["in", "Shop ơi, áo này còn size M không?", "received"]]);
  });

  test("a redelivered message is stored once and answers with the original ids", async () => {
    const body = { external_contact_id: "kh-002", external_message_id: "dup-1", text: "Đơn hàng của tôi đâu rồi?" };
    const first = await post(body);
    const firstIds = await first.json();
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(firstIds);
    const msgs = await pano.json(`/api/v1/conversations/${firstIds.conversation_id}/messages`);
    expect(msgs.data).toHaveLength(1);
  });

  test("the customer's next message joins the same open conversation", async () => {
    const a = await (await post({ external_contact_id: "kh-003", external_message_id: "a1", text: "Chào shop" })).json();
    const b = await (await post({ external_contact_id: "kh-003", external_message_id: "a2", text: "Cho mình hỏi giá" })).json();
    expect(b.conversation_id).toBe(a.conversation_id);
    expect(b.contact_id).toBe(a.contact_id);
  });

  test("a message after the conversation was resolved reopens it", async () => {
    const a = await (await post({ external_contact_id: "kh-004", external_message_id: "r1", text: "Cảm ơn shop" })).json();
    await pano.json(`/api/v1/conversations/${a.conversation_id}`, { method: "PATCH", json: { status: "resolved" } });
    const b = await (await post({ external_contact_id: "kh-004", external_message_id: "r2", text: "À còn một việc nữa" })).json();
    expect(b.conversation_id).toBe(a.conversation_id);
    expect((await pano.json(`/api/v1/conversations/${a.conversation_id}`)).status).toBe("open");
  });

  test("contacts are found with or without Vietnamese diacritics", async () => {
    for (const q of ["Bích", "bich", "tran thi", "0912345678"]) {
      const r = await pano.json(`/api/v1/contacts?q=${encodeURIComponent(q)}`);
      expect(r.data.map((c: any) => c.name)).toContain("Trần Thị Bích");
    }
  });
});

describe("bad input gets a clear error and stores nothing", () => {
  test("malformed JSON is 400 with the error shape", async () => {
    const r = await pano.api(`/api/v1/channels/${channelId}/inbound`, { method: "POST", body: "{not json", headers: { "content-type": "application/json" } });
    expect(r.status).toBe(400);
    expect((await r.json()).error.code).toBe("invalid_json");
  });

  test("a missing field is 422 naming the field", async () => {
    const r = await post({ external_contact_id: "x", text: "no id" });
    expect(r.status).toBe(422);
    const body = await r.json();
    expect(body.error.message).toContain("external_message_id");
  });

  test("a body over 1 MB is 413", async () => {
    const r = await post({ external_contact_id: "x", external_message_id: "big", text: "a".repeat(1_100_000) });
    expect(r.status).toBe(413);
  });

  test("an unknown channel is 404 and a wrong token is 401", async () => {
    expect((await pano.api(`/api/v1/channels/9999/inbound`, { method: "POST", json: { external_contact_id: "x", external_message_id: "y", text: "z" } })).status).toBe(404);
    const r = await pano.api(`/api/v1/conversations`, { headers: { authorization: "Bearer pano_wrong" } });
    expect(r.status).toBe(401);
    expect((await r.json()).error.code).toBe("unauthorized");
  });

  test("invalid PATCH values are 422 naming the field", async () => {
    const list = await pano.json("/api/v1/conversations");
    const r = await pano.api(`/api/v1/conversations/${list.data[0].id}`, { method: "PATCH", json: { priority: "sky-high" } });
    expect(r.status).toBe(422);
    expect((await r.json()).error.message).toContain("priority");
  });
});
