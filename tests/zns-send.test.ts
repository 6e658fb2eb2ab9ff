// Stories of ZNS on the Zalo channel, through the API: the OA's templates are synced and kept; a
// customer who chatted on Zalo and went quiet for 8 days gets a ZNS on the same profile and the
// same conversation, params filled from the profile; Zalo reports it received; each failure ends
// the message failed with a reason in Vietnamese and English; an expired token is refreshed once;
// a send retried after a lost answer is not sent twice; admins see the quota and the failures.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";
import { attachZns, type ZnsSim } from "./sim/zalo-zns.ts";

const DAY = 24 * 3600_000;
let w: ZaloWorld;
let zns: ZnsSim;

beforeAll(async () => {
  // ZNS is served on the Zalo simulator's port (PANO_ZALO_ZNS_URL = its URL).
  w = await startZaloWorld();
  zns = attachZns(w.sim, { dailyQuota: 500 });
}, 60_000);
afterAll(async () => await w?.stop());

/** A Zalo customer who shared their phone with the OA and last wrote `ago` ms before now. */
async function quietCustomer(name: string, phone: string, ago: number, text = "Shop ơi, đơn của em khi nào giao ạ?") {
  const user = w.sim.addUser(undefined, { display_name: name, phone });
  await w.sim.deliver({ ...w.sim.events.userText(user, text), timestamp: String(Date.now() - ago) });
  const conv = await w.conversationOf(user);
  const contact = await eventually(async () => {
    const c = await w.contactOf(user);
    return c?.phone ? c : null;
  }, 8000, "the contact's phone from the Zalo profile");
  return { user, conv, contact };
}

const send = (body: Record<string, unknown>) => w.pano.api("/api/v1/conversations", { method: "POST", json: body });
const settled = (convId: string, id: string, statuses: string[]) =>
  eventually(async () => {
    const m = (await w.messagesOf(convId)).find((x: any) => x.id === id);
    return m && statuses.includes(m.status) ? m : null;
  }, 15_000, `message ${id} to be ${statuses.join("/")}`);

describe("templates", () => {
  test("an admin syncs the OA's templates; each keeps its params' rules and its approval status", async () => {
    const r = await w.pano.json(`/api/v1/channels/${w.channelId}/templates/sync`, { method: "POST" });
    expect(r.count).toBe(3);
    const list = (await w.pano.json(`/api/v1/channels/${w.channelId}/templates`)).data;
    const order = list.find((t: any) => t.id === "231001");
    expect(order).toMatchObject({ name: "Xác nhận đơn hàng", status: "ENABLE", usable: true, price: "200" });
    expect(order.params).toEqual([
      { name: "customer_name", type: "text", required: true, max_length: 30, min_length: 0 },
      { name: "order_code", type: "text", required: true, max_length: 30, min_length: 0 },
      { name: "total", type: "number", required: false, max_length: 20, min_length: 0 },
    ]);
    expect(list.find((t: any) => t.id === "231003")).toMatchObject({ status: "PENDING_REVIEW", usable: false });
    // Pano asked Zalo with the channel's token, at the ZNS base.
    const calls = w.sim.requests.filter((q) => q.path.startsWith("/template/"));
    expect(calls.every((q) => q.headers.access_token)).toBe(true);
    expect(calls.some((q) => q.path === "/template/info/v2" && q.query.template_id === "231002")).toBe(true);
  });
});

describe("a customer quiet for 8 days", () => {
  test("gets a ZNS on the same profile and conversation, params from the profile, and Zalo says it was received", async () => {
    const { conv, contact } = await quietCustomer("Nguyễn Thị Lan", "0912345678", 8 * DAY);
    zns.addAccount("0912345678");
    await w.pano.json(`/api/v1/contacts/${contact.id}`, { method: "PATCH", json: { attributes: { order_code: "DH2024-118" } } });
    const reach = (await w.pano.json(`/api/v1/conversations/reach?contact_id=${contact.id}`)).data.find((r: any) => r.channel_id === w.channelId);
    expect(reach).toMatchObject({ can_start: true, form: "template" });
    // Text is refused (the window is closed); a template is not. Its params come from the profile when not given.
    expect((await send({ contact_id: contact.id, channel_id: w.channelId, text: "Chào chị" })).status).toBe(422);
    const r = await send({ contact_id: contact.id, channel_id: w.channelId, template_id: "231001", template_data: { total: 850000 } });
    expect(r.status).toBe(202);
    const started = await r.json();
    expect(started.id).toBe(conv.id);
    expect(started.message.template).toMatchObject({ id: "231001", name: "Xác nhận đơn hàng", data: { customer_name: "Nguyễn Thị Lan", order_code: "DH2024-118", total: "850000" } });
    const sent = await settled(conv.id, started.message.id, ["sent", "delivered"]);
    const call = zns.sendCalls().at(-1)!;
    expect(call.body).toEqual({ phone: "84912345678", template_id: "231001", template_data: { customer_name: "Nguyễn Thị Lan", order_code: "DH2024-118", total: "850000" }, tracking_id: `pano-${started.message.id}` });
    expect(sent.external_id).toBe(zns.sent.at(-1)!.msg_id);
    expect(sent.template.quota).toEqual({ daily: 500, remaining: 499 });
    // Zalo's webhook: the phone received it.
    const d = await zns.delivered(sent.external_id);
    expect(d.status).toBe(200);
    const received = await settled(conv.id, started.message.id, ["delivered"]);
    expect(received.text).toContain("Xác nhận đơn hàng");
    // Admins see what is left today.
    const usage = (await w.pano.json(`/api/v1/channels/${w.channelId}/usage`)).data;
    const quota = usage.find((u: any) => u.label === "zns.usage.quota").value as string;
    expect(quota).toStartWith("499/500");
    // When, in Vietnam time (UTC+7) as the shop reads it, not the stored UTC instant.
    const [, hh, mm, dd, mo, yyyy] = /^499\/500 \((\d{2}):(\d{2}) (\d{2})\/(\d{2})\/(\d{4})\)$/.exec(quota)!.map(Number);
    expect(Math.abs(Date.UTC(yyyy, mo - 1, dd, hh - 7, mm) - Date.now())).toBeLessThan(5 * 60_000);
  });
});

