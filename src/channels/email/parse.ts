// A parsed mail (mailparser's ParsedMail) -> Pano's normalised events. Pure: the poller does the
// I/O (fetching, parsing bytes, the thread key, Thread-Index lookups) and hands the facts in.
import { createHash } from "node:crypto";
import type { ParsedMail, AddressObject, Attachment, SimpleParserOptions } from "mailparser";
import type { InboundEvent, InboundMessageEvent, InboundAttachment } from "../../domain/message.ts";
import { sanitizeEmailHtml } from "./sanitize.ts";
import { splitReply } from "./quote.ts";
import { automaticKind, headerGetter, readBounce, bounceReason } from "./guard.ts";
import { normaliseMessageId, threadRefsOf, conversationFromTokens, conversationFromThreadIndex, threadIndexRoot } from "./threading.ts";

/**
 * How Pano asks mailparser to read a mail: cid: links kept for sanitize.ts; none of what Pano
 * does not read (text turned into HTML, an MD5 of every attachment: Pano names files by SHA-256).
 */
export const PARSE_OPTIONS: SimpleParserOptions = { keepCidLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: 5_000_000, checksumAlgo: false as unknown as string };

export interface FetchedMail {
  parsed: ParsedMail;
  /** Size on the server; larger than what was parsed when `truncated`. */
  size: number;
  truncated: boolean;
  /** sha256 of the bytes parsed: the id of a mail without a Message-ID, stable across resyncs. */
  rawHash: string;
  /** The bytes parsed; kept as original.eml when the mail is malformed. */
  raw?: Uint8Array;
}

export interface ParseContext {
  channelId: number;
  ownAddress: string;
  threadKey: string;
  publicUrl: string;
  /** Message-ID of the first mail seen with this mail's Thread-Index root (Outlook), if any. */
  threadIndexRef?: string | null;
  now: Date;
}

// Control characters (NUL above all) from broken mail must not reach the database or the UI.
const nfc = (s: string | undefined | null) => (s ?? "").normalize("NFC").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, "");

function addresses(a: AddressObject | AddressObject[] | undefined): { address: string; name: string }[] {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  const out: { address: string; name: string }[] = [];
  const walk = (v: { address?: string; name?: string; group?: any[] }) => {
    if (v.group) v.group.forEach(walk);
    else if (v.address) out.push({ address: v.address.toLowerCase(), name: nfc(v.name) });
  };
  for (const o of list) o.value.forEach(walk);
  return out;
}

