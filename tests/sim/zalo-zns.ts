// Zalo ZNS on the Zalo simulator's port: the API Pano calls at PANO_ZALO_ZNS_URL and the delivery
// webhook Zalo sends back. Contract: channels.md "Zalo ZNS" and zalo.cloud's ZNS docs:
// - GET /template/all?offset&limit&status -> {"error":0,"message":"Success","data":[{templateId,
//   templateName,createdTime,status,templateQuality}],"metadata":{"total"}}
// - GET /template/info/v2?template_id -> data {templateId, templateName, status, listParams:
//   [{name, require, type: STRING|NUMBER|DATE, maxLength, minLength, acceptNull}], timeout,
//   previewUrl, templateQuality, templateTag, price}
// - POST /message/template {phone: "84...", template_id, template_data, tracking_id} ->
//   data {msg_id, sent_time, quota: {dailyQuota, remainingQuota}}; errors HTTP 200 with error < 0
//   (zalo.cloud "Cách xử lý mã lỗi": -108 phone invalid, -109 template id invalid, -112 template
//   data invalid, -115 out of quota, -117/-131 template not permitted/approved, -118 no Zalo
//   account, -124 access token invalid, -144 daily quota exceeded).
// - Delivery: the OA webhook's user_received_message {sender: {id: OA}, recipient: {id: user},
//   message: {msg_id, tracking_id, delivery_time}}.
// The simulator keeps one message per tracking_id: a send repeated with the same tracking_id answers
// the first msg_id and sends nothing more (what Pano relies on when it retries).
import { randomBytes } from "node:crypto";
import type { ZaloSim } from "./zalo.ts";
import { zeventMac } from "./zalo.ts";

export interface ZnsParam { name: string; require: boolean; type: "STRING" | "NUMBER" | "DATE"; maxLength: number; minLength: number; acceptNull: boolean }
export interface ZnsTemplate { templateId: string; templateName: string; status: "ENABLE" | "PENDING_REVIEW" | "REJECT" | "DISABLE"; listParams: ZnsParam[]; price: string }
export interface ZnsSent { msg_id: string; phone: string; template_id: string; template_data: Record<string, unknown>; tracking_id: string | null; at: number }

const MESSAGES: Record<number, string> = {
  [-108]: "Phone number invalid", [-109]: "Template ID invalid", [-112]: "Template data invalid", [-115]: "Out of quota",
  [-117]: "OA or App does not have permission to access this template", [-118]: "Zalo account not existed",
  [-124]: "Access token invalid", [-131]: "Template not approved", [-144]: "OA has exceeded daily quota",
};

const answer = (error: number, data?: unknown, extra: Record<string, unknown> = {}) =>
  Response.json(error === 0 ? { error: 0, message: "Success", data, ...extra } : { error, message: MESSAGES[error] ?? "Unknown error" });

const param = (name: string, maxLength: number, type: ZnsParam["type"] = "STRING", require = true): ZnsParam => ({ name, require, type, maxLength, minLength: 0, acceptNull: !require });

/** Two approved templates (an order confirmation and a reply to a complaint) and one still in review. */
export const SAMPLE_TEMPLATES: ZnsTemplate[] = [
  { templateId: "231001", templateName: "Xác nhận đơn hàng", status: "ENABLE", price: "200", listParams: [param("customer_name", 30), param("order_code", 30), param("total", 20, "NUMBER", false)] },
  { templateId: "231002", templateName: "Phản hồi khiếu nại", status: "ENABLE", price: "200", listParams: [param("customer_name", 30), param("ticket_note", 100)] },
  { templateId: "231003", templateName: "Khuyến mãi tháng 12", status: "PENDING_REVIEW", price: "300", listParams: [param("customer_name", 30)] },
];

