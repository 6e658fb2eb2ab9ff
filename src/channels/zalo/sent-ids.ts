// Zalo's oa_send_* echo carries no metadata Pano could plant, so Pano remembers its own sends: the
// ids Zalo gave them, and, for an echo that overtakes the send's own answer, what each part said
// to whom. An echo matching either links to the message Pano already stores (meta.panoMessageId).
const TTL_MS = 30 * 60_000;
const MAX = 50_000;
const sent = new Map<string, { messageId: number; at: number }>();
/** Parts in flight per (channel, user, content), oldest first. */
const pending = new Map<string, { messageId: number; at: number }[]>();

/** What an echo is matched on: the part's text, or "[image]" / "[file]". */
export interface EchoKey { userId: string; content: string }
const keyOf = (channelId: number, k: EchoKey) => `${channelId}:${k.userId}:${k.content}`;

function take(channelId: number, k: EchoKey, now: number, messageId?: number): number | null {
  const key = keyOf(channelId, k);
  const queue = (pending.get(key) ?? []).filter((p) => now - p.at <= TTL_MS);
  const i = messageId === undefined ? 0 : queue.findIndex((p) => p.messageId === messageId);
  const [hit] = i >= 0 ? queue.splice(i, 1) : [];
  if (queue.length) pending.set(key, queue);
  else pending.delete(key);
  return hit?.messageId ?? null;
}

/** Before a part goes out. */
export function expectEcho(channelId: number, k: EchoKey, messageId: number, now = Date.now()): void {
  const key = keyOf(channelId, k);
  pending.set(key, [...(pending.get(key) ?? []), { messageId, at: now }]);
  if (pending.size > MAX) pending.delete(pending.keys().next().value!);
}

/** The part went out as `zaloMsgId` (or failed, with no id): it no longer waits by content. */
export function settleEcho(channelId: number, k: EchoKey, messageId: number, zaloMsgId: string | null, now = Date.now()): void {
  take(channelId, k, now, messageId);
  if (!zaloMsgId) return;
  sent.set(`${channelId}:${zaloMsgId}`, { messageId, at: now });
  if (sent.size > MAX) for (const [id, v] of sent) if (now - v.at > TTL_MS || sent.size > MAX) sent.delete(id);
}

export function panoMessageFor(channelId: number, zaloMsgId: string, echo?: EchoKey, now = Date.now()): number | null {
  const hit = sent.get(`${channelId}:${zaloMsgId}`);
  if (hit && now - hit.at <= TTL_MS) return hit.messageId;
  return echo ? take(channelId, echo, now) : null;
}
