// ZNS (Zalo Notification Service): template messages to a phone number through the OA, with the
// Zalo channel's own token (api.ts refreshes it once on -216/-220 and ZNS's -124). Templates are
// synced from template/all + template/info/v2 and kept in the channel's state; each send carries
// tracking_id = the Pano message, so a send retried after a lost answer is not sent twice.
// Contract: zalo.cloud ZNS docs (send: POST {zns}/message/template; errors: "Cách xử lý mã lỗi").
import type { Channel, ChannelRuntime, MessageTemplate, TemplateParam } from "../channel.ts";
import type { OutboundMessage, SendResult } from "../../domain/message.ts";
import type { ZaloConfig } from "./config.ts";
import { callZalo } from "./api.ts";
import { type Failure } from "./errors.ts";
import { ticker } from "./ticker.ts";

const ZNS_TOKEN_ERRORS = new Set([-124]);
const TEMPLATES_KEY = "zns.templates";
const QUOTA_KEY = "zns.quota";
const FAILURES_KEY = "zns.failures";
const KEPT_FAILURES = 20;
const PAGE = 100;

/** A message's meta.template: which template, with which data (outreach.ts compose). */
export interface ZnsSend {
  id: string;
  name: string;
  data: Record<string, string>;
}

export interface ZnsQuota {
  daily: number | null;
  remaining: number | null;
  at: string;
}

export interface ZnsFailure {
  at: string;
  message_id: number;
  code: string;
  vi: string;
  en: string;
}

const znsBase = (rt: ChannelRuntime) => rt.urls.zaloZns;

/** 0912345678 / +84 912... -> 84912345678; null when it is not a Vietnamese phone number. */
export function znsPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  let d = phone.replace(/[\s.\-()]/g, "");
  if (d.startsWith("+")) d = d.slice(1);
  if (d.startsWith("84")) d = "0" + d.slice(2);
  return /^0[35789]\d{8}$/.test(d) ? "84" + d.slice(1) : null;
}

