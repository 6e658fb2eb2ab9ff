// Messages as the domain sees them, and the normalised event every channel produces.
import type { OutboundSurvey } from "./csat.ts";

/**
 * "facebook", "zalo", "email", "api", ...: which kinds exist is the channel registry's to say
 * (src/channels/registry.ts, channelTypes()); types are checked against it at the edge.
 */
export type ChannelType = string;

export const MESSAGE_STATUSES = ["received", "queued", "sent", "delivered", "read", "failed"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export type Direction = "in" | "out";
export type AuthorType = "contact" | "user" | "system";

/** What a channel knows about the person on the other side. */
export interface ContactRef {
  externalId: string;
  name?: string;
  email?: string;
  phone?: string;
  avatarUrl?: string;
}

export interface InboundAttachment {
  kind: "image" | "video" | "audio" | "file" | "sticker" | "location" | "link" | "other";
  name: string;
  contentType: string;
  size?: number;
  /** Provider URL (expires for Facebook); downloaded after commit. */
  url?: string;
  /** Bytes already in hand (email attachments). */
  data?: Uint8Array;
}

/** A message (or echo of one) that a channel received. */
export interface InboundMessageEvent {
  kind: "message";
  channelId: number;
  externalMessageId: string;
  direction: Direction; // "out" for echoes of what the Page/OA sent from elsewhere
  contact: ContactRef;
  text: string;
  html?: string;
  subject?: string;
  attachments: InboundAttachment[];
  occurredAt: Date;
  /** External ids of earlier messages this one answers (email References, quotes). */
  threadRefs?: string[];
  /** Pano conversation id recovered from a token the channel planted (email Message-ID). */
  conversationHint?: number;
  /** When no thread matches: start a new conversation (email) instead of joining the contact's open one. */
  startsNewThread?: boolean;
  /** Auto-replies, bulk mail, bounces: stored, but never reopen or trigger automation. */
  automatic?: boolean;
  /** Content Pano cannot show natively; kept so nothing is lost silently. */
  unsupported?: boolean;
  /** For an echo, who sent it from the provider side ("Page", "OA"). */
  authorLabel?: string;
  /** Channel-specific extras kept on the message (reply_to mid, quick reply payload, ...). */
  meta?: Record<string, unknown>;
  /** A tap on a satisfaction survey's button, as the kind read its payload (docs/csat.md). */
  surveyAnswer?: { surveyId?: number; rating: number };
}

/** Delivery/read receipts and bounces. */
export interface StatusEvent {
  kind: "status";
  channelId: number;
  contactExternalId?: string;
  status: "delivered" | "read" | "failed";
  /** Specific messages, or ... */
  externalMessageIds?: string[];
  /** ... every outgoing message to this contact up to this moment. */
  watermark?: Date;
  error?: string;
  /** The same reason for Vietnamese agents, when the channel words it (an SMS the network could not deliver). */
  errorVi?: string;
  occurredAt: Date;
}

export interface ReactionEvent {
  kind: "reaction";
  channelId: number;
  contactExternalId: string;
  externalMessageId: string;
  emoji: string | null; // null removes the reaction
  occurredAt: Date;
}

/** Follow/unfollow and other facts about a contact on a channel. */
export interface ContactEvent {
  kind: "contact";
  channelId: number;
  contact: ContactRef;
  event: "follow" | "unfollow";
  occurredAt: Date;
}

/**
 * A phone call changed state (rang, was answered, ended). Any channel that carries calls sends these;
 * the store keeps one timeline item per call id, merging redeliveries and events out of order.
 */
export interface CallEvent {
  kind: "call";
  channelId: number;
  callId: string;
  direction: Direction;
  /** The customer's side of the call (their number as externalId and phone). */
  contact: ContactRef;
  /** "missed": ended unanswered; "failed": never rang through (busy network, refused). */
  status: "ringing" | "answered" | "ended" | "missed" | "failed";
  occurredAt: Date;
  startedAt?: Date;
  answeredAt?: Date;
  endedAt?: Date;
  /** Talk time in seconds, when the provider says it. */
  durationS?: number;
  /** Who took it on the shop's side: an agent's email, extension or switchboard user. */
  answeredBy?: string;
  endCause?: string;
  recordingUrl?: string;
  /** The shop's own number on the call (the one dialled, or that called out): reports count per number. */
  shopNumber?: string;
}

export type InboundEvent = InboundMessageEvent | StatusEvent | ReactionEvent | ContactEvent | CallEvent;

export interface OutboundAttachment {
  name: string;
  contentType: string;
  size: number;
  /** Absolute URL under PANO_PUBLIC_URL that the provider can fetch. */
  url: string;
  /** Local file path, for channels that upload bytes (email, Zalo). */
  path: string;
}

/** What the outbox hands a channel to send. */
export interface OutboundMessage {
  messageId: number;
  conversationId: number;
  text: string;
  html?: string;
  attachments: OutboundAttachment[];
  contact: ContactRef;
  /** Human reply or automation: Facebook's HUMAN_AGENT tag is for humans only. */
  authoredBy: "agent" | "automation";
  /** Last message the customer sent in this conversation, for window rules. */
  lastInboundAt: Date | null;
  /** Latest inbound external id (quote target, email In-Reply-To). */
  replyToExternalId?: string;
  /** Email threading: subject and the chain of earlier external ids, oldest first. */
  subject?: string;
  threadRefs: string[];
  createdAt: Date;
  /** What the message was made with beyond its text (a first message's template and data: ChannelKind.outreach). */
  meta?: Record<string, unknown>;
  /** A satisfaction survey: the outbox hands it to the kind's sendSurvey (docs/csat.md). */
  survey?: OutboundSurvey;
}

export type SendResult =
  /** `meta`: facts of the send kept on the message (a ZNS's remaining daily quota). */
  | { ok: true; externalId: string; extraExternalIds?: string[]; meta?: Record<string, unknown> }
  // `reason` is English (the API's `error`), `reasonVi` the same for Vietnamese agents.
  | { ok: false; kind: "retry"; reason: string; reasonVi?: string; afterMs?: number }
  | { ok: false; kind: "failed"; code: string; reason: string; reasonVi?: string }
  | { ok: false; kind: "reconnect"; code: string; reason: string; reasonVi?: string };

const STATUS_RANK: Record<MessageStatus, number> = { queued: 0, failed: 0, received: 0, sent: 1, delivered: 2, read: 3 };

/** Receipts can arrive out of order: a status only moves forward (sent -> delivered -> read). */
export function advanceStatus(current: MessageStatus, next: MessageStatus): MessageStatus {
  if (next === "failed") return current === "queued" || current === "sent" ? "failed" : current;
  if (current === "failed" && next === "sent") return next;
  return STATUS_RANK[next] > STATUS_RANK[current] ? next : current;
}

/** Split text into parts of at most `limit` characters, preferring paragraph, line and word breaks. */
export function splitText(text: string, limit: number): string[] {
  const chars = Array.from(text);
  if (chars.length <= limit) return [text];
  const parts: string[] = [];
  let rest = chars;
  while (rest.length > limit) {
    const window = rest.slice(0, limit).join("");
    let cut = Math.max(window.lastIndexOf("\n\n"), window.lastIndexOf("\n"));
    if (cut < limit * 0.5) cut = window.lastIndexOf(" ");
    if (cut < limit * 0.5) cut = limit;
    const head = Array.from(window).slice(0, cut);
    parts.push(head.join("").trimEnd());
    rest = rest.slice(head.length);
    while (rest.length && /\s/.test(rest[0])) rest = rest.slice(1);
  }
  if (rest.length) parts.push(rest.join(""));
  return parts;
}

// Whitespace other than a single space: most texts have none, and testing is a third of replacing.
const COLLAPSIBLE = /[^\S ]| {2}/;

/** The queue's one-line preview of a message: its text, else the kind of its first attachment. */
export function previewOf(text: string, attachmentKinds: string[]): string {
  const t = (COLLAPSIBLE.test(text) ? text.replace(/\s+/g, " ") : text).trim();
  if (t) return t.slice(0, 160);
  return attachmentKinds.length ? `[${attachmentKinds[0]}]` : "";
}
