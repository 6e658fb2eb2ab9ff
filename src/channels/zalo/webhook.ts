// POST /webhooks/zalo: one event per delivery. Routing needs the OA id and the signature needs
// the body's own app_id and timestamp, so the JSON is read first (malformed: 400), then the OA is
// found (unknown: acknowledged, not stored), then the mac is checked on the raw bytes (bad: 401).
import type { ChannelLookup, WebhookRequest, WebhookVerdict } from "../channel.ts";
import type { ZaloConfig } from "./config.ts";
import { validMac } from "./signature.ts";

export interface ZaloEvent {
  app_id?: string;
  oa_id?: string;
  user_id_by_app?: string;
  event_name?: string;
  timestamp?: string | number;
  sender?: { id?: string };
  recipient?: { id?: string };
  follower?: { id?: string };
  source?: string;
  message?: Record<string, any>;
  [key: string]: unknown;
}

/** The OA an event belongs to: user events name it as recipient, the OA's own sends as sender. */
export function oaIdOf(e: ZaloEvent): string | null {
  const id = e.oa_id ?? (String(e.event_name ?? "").startsWith("oa_") ? e.sender?.id : e.recipient?.id);
  return id === undefined || id === null || id === "" ? null : String(id);
}

const decoder = new TextDecoder();

export function zaloWebhook(req: WebhookRequest, channels: ChannelLookup): WebhookVerdict {
  if (req.method !== "POST") return { kind: "reject", status: 400, code: "bad_request", message: "Zalo webhooks are POST requests" };
  let body: ZaloEvent;
  try {
    body = JSON.parse(decoder.decode(req.raw));
  } catch {
    return { kind: "reject", status: 400, code: "invalid_json", message: "The body is not valid JSON" };
  }
  if (!body || typeof body !== "object" || Array.isArray(body) || typeof body.event_name !== "string") {
    return { kind: "reject", status: 400, code: "bad_request", message: "A Zalo event is a JSON object with event_name" };
  }
  const oaId = oaIdOf(body);
  let channel = oaId ? channels.byExternalKey("zalo", oaId) : undefined;
  // A ZNS delivery receipt names the OA as its sender (the OA sent the ZNS), unlike a chat receipt.
  if (!channel && body.event_name === "user_received_message" && body.sender?.id) channel = channels.byExternalKey("zalo", String(body.sender.id));
  if (!channel) return { kind: "accept", deliveries: [], unknownKeys: [oaId ?? `(no OA id in ${body.event_name})`], unverified: true };
  const cfg = channel.config as ZaloConfig;
  const ok = validMac(req.headers.get("x-zevent-signature"), String(body.app_id ?? ""), req.raw, String(body.timestamp ?? ""), cfg.oa_secret_key);
  if (!ok) return { kind: "reject", status: 401, code: "bad_signature", message: "X-ZEvent-Signature is missing or does not match" };
  return { kind: "accept", deliveries: [{ channel, payload: body }], unknownKeys: [] };
}
