// A verified delivery for one Page -> normalised events. Pure: no I/O, never throws on odd
// events; anything Pano cannot show is kept as an "[Unsupported content]" message.
import { surveyTap } from "./survey.ts";
import { METADATA_PREFIX } from "./metadata.ts";
import { z } from "zod";
import type { Channel, SkipEvent } from "../channel.ts";
import { clipped } from "../../log.ts";
import type { InboundAttachment, InboundEvent, InboundMessageEvent } from "../../domain/message.ts";
import type { FacebookConfig } from "./config.ts";
import type { FacebookPayload } from "./webhook.ts";

interface FbAttachment { type?: string; title?: string; payload?: { url?: string; sticker_id?: number; coordinates?: unknown; title?: string } | null }
interface FbMessage {
  mid?: string; text?: string; is_echo?: boolean; app_id?: number | string; metadata?: string;
  attachments?: FbAttachment[]; quick_reply?: { payload?: string }; reply_to?: { mid?: string; is_self_reply?: boolean };
}
interface FbEvent {
  sender?: { id?: string }; recipient?: { id?: string }; timestamp?: number;
  message?: FbMessage;
  postback?: { title?: string; payload?: string; mid?: string };
  delivery?: { mids?: string[]; watermark?: number };
  read?: { watermark?: number };
  reaction?: { mid?: string; action?: string; reaction?: string; emoji?: string };
}

export const UNSUPPORTED_TEXT = "[Unsupported content]";

const KNOWN_KINDS = new Set(["image", "video", "audio", "file", "sticker", "location"]);
const DEFAULT_TYPES: Record<string, string> = { image: "image/jpeg", video: "video/mp4", audio: "audio/mpeg", sticker: "image/png" };
const BY_EXTENSION: Record<string, string> = {
  jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", gif: "image/gif", webp: "image/webp", mp4: "video/mp4",
  mp3: "audio/mpeg", m4a: "audio/mp4", ogg: "audio/ogg", pdf: "application/pdf", txt: "text/plain",
  doc: "application/msword", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xls: "application/vnd.ms-excel", xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

function fileNameOf(url: string | undefined, type: string): string {
  try {
    const last = url ? decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "") : "";
    if (last && last.includes(".")) return last.slice(0, 200);
  } catch {
    // a malformed URL still leaves the attachment, named by its type
  }
  return type;
}

function attachmentOf(a: FbAttachment): InboundAttachment {
  const type = String(a.type ?? "other");
  // Only http(s) is a file to fetch; a file:, data: or javascript: "URL" is kept as nothing.
  const url = typeof a.payload?.url === "string" && /^https?:\/\//i.test(a.payload.url) ? a.payload.url : undefined;
  const name = fileNameOf(url, type);
  const ext = name.includes(".") ? name.split(".").pop()!.toLowerCase() : "";
  const kind = (KNOWN_KINDS.has(type) ? type : type === "fallback" ? "link" : "other") as InboundAttachment["kind"];
  // Share cards and templates are links to open, not files to keep.
  const fetchable = kind !== "link" && kind !== "other" && kind !== "location";
  return { kind, name, contentType: BY_EXTENSION[ext] ?? DEFAULT_TYPES[type] ?? "application/octet-stream", url: fetchable ? url : undefined };
}

function messageEvent(channelId: number, ev: FbEvent, m: FbMessage, at: Date): InboundMessageEvent {
  const echo = m.is_echo === true;
  const meta: Record<string, unknown> = {};
  if (m.quick_reply?.payload !== undefined) meta.quick_reply_payload = m.quick_reply.payload;
  if (m.reply_to?.mid) meta.reply_to = m.reply_to.mid;
  const links = (m.attachments ?? []).filter((a) => a.type === "fallback" || a.type === "template");
  if (links.length) meta.links = links.map((a) => ({ type: a.type, title: a.title ?? a.payload?.title, url: a.payload?.url }));
  if (echo) {
    if (m.app_id !== undefined) meta.app_id = String(m.app_id);
    if (m.metadata?.startsWith(METADATA_PREFIX)) meta.panoMessageId = Number(m.metadata.slice(METADATA_PREFIX.length));
  }
  return {
    kind: "message",
    channelId,
    externalMessageId: String(m.mid ?? `nomid-${ev.sender?.id}-${ev.timestamp}`),
    // An echo is the Page speaking: the customer is the recipient.
    direction: echo ? "out" : "in",
    contact: { externalId: String(echo ? ev.recipient?.id : ev.sender?.id) },
    text: m.text ?? "",
    attachments: (m.attachments ?? []).filter((a) => a.type !== "fallback" && a.type !== "template").map(attachmentOf),
    occurredAt: at,
    authorLabel: echo ? "Page" : undefined,
    meta: Object.keys(meta).length ? meta : undefined,
    surveyAnswer: echo ? undefined : surveyTap(m.quick_reply?.payload),
  };
}

function unsupported(channelId: number, ev: FbEvent, at: Date): InboundMessageEvent {
  const kind = Object.keys(ev).find((k) => k !== "sender" && k !== "recipient" && k !== "timestamp") ?? "unknown";
  return {
    kind: "message", channelId,
    // Deterministic, so a redelivery of the same odd event is still stored once.
    externalMessageId: `unsupported-${kind}-${ev.sender?.id}-${ev.timestamp}`,
    direction: "in", contact: { externalId: String(ev.sender?.id) }, text: UNSUPPORTED_TEXT, attachments: [],
    occurredAt: at, unsupported: true, meta: { facebook_kind: kind, raw: JSON.stringify(ev).slice(0, 4000) },
  };
}

