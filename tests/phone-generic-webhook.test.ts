// Stories of a generic PBX posting signed call events: each call is one timeline item on the
// caller's profile, whatever order and however often the events arrive.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { pbxSender } from "./sim/pbx.ts";
import { addAgent } from "./support/agents.ts";

const SHOP = "842873000000";
const SECRET = "khoa-ky-webhook-tong-dai-0123456789";
const TOKEN = "tong-dai-generic-token-0001";
let pano: PanoProcess;
let channelId: string;
let pbx: ReturnType<typeof pbxSender>;

beforeAll(async () => {
  pano = await startPano();
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "phone", name: "Tổng đài cửa hàng", config: { provider: "generic", numbers: [SHOP], signing_secret: SECRET, webhook_token: TOKEN } } });
  channelId = ch.id;
  pbx = pbxSender(`${pano.url}/webhooks/phone/${TOKEN}/events`, SECRET);
});
afterAll(async () => {
  await pano.stop();
});

const t = (s: number) => new Date(Date.UTC(2026, 4, 4, 3, 0, s)).toISOString();

async function callItems(contactPhone: string) {
  const found = await pano.json(`/api/v1/contacts?q=${contactPhone}`);
  const contact = found.data[0];
  if (!contact) return { contact: null, conversation: null, calls: [] as any[] };
  const full = await pano.json(`/api/v1/contacts/${contact.id}`);
  const convs = await Promise.all(full.conversation_ids.map((id: string) => pano.json(`/api/v1/conversations/${id}`)));
  const conversation = convs.find((c: any) => c.channel_id === channelId) ?? null;
  const calls = conversation ? (await pano.json(`/api/v1/conversations/${conversation.id}/messages`)).data.filter((m: any) => m.kind === "call") : [];
  return { contact: full, conversation, calls };
}

