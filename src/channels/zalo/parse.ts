// A verified Zalo event -> Pano's normalised events. Ids and the timestamp arrive as strings.
// Every event that names a user is kept: what Pano cannot show natively is stored as unsupported.
import type { Channel } from "../channel.ts";
import type { InboundAttachment, InboundEvent, InboundMessageEvent } from "../../domain/message.ts";
import type { ZaloConfig } from "./config.ts";
import type { ZaloEvent } from "./webhook.ts";
import { panoMessageFor } from "./sent-ids.ts";

const at = (e: ZaloEvent) => {
  const ms = Number(e.timestamp);
  return new Date(Number.isFinite(ms) && ms > 0 ? ms : Date.now());
};

const MIME: Record<string, string> = {
  pdf: "application/pdf", doc: "application/msword", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xls: "application/vnd.ms-excel", xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv", txt: "text/plain", zip: "application/zip", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg",
};

const httpUrl = (v: unknown) => (typeof v === "string" && /^https?:\/\//i.test(v) ? v : undefined);
const coordinate = (v: unknown) => (typeof v === "number" || (typeof v === "string" && v.trim() !== "") ? Number(v) : NaN);

function attachmentOf(a: { type?: string; payload?: Record<string, any> } | null): { file?: InboundAttachment; text?: string; meta?: Record<string, unknown> } {
  // A null or non-object attachment is skipped, never a reason to refuse the whole delivery.
  if (!a || typeof a !== "object") return {};
  const p = a.payload && typeof a.payload === "object" ? a.payload : {};
  const url = httpUrl(p.url);
  switch (a.type) {
    case "image":
      return { file: { kind: "image", name: "image.jpg", contentType: "image/jpeg", url } };
    case "gif":
      return { file: { kind: "image", name: "image.gif", contentType: "image/gif", url } };
    case "sticker":
      return { file: { kind: "sticker", name: `sticker-${p.id ?? "zalo"}.png`, contentType: "image/png", url }, meta: { sticker_id: p.id } };
    case "audio":
      return { file: { kind: "audio", name: "voice.aac", contentType: "audio/aac", url } };
    case "video":
      return { file: { kind: "video", name: "video.mp4", contentType: "video/mp4", url } };
    case "file": {
      const name = String(p.name ?? "file");
      const ext = String(p.type ?? name.split(".").pop() ?? "").toLowerCase();
      const size = Number(p.size);
      return { file: { kind: "file", name, contentType: MIME[ext] ?? "application/octet-stream", size: Number.isFinite(size) ? size : undefined, url } };
    }
    case "location": {
      // Coordinates become text with a map link: nothing to download, still readable and searchable.
      const c = p.coordinates ?? {};
      const [lat, lng] = [coordinate(c.latitude), coordinate(c.longitude)];
      if (!Number.isFinite(lat) || !Number.isFinite(lng)) return { text: "📍", meta: { location: null } };
      const where = `${lat},${lng}`;
      return { text: `📍 ${where} https://maps.google.com/?q=${where}`, meta: { location: { latitude: c.latitude, longitude: c.longitude } } };
    }
    case "link":
      // A shared link is text, not a file: downloading a web page as an attachment would be wrong.
      // Only http(s) survives: a javascript: link would otherwise become a clickable href.
      return { text: [p.description, httpUrl(p.url)].filter(Boolean).join(" "), meta: { link: { url: httpUrl(p.url), thumbnail: httpUrl(p.thumbnail) } } };
    default:
      return { meta: { unsupported_attachment: a } };
  }
}

function messageEvent(e: ZaloEvent, channelId: number, direction: "in" | "out", userId: string): InboundMessageEvent {
  const m = e.message ?? {};
  const files: InboundAttachment[] = [];
  const texts: string[] = typeof m.text === "string" && m.text ? [m.text] : [];
  let meta: Record<string, unknown> = {};
  for (const a of Array.isArray(m.attachments) ? m.attachments : []) {
    const r = attachmentOf(a);
    if (r.file) files.push(r.file);
    if (r.text && !texts.includes(r.text)) texts.push(r.text);
    if (r.meta) meta = { ...meta, ...r.meta };
  }
  const msgId = String(m.msg_id ?? `${e.event_name}:${userId}:${e.timestamp}`);
  if (m.quote_msg_id) meta.quote_msg_id = String(m.quote_msg_id);
  if (direction === "out") {
    const kind = String(e.event_name).replace(/^oa_send_/, "");
    const panoId = panoMessageFor(channelId, msgId, { userId, content: kind === "image" || kind === "file" ? `[${kind}]` : texts.join("\n") });
    if (panoId) meta.panoMessageId = panoId;
  }
  return {
    kind: "message", channelId, externalMessageId: msgId, direction,
    contact: { externalId: userId }, text: texts.join("\n"), attachments: files, occurredAt: at(e),
    threadRefs: m.quote_msg_id ? [String(m.quote_msg_id)] : undefined,
    authorLabel: direction === "out" ? "OA" : undefined,
    meta: Object.keys(meta).length ? meta : undefined,
  };
}

// Zalo's reaction icons are text codes; the common ones map to emoji, others are kept as sent.
const REACTIONS: Record<string, string> = { "/-heart": "❤️", "/-strong": "👍", ":>": "😆", ":o": "😮", ":-((": "😢", ":-h": "😡", "/-ok": "👌", "/-weak": "👎" };

export function parseZalo(payload: unknown, channel: Channel<ZaloConfig>): InboundEvent[] {
  const e = payload as ZaloEvent;
  const name = String(e.event_name);
  const channelId = channel.id;
  const user = (v: unknown) => (v === undefined || v === null || v === "" ? null : String(v));
  if (name === "follow" || name === "unfollow") {
    const id = user(e.follower?.id);
    return id ? [{ kind: "contact", channelId, contact: { externalId: id }, event: name, occurredAt: at(e) }] : [];
  }
  if (name === "user_seen_message" || name === "user_received_message") {
    const ids = (Array.isArray(e.message?.msg_ids) ? e.message.msg_ids : [e.message?.msg_id]).filter(Boolean).map(String);
    const id = user(e.sender?.id);
    if (!ids.length && !id) return [];
    return [{ kind: "status", channelId, contactExternalId: id ?? undefined, status: name === "user_seen_message" ? "read" : "delivered", externalMessageIds: ids.length ? ids : undefined, watermark: ids.length ? undefined : at(e), occurredAt: at(e) }];
  }
  if (name === "user_reacted_message" || name === "oa_reacted_message") {
    const id = user(name.startsWith("oa_") ? e.recipient?.id : e.sender?.id);
    const icon = e.message?.react_icon;
    if (id && e.message?.msg_id) return [{ kind: "reaction", channelId, contactExternalId: id, externalMessageId: String(e.message.msg_id), emoji: icon ? REACTIONS[icon] ?? String(icon) : null, occurredAt: at(e) }];
  }
  if (name.startsWith("user_send_")) {
    const id = user(e.sender?.id);
    if (id) return [messageEvent(e, channelId, "in", id)];
  }
  if (name.startsWith("oa_send_")) {
    const id = user(e.recipient?.id);
    if (id) return [messageEvent(e, channelId, "out", id)];
  }
  // Anything else that names a user is stored as unsupported content, with the raw event.
  // The customer is the recipient only of the OA's own events; a user event without a sender names
  // nobody (falling back to the recipient would make the OA its own customer).
  const id = name.startsWith("oa_") ? user(e.recipient?.id) : name.startsWith("user_send_") ? null : user(e.sender?.id ?? e.follower?.id ?? e.user_id);
  if (!id) return [];
  const msgId = e.message?.msg_id ? String(e.message.msg_id) : `${name}:${id}:${e.timestamp}`;
  return [{
    kind: "message", channelId, externalMessageId: msgId, direction: name.startsWith("oa_") ? "out" : "in",
    contact: { externalId: id }, text: typeof e.message?.text === "string" ? e.message.text : `[Zalo: ${name}]`,
    attachments: [], occurredAt: at(e), unsupported: true, meta: { zalo_event: name, raw: e },
  }];
}
