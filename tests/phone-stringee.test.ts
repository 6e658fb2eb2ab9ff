// Stories of a Stringee switchboard: its call events become call items on the caller's profile,
// and its answer URL connects a caller to the agent who owns their open conversation.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { addAgent, addTeam, type Agent } from "./support/agents.ts";
import { stringeeEvents } from "./sim/stringee.ts";

const SHOP = "842873000001";
const TOKEN = "tong-dai-stringee-token-0001";
let pano: PanoProcess;
let channelId: string;
let apiChannel: string;
let teamId: string;
let an: Agent;
let binh: Agent;
const events = () => stringeeEvents(`${pano.url}/webhooks/phone/${TOKEN}/events`);
const answer = (from: string) => fetch(`${pano.url}/webhooks/phone/${TOKEN}/answer?from=${from}&to=${SHOP}&uuid=890ccbe2-f9a6-11e7-be7b-b7890f26c79d&fromInternal=false`);

beforeAll(async () => {
  pano = await startPano();
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "phone", name: "Stringee", config: { provider: "stringee", numbers: [SHOP], api_key_sid: "SKsim", api_key_secret: "bi-mat-stringee", webhook_token: TOKEN, fallback_number: "84909000000" } } });
  channelId = ch.id;
  apiChannel = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Đơn hàng" } })).id;
  teamId = await addTeam(pano, "CSKH", "manual");
  an = await addAgent(pano, "an@shop.vn", [teamId]);
  binh = await addAgent(pano, "binh@shop.vn", [teamId]);
});
afterAll(async () => {
  an.goOffline();
  binh.goOffline();
  await pano.stop();
});

async function customerWithConversation(ext: string, phone: string, assignee: Agent | null) {
  const r = await (await pano.api(`/api/v1/channels/${apiChannel}/inbound`, { method: "POST", json: { external_contact_id: ext, external_message_id: `${ext}-1`, text: "Shop ơi", phone } })).json();
  await pano.json(`/api/v1/conversations/${r.conversation_id}`, { method: "PATCH", json: { team_id: teamId, ...(assignee ? { assignee_id: assignee.id } : {}) } });
  return r;
}

describe("Stringee's answer URL", () => {
  test("a caller whose open conversation belongs to an online agent is connected to that agent first, within 2 s", async () => {
    await customerWithConversation("kh-s1", "0912111001", binh);
    await an.goOnline();
    await binh.goOnline();
    const started = performance.now();
    const r = await answer("84912111001");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(r.status).toBe(200);
    const scco = await r.json();
    expect(scco[0]).toMatchObject({ action: "connect", from: { type: "external", number: "84912111001" }, to: { type: "internal", number: "binh@shop.vn" } });
    expect(scco.map((a: any) => a.to?.number)).toEqual(["binh@shop.vn", "an@shop.vn", "84909000000"]);
  });

  test("when the owner is offline the team's online agents ring, then the fallback", async () => {
    binh.goOffline();
    await Bun.sleep(100);
    const scco = await (await answer("84912111001")).json();
    expect(scco.map((a: any) => a.to?.number)).toEqual(["an@shop.vn", "84909000000"]);
  });

  test("an unknown caller goes to the fallback; an unknown token is 404", async () => {
    const scco = await (await answer("84988777666")).json();
    expect(scco).toEqual([expect.objectContaining({ action: "connect", to: expect.objectContaining({ type: "external", number: "84909000000" }) })]);
    expect((await fetch(`${pano.url}/webhooks/phone/khong-co-token-nay-0000/answer?from=1&to=2`)).status).toBe(404);
  });
});

describe("Stringee's call events", () => {
  test("an inbound call's events (ended before answered, redelivered) make one answered call on the caller's profile", async () => {
    const ev = events();
    const caller = { number: "84912111002", type: "external" as const };
    const shop = { number: SHOP, type: "external" as const };
    const t0 = Date.UTC(2026, 4, 4, 3, 0, 0);
    expect((await ev.post("call-vn-1-A", "created", caller, shop, {}, t0)).status).toBe(200);
    await ev.post("call-vn-1-A", "ended", caller, shop, { duration: 75, answerDuration: 65, endCallCause: "NORMAL_CLEARING", endedBy: "EXTERNAL" }, t0 + 75_000);
    await ev.post("call-vn-1-A", "answered", caller, shop, {}, t0 + 10_000);
    await ev.post("call-vn-1-A", "answered", caller, shop, {}, t0 + 10_000);
    await ev.post("call-vn-1-A", "agentEnded", caller, shop, {}, t0 + 75_000);
    const contact = (await pano.json(`/api/v1/contacts?q=0912111002`)).data[0];
    expect(contact.phone).toBe("0912111002");
    const full = await pano.json(`/api/v1/contacts/${contact.id}`);
    const msgs = (await pano.json(`/api/v1/conversations/${full.conversation_ids[0]}/messages`)).data;
    expect(msgs).toHaveLength(1);
    expect(msgs[0].kind).toBe("call");
    expect(msgs[0].call).toMatchObject({ direction: "in", status: "answered", duration_s: 65, ring_s: 10, end_cause: "NORMAL_CLEARING" });
  });

  test("a call nobody answered is missed and waits as call back; the same customer's chat is on the same profile", async () => {
    const chat = await customerWithConversation("kh-s3", "0912111003", null);
    const ev = events();
    const caller = { number: "84912111003", type: "external" as const };
    const shop = { number: SHOP, type: "external" as const };
    await ev.post("call-vn-1-B", "ringing", caller, shop);
    await ev.post("call-vn-1-B", "ended", caller, shop, { duration: 30, answerDuration: 0, endCallCause: "NO_ANSWER", endedBy: "EXTERNAL" });
    const full = await pano.json(`/api/v1/contacts/${chat.contact_id}`);
    expect(full.identities.map((i: any) => i.channel_type).sort()).toEqual(["api", "phone"]);
    const convs = await Promise.all(full.conversation_ids.map((id: string) => pano.json(`/api/v1/conversations/${id}`)));
    const phoneConv = convs.find((c: any) => c.channel_id === channelId);
    expect(phoneConv.labels).toContain("call-back");
    const msgs = (await pano.json(`/api/v1/conversations/${phoneConv.id}/messages`)).data;
    expect(msgs.map((m: any) => m.call.status)).toEqual(["missed"]);
  });

  test("events for another project's numbers are acknowledged and not stored", async () => {
    const r = await events().post("call-vn-1-C", "ended", { number: "84912111004", type: "external" }, { number: "842899999999", type: "external" });
    expect(r.status).toBe(200);
    expect((await pano.json(`/api/v1/contacts?q=0912111004`)).data).toHaveLength(0);
  });
});