function readJson<T>(rt: ChannelRuntime, channelId: number, key: string, fallback: T): T {
  try {
    const raw = rt.state.get(channelId, key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

export const keptTemplates = (rt: ChannelRuntime, channelId: number): MessageTemplate[] => readJson<{ templates: MessageTemplate[] }>(rt, channelId, TEMPLATES_KEY, { templates: [] }).templates;
export const keptQuota = (rt: ChannelRuntime, channelId: number): ZnsQuota | null => readJson<ZnsQuota | null>(rt, channelId, QUOTA_KEY, null);
export const keptFailures = (rt: ChannelRuntime, channelId: number): ZnsFailure[] => readJson<ZnsFailure[]>(rt, channelId, FAILURES_KEY, []);
export const templatesSyncedAt = (rt: ChannelRuntime, channelId: number): string | null => readJson<{ synced_at?: string }>(rt, channelId, TEMPLATES_KEY, {}).synced_at ?? null;

const PARAM_TYPES: Record<string, TemplateParam["type"]> = { STRING: "text", NUMBER: "number", DATE: "date", CURRENCY: "currency", PHONE: "phone", URL: "url" };

export function templateOf(d: Record<string, any>): MessageTemplate {
  const params: TemplateParam[] = (Array.isArray(d.listParams) ? d.listParams : []).map((p: Record<string, any>) => ({
    name: String(p.name),
    type: PARAM_TYPES[String(p.type ?? "STRING").toUpperCase()] ?? "text",
    required: p.require === true && p.acceptNull !== true,
    maxLength: Number.isFinite(Number(p.maxLength)) && Number(p.maxLength) > 0 ? Number(p.maxLength) : null,
    minLength: Number(p.minLength) > 0 ? Number(p.minLength) : 0,
  }));
  const status = String(d.status ?? "UNKNOWN");
  return {
    id: String(d.templateId), name: String(d.templateName ?? d.templateId), status, usable: status === "ENABLE",
    preview: `${d.templateName ?? ""}: ${params.map((p) => `<${p.name}>`).join(", ")}`.trim(),
    // Shown as a link to agents: only a web address (a javascript: URL from a provider answer is dropped).
    previewUrl: typeof d.previewUrl === "string" && /^https?:\/\//i.test(d.previewUrl) ? d.previewUrl : undefined,
    params, price: d.price !== undefined ? String(d.price) : undefined,
  };
}

/** Every template of the OA, each with its params' rules; kept only when the whole sync worked. */
export async function syncTemplates(channel: Channel<ZaloConfig>, rt: ChannelRuntime): Promise<{ ok: true; count: number } | { ok: false; reason: string }> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const r = await callZalo(rt, channel.id, "/template/all", { base: znsBase(rt), tokenErrors: ZNS_TOKEN_ERRORS, query: { offset: String(offset), limit: String(PAGE) } });
    if (!r.ok) return { ok: false, reason: r.failure?.reason ?? `Zalo ${r.zaloError?.error}: ${r.zaloError?.message ?? ""}` };
    const page = Array.isArray(r.answer.data) ? (r.answer.data as Record<string, any>[]) : [];
    ids.push(...page.map((t) => String(t.templateId)));
    const total = Number((r.answer as { metadata?: { total?: number } }).metadata?.total ?? 0);
    if (page.length < PAGE || ids.length >= total) break;
  }
  const templates: MessageTemplate[] = [];
  for (const id of ids) {
    const r = await callZalo(rt, channel.id, "/template/info/v2", { base: znsBase(rt), tokenErrors: ZNS_TOKEN_ERRORS, query: { template_id: id } });
    if (!r.ok) return { ok: false, reason: r.failure?.reason ?? `Zalo ${r.zaloError?.error}: ${r.zaloError?.message ?? ""}` };
    templates.push(templateOf(r.answer.data ?? {}));
  }
  await rt.state.set(channel.id, TEMPLATES_KEY, JSON.stringify({ synced_at: rt.now().toISOString(), templates }));
  return { ok: true, count: templates.length };
}

// zalo.cloud's ZNS error table: what each means for the agent, and whether trying again can help.
const ZNS_ERRORS: Record<number, { code: string; vi: string; en: string; retry?: boolean }> = {
  [-100]: { code: "zns_unknown", vi: "Zalo gặp lỗi không xác định; sẽ thử lại sau", en: "Zalo had an unknown error; trying again later", retry: true },
  [-108]: { code: "invalid_phone", vi: "Số điện thoại không hợp lệ", en: "The phone number is invalid" },
  [-109]: { code: "template_invalid", vi: "Mẫu ZNS không tồn tại hoặc không thuộc OA này", en: "The ZNS template does not exist or is not this OA's" },
  [-111]: { code: "params_invalid", vi: "Thiếu dữ liệu cho mẫu ZNS", en: "The template data is empty" },
  [-112]: { code: "params_invalid", vi: "Dữ liệu của mẫu ZNS không hợp lệ", en: "The template data is invalid" },
  [-114]: { code: "user_cannot_receive", vi: "Khách không nhận được ZNS (tài khoản không hoạt động, đã từ chối nhận, hoặc Zalo quá cũ)", en: "The customer cannot receive ZNS (inactive account, opted out, or an outdated Zalo)" },
  [-115]: { code: "out_of_quota", vi: "Tài khoản ZNS không đủ số dư", en: "The ZNS account's balance is insufficient" },
  [-117]: { code: "template_not_approved", vi: "OA không có quyền dùng mẫu ZNS này (mẫu chưa được duyệt)", en: "The OA may not use this ZNS template (not approved)" },
  [-118]: { code: "no_zalo_account", vi: "Số điện thoại này không có tài khoản Zalo", en: "This phone number has no Zalo account" },
  [-119]: { code: "user_cannot_receive", vi: "Tài khoản Zalo này không nhận được ZNS", en: "This Zalo account cannot receive ZNS" },
  [-124]: { code: "token_invalid", vi: "Zalo vẫn từ chối mã truy cập sau khi làm mới: hãy kết nối lại OA", en: "Zalo still refuses the access token after a refresh: reconnect the OA" },
  [-131]: { code: "template_not_approved", vi: "Mẫu ZNS chưa được Zalo duyệt", en: "The ZNS template is not approved by Zalo" },
  [-132]: { code: "params_invalid", vi: "Tham số của mẫu ZNS không hợp lệ", en: "A ZNS template param is invalid" },
  [-139]: { code: "user_cannot_receive", vi: "Khách đã từ chối nhận ZNS", en: "The customer refused ZNS messages" },
  [-144]: { code: "out_of_quota", vi: "OA đã dùng hết hạn mức ZNS trong ngày", en: "The OA has used up its daily ZNS quota" },
};

function znsFailure(error: number, message: string | undefined): Failure {
  const said = ` (ZNS ${error}${message ? `: ${message}` : ""})`;
  if (error === -124 || error === -216 || error === -220) return { ok: false, kind: "reconnect", code: "token_invalid", reason: ZNS_ERRORS[-124].en + said, reasonVi: ZNS_ERRORS[-124].vi };
  const known = ZNS_ERRORS[error];
  if (!known) return { ok: false, kind: "failed", code: `zns_${error}`, reason: `Zalo refused the ZNS${said}`, reasonVi: `Zalo từ chối tin ZNS (mã ${error})` };
  if (known.retry) return { ok: false, kind: "retry", reason: known.en + said, reasonVi: known.vi };
  return { ok: false, kind: "failed", code: known.code, reason: known.en + said, reasonVi: known.vi };
}

async function remember(rt: ChannelRuntime, channelId: number, f: ZnsFailure): Promise<void> {
  const list = [f, ...keptFailures(rt, channelId)].slice(0, KEPT_FAILURES);
  await rt.state.set(channelId, FAILURES_KEY, JSON.stringify(list));
}

/** One template message; the outbox calls it for a message whose meta carries `zns`. */
export async function sendZns(msg: OutboundMessage, zns: ZnsSend, channel: Channel<ZaloConfig>, rt: ChannelRuntime): Promise<SendResult> {
  const phone = znsPhone(msg.contact.phone);
  const fail = async (r: Failure): Promise<Failure> => {
    if (r.kind !== "retry") await remember(rt, channel.id, { at: rt.now().toISOString(), message_id: msg.messageId, code: r.kind === "failed" || r.kind === "reconnect" ? r.code : "retry", vi: r.reasonVi ?? r.reason, en: r.reason });
    return r;
  };
  // Refused before Zalo is called: a number that cannot be a Vietnamese phone costs nothing to check.
  if (!phone) return fail({ ok: false, kind: "failed", code: "invalid_phone", reason: `${ZNS_ERRORS[-108].en}: ${msg.contact.phone ?? "(none)"}`, reasonVi: `${ZNS_ERRORS[-108].vi}: ${msg.contact.phone ?? "(chưa có)"}` });
  const r = await callZalo(rt, channel.id, "/message/template", {
    base: znsBase(rt), tokenErrors: ZNS_TOKEN_ERRORS,
    json: { phone, template_id: zns.id, template_data: zns.data, tracking_id: `pano-${msg.messageId}` },
  });
  if (!r.ok) return fail(r.failure ?? znsFailure(r.zaloError!.error, r.zaloError!.message));
  const data = r.answer.data ?? {};
  const q = data.quota as { dailyQuota?: unknown; remainingQuota?: unknown } | undefined;
  const quota: ZnsQuota = { daily: q?.dailyQuota != null ? Number(q.dailyQuota) : null, remaining: q?.remainingQuota != null ? Number(q.remainingQuota) : null, at: rt.now().toISOString() };
  await rt.state.set(channel.id, QUOTA_KEY, JSON.stringify(quota));
  return { ok: true, externalId: String(data.msg_id), meta: { quota: { daily: quota.daily, remaining: quota.remaining } } };
}

const RESYNC_MS = 6 * 3600_000;
const CHECK_SYNC_MS = 3600_000;

/**
 * Keeps the OA's templates fresh (Zalo approves, rejects or disables them in its own console):
 * once an admin has synced them (the OA uses ZNS), again every 6 hours, checked hourly and when
 * the channel starts. A failed sync keeps the last good list and is logged. An OA that never
 * synced is not asked: it may not have ZNS at all.
 */
export function startTemplateSync(channel: Channel<ZaloConfig>, rt: ChannelRuntime): () => Promise<void> {
  return ticker(CHECK_SYNC_MS, () => {
    const ch = rt.current(channel.id) as Channel<ZaloConfig> | undefined;
    if (!ch || ch.status === "paused" || ch.status === "needs_reconnect") return;
    const at = templatesSyncedAt(rt, channel.id);
    if (!at || rt.now().getTime() - Date.parse(at) < RESYNC_MS) return;
    return syncTemplates(ch, rt)
      .then((r) => void (!r.ok && rt.log("info", "zalo: ZNS templates not synced", { channel_id: channel.id, reason: r.reason })))
      .catch((err) => rt.log("warn", "zalo: ZNS template sync crashed", { channel_id: channel.id, error: String((err as Error)?.message ?? err) }));
  });
}
