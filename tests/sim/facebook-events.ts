// Messenger webhook events exactly as Meta shapes them (messages, echoes, postbacks, receipts,
// reactions), the batch envelope, and the signatures over the raw bytes.
import { createHmac, randomBytes } from "node:crypto";

export type FbEvent = Record<string, unknown> & { sender: { id: string }; recipient: { id: string }; timestamp: number };

/** Real mids are long opaque base64url strings starting "m_". */
export const newMid = () => `m_${randomBytes(24).toString("base64url")}`;

export interface MessageOptions {
  mid?: string;
  timestamp?: number;
  quickReply?: string;
  replyTo?: string;
  attachments?: { type: "image" | "video" | "audio" | "file" | "sticker" | "fallback"; url?: string; title?: string; stickerId?: number }[];
}

function attachmentsOf(list: MessageOptions["attachments"]) {
  return list?.map((a) =>
    a.type === "fallback"
      ? { type: "fallback", title: a.title ?? "", url: a.url, payload: { url: a.url, title: a.title ?? "" } }
      : { type: a.type, payload: { url: a.url, ...(a.stickerId ? { sticker_id: a.stickerId } : {}) } },
  );
}

export function customerMessage(pageId: string, psid: string, text: string | null, o: MessageOptions = {}): FbEvent {
  const message: Record<string, unknown> = { mid: o.mid ?? newMid() };
  if (text !== null) message.text = text;
  if (o.attachments) message.attachments = attachmentsOf(o.attachments);
  if (o.quickReply !== undefined) message.quick_reply = { payload: o.quickReply };
  if (o.replyTo) message.reply_to = { mid: o.replyTo };
  return { sender: { id: psid }, recipient: { id: pageId }, timestamp: o.timestamp ?? Date.now(), message };
}

/** What the Page sent (from Pano, Meta Business Suite or another app), echoed back. */
export function echoMessage(pageId: string, psid: string, text: string | null, o: MessageOptions & { appId: string; metadata?: string }): FbEvent {
  const message: Record<string, unknown> = { mid: o.mid ?? newMid(), is_echo: true, app_id: Number(o.appId) };
  if (o.metadata) message.metadata = o.metadata;
  if (text !== null) message.text = text;
  if (o.attachments) message.attachments = attachmentsOf(o.attachments);
  return { sender: { id: pageId }, recipient: { id: psid }, timestamp: o.timestamp ?? Date.now(), message };
}

export function postback(pageId: string, psid: string, title: string, payload: string, timestamp = Date.now()): FbEvent {
  return { sender: { id: psid }, recipient: { id: pageId }, timestamp, postback: { mid: newMid(), title, payload } };
}

export function delivery(pageId: string, psid: string, mids: string[], watermark = Date.now()): FbEvent {
  return { sender: { id: psid }, recipient: { id: pageId }, timestamp: Date.now(), delivery: { mids, watermark } };
}

export function read(pageId: string, psid: string, watermark = Date.now()): FbEvent {
  return { sender: { id: psid }, recipient: { id: pageId }, timestamp: Date.now(), read: { watermark } };
}

export function reaction(pageId: string, psid: string, mid: string, emoji: string | null, name = "love"): FbEvent {
  const r = emoji === null ? { mid, action: "unreact" } : { mid, action: "react", reaction: name, emoji };
  return { sender: { id: psid }, recipient: { id: pageId }, timestamp: Date.now(), reaction: r };
}

export interface Entry {
  pageId: string;
  events: FbEvent[];
  /** Handover protocol: events while another app holds the thread. */
  standby?: boolean;
}

/** The POST body Meta sends: one object, several entries (Pages), several events each. */
export function batchBody(entries: Entry[]): string {
  return JSON.stringify({
    object: "page",
    entry: entries.map((e) => ({ id: e.pageId, time: Date.now(), [e.standby ? "standby" : "messaging"]: e.events })),
  });
}

export function signatureHeaders(raw: string, appSecret: string): Record<string, string> {
  return {
    "x-hub-signature-256": "sha256=" + createHmac("sha256", appSecret).update(raw).digest("hex"),
    // Meta still sends the legacy SHA-1 header beside it.
    "x-hub-signature": "sha1=" + createHmac("sha1", appSecret).update(raw).digest("hex"),
  };
}
