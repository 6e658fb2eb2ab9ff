// SMS Gateway for Android (docs.sms-gate.app), local server (http://<phone>:8080) or its cloud
// (https://api.sms-gate.app/3rdparty/v1), both with Basic auth:
// - send: POST {base}/message {"id","textMessage":{"text"},"phoneNumbers":["+84..."],"withDeliveryReport":true}
//   -> 202 {"id","state":"Pending","recipients":[{"phoneNumber","state","error"}],...}; the id is Pano's
//   own (per channel and message), so a retried send names the same message.
// - webhooks: POST {base}/webhooks {"id","url","event"} registers (the same id replaces), one event each;
//   GET {base}/webhooks lists them. Pano registers sms:received/sent/delivered/failed on save.
// - every webhook is signed: X-Signature = hex HMAC-SHA256(signing key, raw body + X-Timestamp).
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Channel, ChannelRuntime } from "../channel.ts";
import type { SendResult } from "../../domain/message.ts";
import { smsEventsUrl, type SmsConfig } from "./config.ts";
import { smsTexts } from "./texts.ts";
import { speaker } from "../texts.ts";

const say = speaker(smsTexts);

/** Webhooks older or newer than this are refused: a captured delivery cannot be replayed later. */
export const SIGNATURE_WINDOW_S = 300;
export const GATEWAY_EVENTS = ["sms:received", "sms:sent", "sms:delivered", "sms:failed"] as const;

export function gatewaySignatureOk(raw: Uint8Array, timestamp: string | null, signature: string | null, key: string, nowMs: number): "ok" | "bad_signature" | "stale" {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !/^[0-9a-fA-F]{64}$/.test(signature)) return "bad_signature";
  const want = createHmac("sha256", key).update(raw).update(timestamp).digest();
  if (!timingSafeEqual(want, Buffer.from(signature, "hex"))) return "bad_signature";
  return Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_WINDOW_S ? "stale" : "ok";
}

/** A short tag of this channel's token: ids Pano gives the gateway never collide across channels or installs. */
const channelTag = (c: SmsConfig) => createHash("sha256").update(c.webhook_token).digest("hex").slice(0, 10);
export const gatewayMessageId = (c: SmsConfig, messageId: number) => `pano-${channelTag(c)}-${messageId}`;
const webhookId = (c: SmsConfig, event: string) => `pano-${channelTag(c)}-${event.replace("sms:", "")}`;

type Answer = { ok: true; status: number; body: any } | { ok: false; reason: string };

async function gateway(channel: Channel<SmsConfig>, rt: ChannelRuntime, method: string, path: string, body?: unknown): Promise<Answer> {
  const c = channel.config;
  const auth = Buffer.from(`${c.username ?? ""}:${c.password ?? ""}`).toString("base64");
  try {
    const res = await rt.http(`${(c.base_url ?? "").replace(/\/+$/, "")}${path}`, {
      method,
      headers: { authorization: `Basic ${auth}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { message: text.slice(0, 200) };
    }
    return { ok: true, status: res.status, body: parsed };
  } catch (err) {
    return { ok: false, reason: String((err as Error)?.message ?? err).slice(0, 200) };
  }
}

const problem = (a: { status: number; body: any }) => String(a.body?.message ?? a.body?.error ?? `HTTP ${a.status}`).slice(0, 200);

export async function sendViaGateway(text: string, e164: string, messageId: number, channel: Channel<SmsConfig>, rt: ChannelRuntime): Promise<SendResult> {
  const id = gatewayMessageId(channel.config, messageId);
  const a = await gateway(channel, rt, "POST", "/message", { id, textMessage: { text }, phoneNumbers: [e164], withDeliveryReport: true });
  if (!a.ok) return { ok: false, kind: "retry", ...both("send.gateway_unreachable", { reason: a.reason }) };
  // A retry after a lost answer: the gateway already holds this id, so the message is on its way once.
  if (a.status === 409) return { ok: true, externalId: id };
  if (a.status === 401 || a.status === 403) return { ok: false, kind: "reconnect", code: "gateway_unauthorized", ...both("send.gateway_unauthorized") };
  if (a.status === 429 || a.status >= 500) return { ok: false, kind: "retry", ...both("send.gateway_refused", { reason: problem(a) }) };
  if (a.status >= 300) return { ok: false, kind: "failed", code: "gateway_refused", ...both("send.gateway_refused", { reason: problem(a) }) };
  const recipient = Array.isArray(a.body?.recipients) ? a.body.recipients[0] : null;
  if (a.body?.state === "Failed" || recipient?.state === "Failed") {
    return { ok: false, kind: "failed", code: "gateway_failed", ...both("send.gateway_failed", { reason: String(recipient?.error ?? "Failed").slice(0, 200) }) };
  }
  return { ok: true, externalId: typeof a.body?.id === "string" && a.body.id ? a.body.id : id };
}

function both(key: Parameters<typeof say>[0], vars?: Record<string, string | number>) {
  const s = say(key, vars);
  return { reason: s.en, reasonVi: s.vi };
}

export type Registration =
  | { ok: true; count: number }
  | { ok: false; code: "unreachable" | "bad_credentials" | "webhook_refused"; vars: Record<string, string | number> };

/** Registers (or replaces, by id) Pano's four webhooks; stops at the first refusal and says which. */
export async function registerWebhooks(channel: Channel<SmsConfig>, rt: ChannelRuntime): Promise<Registration> {
  const url = smsEventsUrl(rt.urls.publicUrl, channel.config.webhook_token);
  const listed = await gateway(channel, rt, "GET", "/webhooks");
  if (!listed.ok) return { ok: false, code: "unreachable", vars: { url: channel.config.base_url ?? "", reason: listed.reason } };
  if (listed.status === 401 || listed.status === 403) return { ok: false, code: "bad_credentials", vars: { status: listed.status } };
  for (const event of GATEWAY_EVENTS) {
    const a = await gateway(channel, rt, "POST", "/webhooks", { id: webhookId(channel.config, event), url, event });
    if (!a.ok) return { ok: false, code: "unreachable", vars: { url: channel.config.base_url ?? "", reason: a.reason } };
    if (a.status === 401 || a.status === 403) return { ok: false, code: "bad_credentials", vars: { status: a.status } };
    if (a.status >= 300) return { ok: false, code: "webhook_refused", vars: { url, reason: problem(a) } };
  }
  return { ok: true, count: GATEWAY_EVENTS.length };
}

/** Removes what a test of an unsaved channel registered: its token is not the one a save will make. */
export async function unregisterWebhooks(channel: Channel<SmsConfig>, rt: ChannelRuntime): Promise<void> {
  for (const event of GATEWAY_EVENTS) await gateway(channel, rt, "DELETE", `/webhooks/${encodeURIComponent(webhookId(channel.config, event))}`);
}