function eventsOf(channelId: number, ev: FbEvent): InboundEvent[] {
  if (!ev || typeof ev !== "object" || !ev.sender?.id) return [];
  const at = new Date(Number(ev.timestamp) || Date.now());
  const who = String(ev.sender.id);
  if (ev.message) return [messageEvent(channelId, ev, ev.message, at)];
  if (ev.postback) {
    const p = ev.postback;
    return [{
      kind: "message", channelId, externalMessageId: String(p.mid ?? `postback-${who}-${ev.timestamp}`), direction: "in",
      contact: { externalId: who }, text: p.title ?? p.payload ?? "", attachments: [], occurredAt: at,
      meta: { postback_payload: p.payload ?? null },
    }];
  }
  if (ev.delivery) {
    const d = ev.delivery;
    return [{
      kind: "status", channelId, contactExternalId: who, status: "delivered", occurredAt: at,
      externalMessageIds: d.mids?.length ? d.mids.map(String) : undefined,
      watermark: d.mids?.length ? undefined : new Date(Number(d.watermark) || at.getTime()),
    }];
  }
  if (ev.read) return [{ kind: "status", channelId, contactExternalId: who, status: "read", watermark: new Date(Number(ev.read.watermark) || at.getTime()), occurredAt: at }];
  if (ev.reaction?.mid) {
    const r = ev.reaction;
    return [{ kind: "reaction", channelId, contactExternalId: who, externalMessageId: String(r.mid), emoji: r.action === "unreact" ? null : r.emoji ?? r.reaction ?? null, occurredAt: at }];
  }
  return [unsupported(channelId, ev, at)];
}

// The fields Pano reads, with the types it reads them as. A field of the wrong type is dropped
// (and told), not the event: one odd event in a batch costs neither itself nor its neighbours.
let dropped: string[] = [];
const drop = (what: string) => (ctx: { input: unknown }) => {
  dropped.push(`${what}: ${clipped(JSON.stringify(ctx.input) ?? String(ctx.input), 60)}`);
  return undefined;
};
const str = (what: string) => z.string().optional().catch(drop(what));
const id = z.union([z.string(), z.number().transform(String)]);
const num = (what: string) => z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional().catch(drop(what));
const attachment = z.looseObject({ type: z.string().optional(), title: z.string().optional(), payload: z.looseObject({ url: z.string().optional(), title: z.string().optional() }).nullable().optional() });
const fbEventShape = z.looseObject({
  sender: z.looseObject({ id }).optional().catch(drop("sender")),
  recipient: z.looseObject({ id: id.optional() }).optional().catch(drop("recipient")),
  timestamp: num("timestamp"),
  message: z.looseObject({
    mid: id.optional().catch(drop("message.mid")),
    text: z.union([z.string(), z.number().transform(String)]).optional().catch(drop("message.text")),
    is_echo: z.boolean().optional().catch(drop("message.is_echo")), app_id: id.optional().catch(drop("message.app_id")), metadata: str("message.metadata"),
    attachments: z.array(attachment.nullish().catch(drop("message.attachments[]")))
      .transform((list) => list.filter((a) => !!a)).optional().catch(drop("message.attachments")),
    quick_reply: z.looseObject({ payload: z.string().optional() }).optional().catch(drop("message.quick_reply")),
    reply_to: z.looseObject({ mid: z.string().optional() }).optional().catch(drop("message.reply_to")),
  }).optional().catch(drop("message")),
  postback: z.looseObject({ title: str("postback.title"), payload: str("postback.payload"), mid: str("postback.mid") }).optional().catch(drop("postback")),
  delivery: z.looseObject({ mids: z.array(id).optional().catch(drop("delivery.mids")), watermark: num("delivery.watermark") }).optional().catch(drop("delivery")),
  read: z.looseObject({ watermark: num("read.watermark") }).optional().catch(drop("read")),
  reaction: z.looseObject({ mid: str("reaction.mid"), action: str("reaction.action"), reaction: str("reaction.reaction"), emoji: str("reaction.emoji") }).optional().catch(drop("reaction")),
});

/** The event with every field Pano reads of the right type (or absent), and what had to be dropped. */
function readable(ev: unknown): { event: FbEvent | null; problems: string[] } {
  dropped = [];
  const r = fbEventShape.safeParse(ev);
  return { event: r.success ? (r.data as FbEvent) : null, problems: r.success ? dropped : ["not an object"] };
}

export function parseFacebook(payload: unknown, channel: Channel<FacebookConfig>, skip?: SkipEvent): InboundEvent[] {
  const out: InboundEvent[] = [];
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  for (const entry of list((payload as FacebookPayload).entries)) {
    // Handover protocol: while another app holds the thread, the same events arrive in standby[].
    for (const ev of [...list(entry?.messaging), ...list(entry?.standby)]) {
      const { event, problems } = readable(ev);
      if (problems.length) skip?.(problems.join("; "), ev);
      try {
        if (event) out.push(...eventsOf(channel.id, event));
      } catch (err) {
        skip?.(String(err), ev);
      }
    }
  }
  return out;
}