function kindOf(contentType: string): InboundAttachment["kind"] {
  const t = contentType.toLowerCase();
  if (t.startsWith("image/")) return "image";
  if (t.startsWith("video/")) return "video";
  if (t.startsWith("audio/")) return "audio";
  return "file";
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** A Date header far in the future or before email existed is a lie; the arrival time is not. */
function sentAt(d: Date | undefined, now: Date): Date {
  const t = d?.getTime();
  return t && t > Date.UTC(1990, 0, 1) && t < now.getTime() + 24 * 3600_000 ? d! : now;
}

export const externalIdOf = (m: FetchedMail) => normaliseMessageId(m.parsed.messageId) ?? `sha256-${m.rawHash}@pano.invalid`;

export function mailToEvents(m: FetchedMail, ctx: ParseContext): InboundEvent[] {
  const p = m.parsed;
  const h = headerGetter([...p.headerLines]);
  const problems: string[] = [];
  const sender = addresses(p.from)[0] ?? addresses(p.replyTo)[0];
  if (!sender) problems.push("no readable sender address / không đọc được địa chỉ người gửi");
  const from = sender ?? { address: "unknown-sender@pano.invalid", name: "" };
  const to = addresses(p.to);
  const cc = addresses(p.cc);
  const own = ctx.ownAddress.toLowerCase();
  // Mail from our own address (sent by hand from another client) is an echo of an outgoing message.
  const outgoing = from.address === own;
  const person = outgoing ? to.find((a) => a.address !== own) ?? from : from;
  const automatic = automaticKind(h, from.address);
  const externalMessageId = externalIdOf(m);

  const inline = new Map<string, string>();
  for (const a of p.attachments) if (a.cid) inline.set(a.cid, `${ctx.publicUrl}/files/${sha256(a.content)}`);
  const safe = p.html ? sanitizeEmailHtml(p.html, inline) : null;

  const fullText = nfc(p.text ?? "").trim();
  const split = splitReply(fullText);
  let text = split.fresh;
  const notes: string[] = [];
  if (m.truncated) {
    const mb = (m.size / 1_000_000).toFixed(1);
    notes.push(`[Thư quá lớn (${mb} MB), Pano chỉ lưu phần đầu / Message too large (${mb} MB), only its beginning was stored]`);
  }
  if (problems.length) notes.push(`[Thư không đúng chuẩn (${problems.join("; ")}); bản gốc được đính kèm / Malformed message; the original is attached]`);
  if (notes.length) text = [text, ...notes].filter(Boolean).join("\n\n");

  const refs = threadRefsOf(p.references, p.inReplyTo);
  if (ctx.threadIndexRef && ctx.threadIndexRef !== externalMessageId && !refs.includes(ctx.threadIndexRef)) refs.unshift(ctx.threadIndexRef);
  const recipients = [...to, ...cc].map((a) => a.address).concat(h("delivered-to") ? [h("delivered-to")!.toLowerCase()] : []);

  const message: InboundMessageEvent = {
    kind: "message",
    channelId: ctx.channelId,
    externalMessageId,
    direction: outgoing ? "out" : "in",
    contact: { externalId: person.address, email: person.address.endsWith("@pano.invalid") ? undefined : person.address, name: person.name || undefined },
    text,
    html: safe?.html || undefined,
    subject: nfc(p.subject).trim().slice(0, 500) || undefined,
    attachments: p.attachments.map((a: Attachment): InboundAttachment => ({
      kind: kindOf(a.contentType),
      name: nfc(a.filename) || `${a.cid ? "inline" : "part"}-${a.partId ?? "1"}.${(a.contentType.split("/")[1] ?? "bin").replace(/[^a-z0-9.+-]/gi, "")}`,
      contentType: a.contentType,
      size: a.size,
      data: new Uint8Array(a.content),
    })).concat(problems.length && m.raw ? [{ kind: "file" as const, name: "original.eml", contentType: "message/rfc822", size: m.raw.byteLength, data: m.raw }] : []),
    occurredAt: sentAt(p.date, ctx.now),
    threadRefs: refs.length ? refs : undefined,
    conversationHint: conversationFromTokens(ctx.threadKey, refs, recipients) ?? conversationFromThreadIndex(ctx.threadKey, h("thread-index")),
    startsNewThread: true,
    automatic: automatic !== null || undefined,
    authorLabel: outgoing ? from.address : undefined,
    meta: {
      message_id: externalMessageId,
      from: from.address,
      to: to.map((a) => a.address),
      ...(cc.length ? { cc: cc.map((a) => a.address) } : {}),
      ...(split.collapsed ? { full_text: fullText } : {}),
      ...(safe?.remoteImages.length ? { remote_images: safe.remoteImages } : {}),
      ...(automatic ? { automatic: automatic } : {}),
      ...(h("thread-index") ? { thread_index: threadIndexRoot(h("thread-index")) } : {}),
      ...(m.truncated ? { truncated: true, size: m.size } : {}),
      ...(problems.length ? { malformed: problems } : {}),
    },
  };
  const events: InboundEvent[] = [message];
  if (automatic === "bounce") {
    const report = readBounce(
      p.attachments.map((a) => ({ contentType: a.contentType, text: a.content.toString("utf8") })),
      fullText,
    );
    message.meta!.bounce = report;
    // The bounce joins the conversation of the mail it reports on (stored there, never reopening it).
    if (report.originalIds.length) message.threadRefs = [...(message.threadRefs ?? []), ...report.originalIds];
    if (report.failed && report.originalIds.length) {
      events.push({ kind: "status", channelId: ctx.channelId, status: "failed", externalMessageIds: report.originalIds, error: bounceReason(report), occurredAt: ctx.now });
    }
  }
  return events;
}

/** What is left of a mail mailparser could not read at all: the raw bytes, kept as a file. */
export function unreadableMail(raw: Uint8Array, size: number, reason: string, ctx: ParseContext): InboundEvent[] {
  const hash = sha256(raw);
  return [{
    kind: "message",
    channelId: ctx.channelId,
    externalMessageId: `sha256-${hash}@pano.invalid`,
    direction: "in",
    contact: { externalId: "unknown-sender@pano.invalid", name: "Không rõ người gửi / Unknown sender" },
    text: `[Pano không đọc được thư này; bản gốc được đính kèm / Pano could not read this message; the original is attached] (${reason})`,
    attachments: [{ kind: "file" as const, name: "original.eml", contentType: "message/rfc822", size, data: raw }],
    occurredAt: ctx.now,
    startsNewThread: true,
    meta: { unreadable: reason, size },
  }];
}
