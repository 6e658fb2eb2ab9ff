// Zalo's oa_send_* echo carries no metadata Pano could plant, so the ids Zalo gave Pano's own
// sends are remembered here for a while: an echo with one of them links to the message Pano
// already stores (meta.panoMessageId), even for the second part of a split reply.
const TTL_MS = 30 * 60_000;
const MAX = 50_000;
const sent = new Map<string, { messageId: number; at: number }>();

export function rememberSent(channelId: number, zaloMsgIds: string[], messageId: number, now = Date.now()): void {
  for (const id of zaloMsgIds) sent.set(`${channelId}:${id}`, { messageId, at: now });
  if (sent.size > MAX) {
    for (const [k, v] of sent) if (now - v.at > TTL_MS || sent.size > MAX) sent.delete(k);
  }
}

export function panoMessageFor(channelId: number, zaloMsgId: string, now = Date.now()): number | null {
  const hit = sent.get(`${channelId}:${zaloMsgId}`);
  return hit && now - hit.at <= TTL_MS ? hit.messageId : null;
}
