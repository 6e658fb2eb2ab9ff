// eSMS.vn brandname SMS (developers.esms.vn), outbound only:
// - send: POST {PANO_ESMS_API_URL}/MainService.svc/json/SendMultipleMessage_V4_post_json/ JSON
//   {ApiKey, SecretKey, Phone, Content, Brandname, SmsType, IsUnicode, RequestId, CallbackUrl}
//   -> {"CodeResult":"100","SMSID":"..."} accepted, else {"CodeResult":"<code>","ErrorMessage":"..."}.
//   RequestId is Pano's own per channel and message: a retried send is refused as 124 (duplicate
//   RequestId), which means the first one was taken, so it counts as sent.
// - delivery report: eSMS GETs CallbackUrl?SMSID=&SendFailed=&SendStatus=&SendSuccess=&TotalPrice=
//   &TotalReceiver=&TotalSent=&RequestId=&TypeId=&telcoid=&phonenumber= once the message is final:
//   SendStatus 5 is done (SendSuccess/SendFailed say how), 4 rejected; 1, 2 and 7 are on the way.
// - balance (the connection test): POST .../GetBalance_json {ApiKey, SecretKey} -> {Balance, CodeResponse}.
import { createHash } from "node:crypto";
import type { Channel, ChannelRuntime, ConnectionTest } from "../channel.ts";
import type { SendResult, StatusEvent } from "../../domain/message.ts";
import { smsCount } from "../../domain/sms.ts";
import { smsEventsUrl, type SmsConfig } from "./config.ts";
import { smsTexts } from "./texts.ts";
import { speaker } from "../texts.ts";

const say = speaker(smsTexts);

/** The codes eSMS documents for a send, each with its own sentence; anything else is "esms.other". */
const KNOWN = new Set(["99", "101", "102", "103", "104", "108", "118", "140", "146", "177"]);
/** Refusals the admin must fix in the channel's settings (the channel then asks for attention). */
const ACCOUNT = new Set(["101", "102", "104", "140"]);

export const esmsRequestId = (c: SmsConfig, messageId: number) =>
  `pano-${createHash("sha256").update(c.webhook_token).digest("hex").slice(0, 10)}-${messageId}`;

const base = (rt: ChannelRuntime) => rt.urls.esmsApi.replace(/\/+$/, "");

async function post(rt: ChannelRuntime, path: string, body: unknown): Promise<{ ok: true; status: number; body: any } | { ok: false; reason: string }> {
  try {
    const res = await rt.http(`${base(rt)}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    return { ok: true, status: res.status, body: await res.json().catch(() => null) };
  } catch (err) {
    return { ok: false, reason: String((err as Error)?.message ?? err).slice(0, 200) };
  }
}

export async function sendViaEsms(text: string, phone: string, messageId: number, channel: Channel<SmsConfig>, rt: ChannelRuntime): Promise<SendResult> {
  const c = channel.config;
  const requestId = esmsRequestId(c, messageId);
  const a = await post(rt, "/MainService.svc/json/SendMultipleMessage_V4_post_json/", {
    ApiKey: c.api_key, SecretKey: c.secret_key, Phone: phone, Content: text, Brandname: c.brandname, SmsType: c.sms_type,
    IsUnicode: smsCount(text).encoding === "ucs2" ? "1" : "0", RequestId: requestId, CallbackUrl: smsEventsUrl(rt.urls.publicUrl, c.webhook_token),
  });
  if (!a.ok) return { ok: false, kind: "retry", ...both("send.esms_unreachable", { reason: a.reason }) };
  const code = String(a.body?.CodeResult ?? "");
  if (code === "100") return { ok: true, externalId: String(a.body?.SMSID || requestId), extraExternalIds: a.body?.SMSID ? [requestId] : undefined };
  if (code === "124") return { ok: true, externalId: requestId };
  if (!code) return { ok: false, kind: "retry", ...both("send.esms_unreachable", { reason: `HTTP ${a.status}` }) };
  const words = KNOWN.has(code) ? both(`esms.${code}` as Parameters<typeof say>[0]) : both("esms.other", { code, reason: String(a.body?.ErrorMessage ?? "").slice(0, 200) });
  return ACCOUNT.has(code) ? { ok: false, kind: "reconnect", code: `esms_${code}`, ...words } : { ok: false, kind: "failed", code: `esms_${code}`, ...words };
}

function both(key: Parameters<typeof say>[0], vars?: Record<string, string | number>) {
  const s = say(key, vars);
  return { reason: s.en, reasonVi: s.vi };
}

/** A delivery report (the CallbackUrl's query) -> the message's status; null while it is still on its way. */
export function esmsReport(q: Record<string, string>, channelId: number, now: Date): StatusEvent | null {
  const ids = [q.SMSID, q.RequestId].filter((v): v is string => !!v);
  if (!ids.length) return null;
  const status = q.SendStatus;
  const success = Number(q.SendSuccess) || 0;
  const failed = Number(q.SendFailed) || 0;
  const base = { kind: "status" as const, channelId, externalMessageIds: ids, occurredAt: now };
  if (status === "4") return { ...base, status: "failed", ...failure(say("esms.rejected", { status })) };
  if (status !== "5") return null;
  if (success > 0) return { ...base, status: "delivered" };
  if (failed > 0) return { ...base, status: "failed", ...failure(say("esms.not_delivered")) };
  return null;
}

const failure = (s: { vi: string; en: string }) => ({ error: s.en, errorVi: s.vi });

export async function testEsms(channel: Channel<SmsConfig>, rt: ChannelRuntime): Promise<ConnectionTest> {
  const a = await post(rt, "/MainService.svc/json/GetBalance_json", { ApiKey: channel.config.api_key, SecretKey: channel.config.secret_key });
  if (!a.ok) return { ok: false, detail: a.reason, say: { key: "test.esms_unreachable", vars: { reason: a.reason } } };
  const code = String(a.body?.CodeResponse ?? a.body?.CodeResult ?? "");
  if (code === "100") {
    const balance = Number(a.body?.Balance ?? 0).toLocaleString("vi-VN");
    return { ok: true, detail: `balance ${balance}`, say: { key: "test.esms_ok", vars: { balance } } };
  }
  if (KNOWN.has(code)) return { ok: false, detail: say(`esms.${code}` as Parameters<typeof say>[0]).en, say: { key: `esms.${code}` } };
  const reason = String(a.body?.ErrorMessage ?? `HTTP ${a.status}`).slice(0, 200);
  return { ok: false, detail: reason, say: { key: "test.esms_refused", vars: { reason } } };
}