export function attachZns(sim: ZaloSim, o: { dailyQuota?: number; templates?: ZnsTemplate[]; echoDelivery?: boolean } = {}) {
  const templates = new Map((o.templates ?? SAMPLE_TEMPLATES).map((t) => [t.templateId, structuredClone(t)]));
  const sent: ZnsSent[] = [];
  const byTracking = new Map<string, ZnsSent>();
  const failures: number[] = [];
  /** Phones (84...) with a Zalo account, and the Zalo user id each has for this OA. */
  const accounts = new Map<string, string>();
  let remaining = o.dailyQuota ?? 500;
  let dropAnswers = 0;
  let tokenError = -124;

  function send(body: any): Response {
    const phone = String(body?.phone ?? "");
    const t = templates.get(String(body?.template_id ?? ""));
    const data = body?.template_data;
    const tracking = body?.tracking_id ? String(body.tracking_id) : null;
    const again = tracking ? byTracking.get(tracking) : undefined;
    if (again) return answer(0, { msg_id: again.msg_id, sent_time: String(again.at), quota: { dailyQuota: String(o.dailyQuota ?? 500), remainingQuota: String(remaining) } });
    const forced = failures.shift();
    if (forced !== undefined) return answer(forced);
    if (!/^84\d{9}$/.test(phone)) return answer(-108);
    if (!t) return answer(-109);
    if (t.status !== "ENABLE") return answer(-131);
    if (!data || typeof data !== "object") return answer(-112);
    for (const p of t.listParams) {
      const v = data[p.name];
      if ((v === undefined || v === "") && p.require) return answer(-112);
      if (v !== undefined && String(v).length > p.maxLength) return answer(-112);
      if (v !== undefined && v !== "" && p.type === "NUMBER" && !/^-?\d+$/.test(String(v))) return answer(-112);
    }
    if (!accounts.has(phone)) return answer(-118);
    if (remaining <= 0) return answer(-144);
    remaining--;
    const m: ZnsSent = { msg_id: randomBytes(16).toString("hex"), phone, template_id: t.templateId, template_data: data, tracking_id: tracking, at: Date.now() };
    sent.push(m);
    if (tracking) byTracking.set(tracking, m);
    if (o.echoDelivery) queueMicrotask(() => void zns.delivered(m.msg_id).catch(() => {}));
    return answer(0, { msg_id: m.msg_id, sent_time: String(m.at), quota: { dailyQuota: String(o.dailyQuota ?? 500), remainingQuota: String(remaining) } });
  }

  sim.addRoutes(async (req, url, _token, refused) => {
    const route = `${req.method} ${url.pathname}`;
    if (!["GET /template/all", "GET /template/info/v2", "POST /message/template"].includes(route)) return null;
    if (refused) return answer(tokenError);
    if (route === "GET /template/all") {
      const offset = Number(url.searchParams.get("offset") ?? 0);
      const limit = Math.min(100, Number(url.searchParams.get("limit") ?? 100));
      const all = [...templates.values()].filter((t) => !url.searchParams.get("status") || url.searchParams.get("status") === "1" || t.status === url.searchParams.get("status"));
      return answer(0, all.slice(offset, offset + limit).map((t) => ({ templateId: Number(t.templateId), templateName: t.templateName, createdTime: Date.now(), status: t.status, templateQuality: "UNDEFINED" })), { metadata: { total: all.length } });
    }
    if (route === "GET /template/info/v2") {
      const t = templates.get(String(url.searchParams.get("template_id")));
      if (!t) return answer(-109);
      return answer(0, { ...t, templateId: Number(t.templateId), timeout: 7_200_000, previewUrl: `${sim.url}/znspreview/${t.templateId}`, templateQuality: "UNDEFINED", templateTag: "TRANSACTION", applyTemplateQuota: false });
    }
    const res = send(await req.json().catch(() => null));
    // The send happened, but the answer is lost on the way (a proxy times out): Pano must try again, safely.
    if (dropAnswers > 0) {
      dropAnswers--;
      return new Response("upstream timed out", { status: 504 });
    }
    return res;
  });

  const zns = {
    templates, sent,
    /** ZNS requests Pano made, oldest first. */
    sendCalls: () => sim.requests.filter((r) => r.path === "/message/template"),
    /** A phone (any common form) that has a Zalo account; returns it as 84... */
    addAccount(phone: string, userId = String(4_100_000_000_000_000_000n + BigInt(sent.length + accounts.size))): string {
      const p = phone.replace(/\D/g, "").replace(/^0/, "84");
      accounts.set(p, userId);
      return p;
    },
    /** The next sends answer these ZNS errors, one per send. */
    failNext(error: number, times = 1) { for (let i = 0; i < times; i++) failures.push(error); },
    /** The next sends are made but their answers lost (HTTP 504). */
    dropAnswerNext(times = 1) { dropAnswers += times; },
    /** What an invalid token answers on ZNS: -124 (zalo.cloud) or -216/-220 (channels.md). */
    useTokenError(code: number) { tokenError = code; },
    setRemaining(n: number) { remaining = n; },
    /** Zalo reports the customer's phone received the ZNS: user_received_message for its msg_id. */
    delivered(msgId: string) {
      const m = sent.find((s) => s.msg_id === msgId);
      const timestamp = String(Date.now());
      const event = {
        app_id: sim.appId, event_name: "user_received_message",
        sender: { id: sim.oaId }, recipient: { id: (m && accounts.get(m.phone)) ?? "0" },
        message: { msg_id: msgId, tracking_id: m?.tracking_id ?? "", delivery_time: timestamp }, timestamp,
      };
      return sim.deliver(event);
    },
  };
  return zns;
}

export type ZnsSim = ReturnType<typeof attachZns>;
// Re-exported so a benchmark can sign by hand what delivered() sends.
export { zeventMac };
