// Stories of a routing rule that confirms an order by ZNS: the shop's order system posts a message
// carrying order_code through the API channel; a rule that looks for order_code sends the order
// confirmation template to the customer's phone on Zalo, params filled from the customer and the
// message. Automatic sends respect quiet hours (21:00–08:00 Vietnam time unless the rule says
// otherwise): one due at night waits in the outbox until the morning; it is not dropped.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";
import { attachZns, type ZnsSim } from "./sim/zalo-zns.ts";
import { afterQuietHours } from "../src/domain/quiet-hours.ts";
import { esmsApi } from "./sim/esms.ts";
import { esmsChannel, esmsEnv, ESMS_KEYS } from "./support/sms.ts";
import { signIn } from "./settings-session.ts";
import { ADMIN } from "./support/pano.ts";

let w: ZaloWorld;
let zns: ZnsSim;
let api: string;
let esms: ReturnType<typeof esmsApi>;
/** The second rule's own quiet hours: from an hour ago to two hours from now, Vietnam time (fixed when the rules are made). */
let quiet: { start: string; end: string; timezone: string };

/** "HH:MM" in Vietnam, `deltaMin` minutes from now. */
const vnClock = (deltaMin: number) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(Date.now() + deltaMin * 60_000);

beforeAll(async () => {
  esms = esmsApi(ESMS_KEYS);
  w = await startZaloWorld({ env: esmsEnv(esms) });
  await esmsChannel(w.pano);
  zns = attachZns(w.sim);
  await w.pano.json(`/api/v1/channels/${w.channelId}/templates/sync`, { method: "POST" });
  api = (await w.pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Hệ thống đơn hàng" } })).id;
  const rule = (name: string, keyword: string, quiet: unknown) =>
    w.pano.json("/api/v1/routing-rules", {
      method: "POST",
      json: {
        name, conditions: { channel_ids: [api], message_fields: ["order_code"], keywords: [keyword], applies_to: "any_message" },
        actions: { send_zns: { template_id: "231001" }, labels: ["zns"], quiet_hours: quiet },
      },
    });
  await rule("Xác nhận đơn qua ZNS (gửi ngay)", "đã xác nhận", "ignore");
  await w.pano.json("/api/v1/routing-rules", {
    method: "POST",
    json: {
      name: "Báo giao hàng qua SMS", conditions: { channel_ids: [api], message_fields: ["order_code"], keywords: ["đang giao"], applies_to: "any_message" },
      actions: { send_sms: { text: "Shop Hoa Mai: don {order_code} cua {name} dang duoc giao." }, quiet_hours: "ignore" },
    },
  });
  // A shop whose quiet hours cover right now: the confirmation must wait until they end.
  quiet = { start: vnClock(-60), end: vnClock(120), timezone: "Asia/Ho_Chi_Minh" };
  await rule("Xác nhận đơn qua ZNS (giờ yên lặng)", "đặt lúc khuya", quiet);
}, 60_000);
afterAll(async () => {
  await w?.stop();
  esms?.stop();
});

const order = (ext: string, name: string, phone: string, text: string, code: string) =>
  w.pano.json(`/api/v1/channels/${api}/inbound`, { method: "POST", json: { external_contact_id: ext, contact_name: name, phone, external_message_id: `${ext}-${code}`, text, order_code: code } });

const zaloMessagesOf = async (contactId: string) => {
  const c = await w.pano.json(`/api/v1/contacts/${contactId}`);
  for (const id of c.conversation_ids) {
    const conv = await w.pano.json(`/api/v1/conversations/${id}`);
    if (conv.channel_id === w.channelId) return { conv, messages: await w.messagesOf(id) };
  }
  return null;
};

describe("a rule sends the order confirmation by ZNS", () => {
  test("a message carrying order_code: the ZNS goes to the customer's phone with the code and their name", async () => {
    const phone = zns.addAccount("0912000111");
    const r = await order("don-1", "Lê Thị Thu", "0912 000 111", "Đơn hàng đã xác nhận, giao trong 2 ngày", "DH-5521");
    const sent = await eventually(() => zns.sent.find((s) => s.phone === phone), 15_000, "the ZNS");
    expect(sent).toMatchObject({ template_id: "231001", template_data: { customer_name: "Lê Thị Thu", order_code: "DH-5521" } });
    const zalo = await eventually(async () => {
      const z = await zaloMessagesOf(r.contact_id);
      return z?.messages.find((m: any) => m.status === "sent") ? z : null;
    }, 10_000, "the ZNS on the customer's Zalo timeline");
    expect(zalo.messages[0]).toMatchObject({ direction: "out", author: { type: "system" }, template: { id: "231001", data: { order_code: "DH-5521" } } });
    // The rule is on the record of the conversation it started.
    const audit = (await w.pano.json(`/api/v1/audit?action=conversation.started&conversation_id=${zalo.conv.id}`)).data;
    expect(audit[0].data).toMatchObject({ channel_id: Number(w.channelId) });
    expect(audit[0].data.rule_id).toBeDefined();
  });

  test("inside the rule's quiet hours the ZNS waits in the outbox until they end, and is not dropped", async () => {
    const phone = zns.addAccount("0912000222");
    const r = await order("don-2", "Phạm Văn Khoa", "0912000222", "Khách đặt lúc khuya, đơn đã xác nhận", "DH-5522");
    // "đã xác nhận" also matches the send-now rule; the quiet rule is the one that waits. Both are on record.
    const waiting = await eventually(async () => {
      const rows = (await w.pano.json(`/api/v1/audit?action=conversation.started`)).data.filter((a: any) => a.data.due_at);
      return rows.length ? rows[0] : null;
    }, 15_000, "the deferred send on record");
    const due = Date.parse(waiting.data.due_at);
    expect(due).toBe(afterQuietHours(Date.parse(waiting.created_at), quiet));
    expect(due).toBeGreaterThan(Date.now() + 60 * 60_000);
    // The send-now rule's ZNS for the same order went; the deferred one is still queued, not sent, not failed.
    const statuses = await eventually(async () => {
      const z = await zaloMessagesOf(r.contact_id);
      const all = z?.messages.map((m: any) => m.status).sort().join(",");
      return all === "queued,sent" ? all : null;
    }, 15_000, "the immediate ZNS sent and the deferred one queued");
    expect(statuses).toBe("queued,sent");
    expect(zns.sent.filter((s) => s.phone === phone)).toHaveLength(1);
    // The agent reading the conversation sees when the held ZNS will go.
    const agent = await signIn(w.pano, ADMIN.email, ADMIN.password);
    const page = await agent.get(`/inbox?c=${waiting.conversation_id}&status=all`);
    const at = new Intl.DateTimeFormat("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short", timeStyle: "short" }).format(due);
    expect(page.html).toContain(`Sẽ gửi lúc ${at}`);
  });

  test("a rule sends an SMS through the shop's sms channel, the message's fields filled into its text", async () => {
    await order("don-4", "Vũ Thị Mai", "0987 654 321", "Đơn hàng đang giao", "DH-5524");
    const sent = await eventually(() => esms.sends.find((x) => x.Content.includes("DH-5524")), 15_000, "the SMS at eSMS");
    expect(sent).toMatchObject({ Phone: "0987654321", Content: "Shop Hoa Mai: don DH-5524 cua Vũ Thị Mai dang duoc giao." });
  });

  test("a rule whose customer has no phone records why nothing was sent", async () => {
    await w.pano.json(`/api/v1/channels/${api}/inbound`, { method: "POST", json: { external_contact_id: "don-3", contact_name: "Không số", external_message_id: "don-3-1", text: "Đơn đã xác nhận", order_code: "DH-5523" } });
    const refused = await eventually(async () => (await w.pano.json("/api/v1/audit?action=rule.send_refused")).data[0], 15_000, "the refusal on record");
    expect(refused.data).toMatchObject({ kind: "zns", code: "never_wrote" });
    expect(refused.data.reason_vi).toContain("số điện thoại");
  });
});

