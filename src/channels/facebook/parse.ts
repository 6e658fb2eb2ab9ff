// A verified delivery for one Page -> normalised events. Pure: no I/O, never throws on odd
// events; anything Pano cannot show is kept as an "[Unsupported content]" message.
import { surveyTap } from "./survey.ts";
import { METADATA_PREFIX } from "./metadata.ts";
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
// Read by hand rather than by a schema library: this runs for every event of every delivery.
type Obj = Record<string, unknown>;
const DROPPED = Symbol("dropped");
type Read<T> = T | undefined | typeof DROPPED;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === "string";
const asId = (v: unknown): string | null => (isStr(v) ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : null);

class EventReader {
  problems: string[] = [];

  drop(what: string, input: unknown): typeof DROPPED {
    this.problems.push(`${what}: ${clipped(JSON.stringify(input) ?? String(input), 60)}`);
    return DROPPED;
  }

  /** An optional field: absent stays absent, a wrong type is dropped and told. */
  field<T>(o: Obj, key: string, what: string, read: (v: unknown) => T | null): Read<T> {
    if (!(key in o) || o[key] === undefined) return undefined;
    const v = read(o[key]);
    return v === null ? this.drop(what, o[key]) : v;
  }

  /**
   * The object with `fields` read into it (shape keys first, then the rest as sent); the input
   * itself when every field read as it was sent, as nearly every event does (no copy per event).
   */
  object(input: Obj, fields: Record<string, Read<unknown>>): Obj {
    let same = true;
    for (const k in fields) {
      const v = fields[k];
      if (v === DROPPED || (v !== undefined && v !== input[k])) {
        same = false;
        break;
      }
    }
    if (same) return input;
    const out: Obj = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined || k in input) out[k] = v === DROPPED ? undefined : v;
    for (const k of Object.keys(input)) if (!(k in out)) out[k] = input[k];
    return out;
  }
}

const str = (v: unknown) => (isStr(v) ? v : null);
/** A sender or recipient with its id as a string (Meta sends strings; a number is converted). */
const withId = (v: Obj): Obj => (isStr(v.id) ? v : { ...v, id: asId(v.id) });
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : isStr(v) && /^\d+$/.test(v) ? Number(v) : null);
const optStr = (o: Obj, k: string) => o[k] === undefined || isStr(o[k]);

/** An attachment whose every read field has its type, else null (dropped whole, as Meta never sends that). */
function attachmentShape(a: unknown): Obj | null | undefined {
  if (a === null || a === undefined) return undefined;
  if (!isObj(a) || !optStr(a, "type") || !optStr(a, "title")) return null;
  const p = a.payload;
  if (p !== undefined && p !== null && (!isObj(p) || !optStr(p, "url") || !optStr(p, "title"))) return null;
  return a;
}

function messageShape(r: EventReader, m: unknown): Obj | null {
  if (!isObj(m)) return null;
  // In the order Pano has always told problems in: mid, text, is_echo, app_id, metadata, attachments, ...
  return r.object(m, {
    mid: r.field(m, "mid", "message.mid", asId),
    text: r.field(m, "text", "message.text", asId),
    is_echo: r.field(m, "is_echo", "message.is_echo", (v) => (typeof v === "boolean" ? v : null)),
    app_id: r.field(m, "app_id", "message.app_id", asId),
    metadata: r.field(m, "metadata", "message.metadata", str),
    attachments: r.field(m, "attachments", "message.attachments", (v) => {
      if (!Array.isArray(v)) return null;
      const kept: Obj[] = [];
      for (const a of v) {
        const shaped = attachmentShape(a);
        if (shaped === null) r.drop("message.attachments[]", a);
        else if (shaped) kept.push(shaped);
      }
      return kept;
    }),
    quick_reply: r.field(m, "quick_reply", "message.quick_reply", (v) => (isObj(v) && optStr(v, "payload") ? v : null)),
    reply_to: r.field(m, "reply_to", "message.reply_to", (v) => (isObj(v) && optStr(v, "mid") ? v : null)),
  });
}

/** The event with every field Pano reads of the right type (or absent), and what had to be dropped. */
function readable(ev: unknown): { event: FbEvent | null; problems: string[] } {
  if (!isObj(ev)) return { event: null, problems: ["not an object"] };
  const r = new EventReader();
  const strings = (o: Obj, prefix: string, keys: string[]) => r.object(o, Object.fromEntries(keys.map((k) => [k, r.field(o, k, `${prefix}.${k}`, str)])));
  const fields: Record<string, Read<unknown>> = {
    sender: r.field(ev, "sender", "sender", (v) => (isObj(v) && asId(v.id) !== null ? withId(v) : null)),
    recipient: r.field(ev, "recipient", "recipient", (v) => (isObj(v) && (v.id === undefined || asId(v.id) !== null) ? (v.id === undefined ? v : withId(v)) : null)),
    timestamp: r.field(ev, "timestamp", "timestamp", num),
    message: r.field(ev, "message", "message", (v) => messageShape(r, v)),
    postback: r.field(ev, "postback", "postback", (v) => (isObj(v) ? strings(v, "postback", ["title", "payload", "mid"]) : null)),
    delivery: r.field(ev, "delivery", "delivery", (v) => {
      if (!isObj(v)) return null;
      const mids = r.field(v, "mids", "delivery.mids", (x) => (Array.isArray(x) && x.every((id) => asId(id) !== null) ? x.map((id) => asId(id)!) : null));
      return r.object(v, { mids, watermark: r.field(v, "watermark", "delivery.watermark", num) });
    }),
    read: r.field(ev, "read", "read", (v) => (isObj(v) ? r.object(v, { watermark: r.field(v, "watermark", "read.watermark", num) }) : null)),
    reaction: r.field(ev, "reaction", "reaction", (v) => (isObj(v) ? strings(v, "reaction", ["mid", "action", "reaction", "emoji"]) : null)),
  };
  return { event: r.object(ev, fields) as FbEvent, problems: r.problems };
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
