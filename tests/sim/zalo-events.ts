// Zalo OA webhook events as Zalo builds them: every id and the timestamp are JSON strings, the
// key order is Zalo's, and the signature is a plain SHA-256 (not an HMAC) of
// app_id + raw body + timestamp + OA secret key, sent as `X-ZEvent-Signature: mac=<hex>`.
import { createHash, randomBytes } from "node:crypto";

export interface ZaloWebhookEvent {
  event_name: string;
  timestamp: string;
  app_id: string;
  [key: string]: unknown;
}

export interface EventContext {
  appId: string;
  oaId: string;
  /** Milliseconds; each event gets a later one so ordering is stable. */
  now?: () => number;
}

/** 32 hex characters, the shape of Zalo's msg_id. */
export const newMsgId = () => randomBytes(16).toString("hex");
/** Zalo user ids are 16-19 digit numbers carried as strings. */
export const newUserId = () => String(4_000_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e15)));

let lastTs = 0;
const stamp = (ctx: EventContext) => {
  lastTs = Math.max((ctx.now ?? Date.now)(), lastTs + 1);
  return String(lastTs);
};

/** The mac Zalo puts in X-ZEvent-Signature, over the exact bytes it sends. */
export function zeventMac(appId: string, raw: string, timestamp: string, oaSecretKey: string): string {
  return createHash("sha256").update(`${appId}${raw}${timestamp}${oaSecretKey}`).digest("hex");
}

export function signedHeaders(event: ZaloWebhookEvent, raw: string, oaSecretKey: string): Record<string, string> {
  return { "content-type": "application/json", "x-zevent-signature": `mac=${zeventMac(event.app_id, raw, event.timestamp, oaSecretKey)}` };
}

export type Attachment = { type: string; payload: Record<string, unknown> };

/** What a user can send the OA; `text` is optional beside attachments, as on Zalo. */
export interface UserMessage {
  text?: string;
  attachments?: Attachment[];
  quoteMsgId?: string;
  msgId?: string;
}

export function userSends(ctx: EventContext, kind: string, userId: string, m: UserMessage): ZaloWebhookEvent {
  const message: Record<string, unknown> = { msg_id: m.msgId ?? newMsgId() };
  if (m.text !== undefined) message.text = m.text;
  if (m.attachments) message.attachments = m.attachments;
  if (m.quoteMsgId) message.quote_msg_id = m.quoteMsgId;
  return {
    app_id: ctx.appId, user_id_by_app: `${userId.slice(0, 6)}${userId.length}app`, event_name: `user_send_${kind}`,
    sender: { id: userId }, recipient: { id: ctx.oaId }, message, timestamp: stamp(ctx),
  };
}

/** The attachment payloads Zalo sends for each user_send_* kind. */
export const attachments = {
  image: (url: string): Attachment => ({ type: "image", payload: { thumbnail: url, url } }),
  gif: (url: string): Attachment => ({ type: "gif", payload: { thumbnail: url, url } }),
  file: (url: string, name: string, size: number): Attachment => ({ type: "file", payload: { url, size: String(size), name, checksum: newMsgId(), type: name.split(".").pop() ?? "" } }),
  sticker: (id: string, url: string): Attachment => ({ type: "sticker", payload: { id, url } }),
  audio: (url: string): Attachment => ({ type: "audio", payload: { url } }),
  video: (url: string): Attachment => ({ type: "video", payload: { thumbnail: url, description: "video", url } }),
  location: (latitude: string, longitude: string): Attachment => ({ type: "location", payload: { coordinates: { latitude, longitude } } }),
  link: (url: string, description: string): Attachment => ({ type: "link", payload: { thumbnail: "", description, url } }),
};

export function followEvent(ctx: EventContext, userId: string, follow: boolean): ZaloWebhookEvent {
  return {
    oa_id: ctx.oaId, follower: { id: userId }, user_id_by_app: `${userId.slice(0, 6)}app`, event_name: follow ? "follow" : "unfollow",
    source: "oa_profile", app_id: ctx.appId, timestamp: stamp(ctx),
  };
}

/** What Zalo reports after the OA sent something (from Pano or Zalo's own OA tools). */
export function oaSends(ctx: EventContext, userId: string, m: { text?: string; attachments?: Attachment[] }, msgId = newMsgId()): ZaloWebhookEvent {
  const kind = m.attachments?.length ? m.attachments[0].type : "text";
  return {
    app_id: ctx.appId, user_id_by_app: `${userId.slice(0, 6)}app`, event_name: `oa_send_${kind}`,
    sender: { id: ctx.oaId }, recipient: { id: userId }, message: { msg_id: msgId, ...m }, timestamp: stamp(ctx),
  };
}

export function receipt(ctx: EventContext, userId: string, msgIds: string[], seen: boolean): ZaloWebhookEvent {
  return {
    app_id: ctx.appId, user_id_by_app: `${userId.slice(0, 6)}app`, event_name: seen ? "user_seen_message" : "user_received_message",
    sender: { id: userId }, recipient: { id: ctx.oaId }, message: { msg_ids: msgIds }, timestamp: stamp(ctx),
  };
}

/** Any other event name Zalo may add (Pano must keep it, not drop it). */
export function otherEvent(ctx: EventContext, userId: string, eventName: string, extra: Record<string, unknown> = {}): ZaloWebhookEvent {
  return {
    app_id: ctx.appId, user_id_by_app: `${userId.slice(0, 6)}app`, event_name: eventName,
    sender: { id: userId }, recipient: { id: ctx.oaId }, ...extra, timestamp: stamp(ctx),
  };
}