describe("trying a message on the rules", () => {
  test("says which ZNS or SMS a message with order_code would send, and the quiet hours that would hold it", async () => {
    const tried = await w.pano.json("/api/v1/routing-rules/try", { method: "POST", json: { text: "Đơn đã xác nhận, đặt lúc khuya", channel_id: api, fields: { order_code: "DH-1" } } });
    expect(tried.decision.sends).toEqual([
      { kind: "zns", rule_id: expect.any(String), template_id: "231001", quiet_hours: null },
      { kind: "zns", rule_id: expect.any(String), template_id: "231001", quiet_hours: quiet },
    ]);
    const without = await w.pano.json("/api/v1/routing-rules/try", { method: "POST", json: { text: "Đơn đã xác nhận", channel_id: api } });
    expect(without.decision.sends).toEqual([]);
    expect(without.rules[0].checks.find((c: any) => c.condition === "message_fields.order_code")).toMatchObject({ passed: false, vi: "tin nhắn không có order_code" });
  });
});

describe("quiet hours, 21:00–08:00 Vietnam time by default", () => {
  const vn = (iso: string) => Date.parse(`${iso}+07:00`);
  test("a send at night waits until 08:00; by day it goes at once", () => {
    expect(afterQuietHours(vn("2026-12-04T22:30:00"))).toBe(vn("2026-12-05T08:00:00"));
    expect(afterQuietHours(vn("2026-12-05T07:59:00"))).toBe(vn("2026-12-05T08:00:00"));
    expect(afterQuietHours(vn("2026-12-04T21:00:00"))).toBe(vn("2026-12-05T08:00:00"));
    expect(afterQuietHours(vn("2026-12-04T20:59:00"))).toBe(vn("2026-12-04T20:59:00"));
    expect(afterQuietHours(vn("2026-12-05T08:00:00"))).toBe(vn("2026-12-05T08:00:00"));
    expect(afterQuietHours(vn("2026-12-31T23:10:00"))).toBe(vn("2027-01-01T08:00:00"));
  });
});