describe("failures end the message failed, with the reason in both languages", () => {
  const cases: [string, number, string, string][] = [
    ["invalid phone", -108, "Số điện thoại không hợp lệ", "phone number is invalid"],
    ["no Zalo account", -118, "không có tài khoản Zalo", "has no Zalo account"],
    ["template not approved", -131, "chưa được Zalo duyệt", "not approved"],
    ["params invalid", -112, "không hợp lệ", "template data is invalid"],
    ["quota", -144, "hết hạn mức ZNS", "daily ZNS quota"],
  ];
  for (const [what, code, vi, en] of cases) {
    test(`${what} (${code})`, async () => {
      const phone = `09${String(Math.abs(code)).padStart(8, "7")}`;
      const { conv, contact } = await quietCustomer(`Khách ${what}`, phone, 9 * DAY);
      zns.addAccount(phone);
      zns.failNext(code);
      const r = await send({ contact_id: contact.id, channel_id: w.channelId, template_id: "231002", template_data: { ticket_note: "Shop đã đổi size giúp chị" } });
      expect(r.status).toBe(202);
      const m = await settled(conv.id, (await r.json()).message.id, ["failed"]);
      expect(m.error).toContain(en);
      expect(m.error).toContain(String(code));
      expect(m.error_vi).toContain(vi);
    });
  }

  test("checked before Zalo is called: a param too long, a template not approved, a phone that is not Vietnamese", async () => {
    const { contact } = await quietCustomer("Khách kiểm tra", "0933222111", 9 * DAY);
    const before = zns.sendCalls().length;
    const long = await send({ contact_id: contact.id, channel_id: w.channelId, template_id: "231002", template_data: { ticket_note: "x".repeat(101) } });
    expect(long.status).toBe(422);
    expect((await long.json()).error).toMatchObject({ code: "params_invalid", message: expect.stringContaining("ticket_note") });
    const pending = await send({ contact_id: contact.id, channel_id: w.channelId, template_id: "231003" });
    expect((await pending.json()).error.code).toBe("template_not_approved");
    await w.pano.json(`/api/v1/contacts/${contact.id}`, { method: "PATCH", json: { phone: "12345" } });
    const bad = await send({ contact_id: contact.id, channel_id: w.channelId, template_id: "231002", template_data: { ticket_note: "ok" } });
    expect(bad.status).toBe(422);
    expect(zns.sendCalls().length).toBe(before);
    // The admin sees recent failures on the channel.
    const usage = (await w.pano.json(`/api/v1/channels/${w.channelId}/usage`)).data;
    expect(usage.filter((u: any) => u.label === "zns.usage.failure").length).toBeGreaterThan(0);
  });
});

describe("token and retries", () => {
  test("an expired token is refreshed once, then the ZNS goes", async () => {
    const { conv, contact } = await quietCustomer("Khách token", "0977000111", 10 * DAY);
    zns.addAccount("0977000111");
    const refreshesBefore = w.sim.requests.filter((q) => q.path === "/v4/oa/access_token").length;
    w.sim.tokens.expireAll();
    const r = await send({ contact_id: contact.id, channel_id: w.channelId, template_id: "231002", template_data: { ticket_note: "Đơn đã giao" } });
    const m = await settled(conv.id, (await r.json()).message.id, ["sent", "failed"]);
    expect(m.status).toBe("sent");
    expect(w.sim.requests.filter((q) => q.path === "/v4/oa/access_token").length).toBe(refreshesBefore + 1);
    const calls = zns.sendCalls().slice(-2);
    expect(calls[0].headers.access_token).not.toBe(calls[1].headers.access_token);
  });

  test("a send whose answer was lost is retried with the same tracking_id and reaches the customer once", async () => {
    const { conv, contact } = await quietCustomer("Khách retry", "0966000222", 10 * DAY);
    const phone = zns.addAccount("0966000222");
    zns.dropAnswerNext(1);
    const r = await send({ contact_id: contact.id, channel_id: w.channelId, template_id: "231002", template_data: { ticket_note: "Shop hoàn tiền" } });
    const id = (await r.json()).message.id;
    const m = await settled(conv.id, id, ["sent"]);
    const calls = zns.sendCalls().filter((q) => (q.body as any)?.phone === phone);
    expect(calls.length).toBe(2);
    expect(new Set(calls.map((q) => (q.body as any).tracking_id))).toEqual(new Set([`pano-${id}`]));
    expect(zns.sent.filter((s) => s.phone === phone)).toHaveLength(1);
    expect(m.external_id).toBe(zns.sent.find((s) => s.phone === phone)!.msg_id);
  });
});
