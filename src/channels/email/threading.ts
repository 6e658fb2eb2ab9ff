// Which conversation an email belongs to: In-Reply-To and References first (the store looks
// them up among the channel's message external ids), then a Pano token planted in the
// Message-ID of Pano's own mail or in a plus-address Reply-To, then Outlook's Thread-Index.
// Tokens carry an HMAC so a stranger cannot push mail into someone else's conversation by
// guessing a number (or by timing the comparison).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { ChannelRuntime } from "../channel.ts";

/** Message-IDs are stored without angle brackets: `abc@example.com`. */
export function normaliseMessageId(id: string | undefined | null): string | null {
  const t = (id ?? "").trim().replace(/^<+/, "").replace(/>+$/, "").trim();
  return t && t.length <= 900 && !/\s/.test(t) ? t : null;
}

/** All ids in a References/In-Reply-To header, in order; tolerates missing brackets and junk. */
export function messageIdsIn(header: string | string[] | undefined): string[] {
  const raw = Array.isArray(header) ? header.join(" ") : header ?? "";
  const bracketed = raw.match(/<[^<>\s]+>/g);
  const parts = bracketed ?? raw.split(/[\s,]+/);
  return parts.map(normaliseMessageId).filter((x): x is string => !!x && x.includes("@"));
}

/** References oldest first, then In-Reply-To (the message answered) last. */
export function threadRefsOf(references: string | string[] | undefined, inReplyTo: string | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of [...messageIdsIn(references), ...messageIdsIn(inReplyTo)]) {
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  // Keep the newest: those are the ones most likely to be ours.
  return out.slice(-50);
}

// Tokens carry 128 bits of HMAC. Mail Pano sent before carried 40 (10 hex digits); replies to it
// are still accepted with the short form, compared in constant time like the long one.
const TOKEN_HEX = 32;
const OLD_TOKEN_HEX = 10;

function macBytes(key: string, conversationId: number): Buffer {
  return createHmac("sha256", key).update(`c${conversationId}`).digest();
}

function mac(key: string, conversationId: number): string {
  return macBytes(key, conversationId).toString("hex").slice(0, TOKEN_HEX);
}

/** True when `given` is the conversation's token, long or old-short, compared in constant time. */
function tokenMatches(key: string, conversationId: number, given: string): boolean {
  if (given.length !== TOKEN_HEX && given.length !== OLD_TOKEN_HEX) return false;
  const expected = Buffer.from(macBytes(key, conversationId).toString("hex").slice(0, given.length));
  return timingSafeEqual(expected, Buffer.from(given));
}

export function messageIdFor(key: string, conversationId: number, messageId: number, domain: string): string {
  return `pano.c${conversationId}.m${messageId}.${mac(key, conversationId)}@${domain}`;
}

export function plusAddressFor(key: string, conversationId: number, address: string): string {
  const at = address.lastIndexOf("@");
  return `${address.slice(0, at)}+c${conversationId}.${mac(key, conversationId)}${address.slice(at)}`;
}

/** A conversation id from a verified token in any of these ids or addresses. */
export function conversationFromTokens(key: string, ids: string[], addresses: string[]): number | undefined {
  const candidates = [
    ...ids.map((id) => /^pano\.c(\d{1,12})\.m\d+\.([0-9a-f]{32}|[0-9a-f]{10})@/.exec(id)),
    ...addresses.map((a) => /\+c(\d{1,12})\.([0-9a-f]{32}|[0-9a-f]{10})@/.exec(a.toLowerCase())),
  ];
  for (const m of candidates) {
    if (m && tokenMatches(key, Number(m[1]), m[2])) return Number(m[1]);
  }
  return undefined;
}

/** Outlook's Thread-Index: 22 header bytes shared by the whole thread, then 5 bytes per reply. */
export function threadIndexRoot(header: string | undefined): string | null {
  if (!header) return null;
  try {
    const bytes = Buffer.from(header.trim(), "base64");
    return bytes.length >= 22 ? bytes.subarray(0, 22).toString("base64") : null;
  } catch {
    return null;
  }
}

/**
 * A Thread-Index for Pano's own mail in a conversation: Outlook keeps these 22 bytes as the root
 * of every reply, even when it drops In-Reply-To and References. Bytes 0-5 (where Outlook puts
 * the high bytes of a FILETIME; it only compares the root) carry the conversation id, 6-21 its
 * 128-bit HMAC, so the root is a verified token like the Message-ID and stays the same for the
 * whole conversation.
 */
export function threadIndexFor(key: string, conversationId: number): string {
  const b = Buffer.alloc(27);
  b.writeUIntBE(conversationId, 0, 6);
  macBytes(key, conversationId).copy(b, 6, 0, 16);
  return b.subarray(0, 22).toString("base64");
}

export function conversationFromThreadIndex(key: string, header: string | undefined): number | undefined {
  if (!header) return undefined;
  const b = Buffer.from(header.trim(), "base64");
  if (b.length < 22) return undefined;
  const id = b.readUIntBE(0, 6);
  if (id > 0 && timingSafeEqual(macBytes(key, id).subarray(0, 16), b.subarray(6, 22))) return id;
  // The layout Pano used before: id in bytes 6-13, 40 bits of HMAC in 14-18, zeros to 21.
  const old = b.readBigUInt64BE(6);
  if (old <= 0n || old > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  const n = Number(old);
  const expected = Buffer.from(mac(key, n).slice(0, OLD_TOKEN_HEX).padEnd(16, "0"), "hex");
  return timingSafeEqual(expected, b.subarray(14, 22)) ? n : undefined;
}

/** The channel's token key, created on first use and kept in channel_state. */
export async function threadKey(rt: ChannelRuntime, channelId: number): Promise<string> {
  const have = rt.state.get(channelId, "thread_key");
  if (have) return have;
  const key = randomBytes(24).toString("hex");
  await rt.state.set(channelId, "thread_key", key);
  return key;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase() || "pano.local";
}