describe("a generic PBX's calls", () => {
  test("an answered inbound call is one item: ringing, answered and ended merge, and the caller becomes a contact", async () => {
    const base = { call_id: "pbx-1", direction: "inbound" as const, from: "+84 912 000 111", to: SHOP, started_at: t(0) };
    expect((await pbx.post({ ...base, status: "ringing" })).status).toBe(200);
    expect((await pbx.post({ ...base, status: "answered", agent: "an@shop.vn", answered_at: t(8) })).status).toBe(200);
    expect((await pbx.post({ ...base, status: "ended", agent: "an@shop.vn", answered_at: t(8), ended_at: t(98), duration_s: 90, recording_url: "https://pbx.example/rec/pbx-1.mp3" })).status).toBe(200);
    const { contact, conversation, calls } = await callItems("0912000111");
    expect(contact.phone).toBe("0912000111");
    expect(contact.identities).toEqual([{ channel_id: channelId, channel_type: "phone", external_id: "0912000111" }]);
    expect(calls).toHaveLength(1);
    expect(calls[0].direction).toBe("in");
    expect(calls[0].call).toMatchObject({ direction: "in", status: "answered", duration_s: 90, answered_by: "an@shop.vn", recording_url: "https://pbx.example/rec/pbx-1.mp3", ring_s: 8 });
    expect(conversation.labels).not.toContain("call-back");
  });

  test("the agent who answered takes the call's conversation when nobody had it, and sees it; a missed call is nobody's", async () => {
    const binh = await addAgent(pano, "binh.tong-dai@shop.vn", []);
    const base = { call_id: "pbx-take", direction: "inbound" as const, from: "0912000777", to: SHOP, started_at: t(0) };
    await pbx.post({ ...base, status: "ringing" });
    await pbx.post({ ...base, status: "ended", agent: "binh.tong-dai@shop.vn", answered_at: t(4), ended_at: t(64), duration_s: 60 });
    const { conversation } = await callItems("0912000777");
    expect(conversation.assignee_id).toBe(binh.id);
    const seen = await pano.api(`/api/v1/conversations/${conversation.id}/messages`, { headers: { authorization: `Bearer ${binh.token}` } });
    expect(seen.status).toBe(200);
    expect((await seen.json()).data.filter((m: any) => m.kind === "call")).toHaveLength(1);

    await pbx.post({ call_id: "pbx-nobody", direction: "inbound", status: "missed", from: "0912000778", to: SHOP, started_at: t(0), ended_at: t(20) });
    expect((await callItems("0912000778")).conversation.assignee_id).toBeNull();
  });

  test("the API lists a call once it has an outcome: a call still ringing is not shown as answered, missed or failed", async () => {
    const base = { call_id: "pbx-ring", direction: "inbound" as const, from: "0912000999", to: SHOP, started_at: t(0) };
    await pbx.post({ ...base, status: "ringing" });
    const ringing = await callItems("0912000999");
    expect(ringing.conversation).not.toBeNull();
    expect(ringing.calls).toEqual([]);
    await pbx.post({ ...base, status: "answered", agent: "an@shop.vn", answered_at: t(5) });
    const answered = await callItems("0912000999");
    expect(answered.calls).toHaveLength(1);
    expect(answered.calls[0].call.status).toBe("answered");
    for (const c of [...ringing.calls, ...answered.calls]) expect(["answered", "missed", "failed"]).toContain(c.call.status);
  });

  test("redeliveries and an ended that arrives before its answered still give one consistent call", async () => {
    const base = { call_id: "pbx-2", direction: "inbound" as const, from: "0912000222", to: SHOP, started_at: t(0) };
    const ended = { ...base, status: "ended" as const, ended_at: t(70), duration_s: 60 };
    await pbx.post(ended);
    await pbx.post(ended);
    await pbx.post({ ...base, status: "answered", answered_at: t(10), agent: "binh@shop.vn" });
    await pbx.post({ ...base, status: "ringing" });
    const { calls, conversation } = await callItems("0912000222");
    expect(calls).toHaveLength(1);
    expect(calls[0].call).toMatchObject({ status: "answered", duration_s: 60, answered_by: "binh@shop.vn", answered_at: t(10), ended_at: t(70) });
    expect(conversation.labels).not.toContain("call-back");
  });

  test("a missed inbound call reopens the caller's conversation in the queue marked call back; calling back clears it", async () => {
    // An existing customer (known by their phone through another channel) calls.
    const api = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Đơn hàng" } });
    const first = await (await pano.api(`/api/v1/channels/${api.id}/inbound`, { method: "POST", json: { external_contact_id: "kh-333", contact_name: "Lê Văn Cường", external_message_id: "m-333", text: "Cho hỏi đơn hàng", phone: "0912 000 333" } })).json();
    const base = { call_id: "pbx-3", direction: "inbound" as const, from: "84912000333", to: SHOP, started_at: t(0) };
    await pbx.post({ ...base, status: "ringing" });
    await pbx.post({ ...base, status: "missed", ended_at: t(30) });
    const { contact, conversation, calls } = await callItems("0912000333");
    expect(contact.id).toBe(first.contact_id);
    expect(contact.name).toBe("Lê Văn Cường");
    expect(calls).toHaveLength(1);
    expect(calls[0].call).toMatchObject({ status: "missed", duration_s: 0, answered_by: null });
    expect(conversation.status).toBe("open");
    expect(conversation.labels).toContain("call-back");
    const queue = await pano.json(`/api/v1/conversations?status=open`);
    expect(queue.data.map((c: any) => c.id)).toContain(conversation.id);

    // Resolved, then the agent calls back and the customer answers: nothing waits any more.
    await pano.json(`/api/v1/conversations/${conversation.id}`, { method: "PATCH", json: { status: "resolved" } });
    const back = { call_id: "pbx-4", direction: "outbound" as const, from: SHOP, to: "0912000333", agent: "an@shop.vn", started_at: t(100) };
    await pbx.post({ ...back, status: "answered", answered_at: t(105) });
    const after = await callItems("0912000333");
    expect(after.calls.map((c: any) => c.call.status)).toEqual(["missed", "answered"]);
    expect(after.conversation.id).toBe(conversation.id);
    expect(after.conversation.labels).not.toContain("call-back");
  });

  test("a bad signature is 401 and stores nothing; an unknown shop number is acknowledged, logged, not stored", async () => {
    const forged = { call_id: "pbx-5", direction: "inbound" as const, status: "missed" as const, from: "0912000555", to: SHOP, started_at: t(0) };
    expect((await pbx.post(forged, { signWith: "not-the-secret-at-all-0000" })).status).toBe(401);
    expect((await callItems("0912000555")).contact).toBeNull();
    const elsewhere = { ...forged, call_id: "pbx-6", to: "842899999999" };
    expect((await pbx.post(elsewhere)).status).toBe(200);
    expect((await callItems("0912000555")).contact).toBeNull();
    expect(pano.logs()).toContain("842899999999");
  });

  test("an unknown webhook token is 404", async () => {
    const other = pbxSender(`${pano.url}/webhooks/phone/khong-co-token-nay-0000/events`, SECRET);
    expect((await other.post({ call_id: "x", direction: "inbound", status: "ringing", from: "0912000666", to: SHOP, started_at: t(0) })).status).toBe(404);
  });
});
