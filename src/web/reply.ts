// Posting a reply or private note, the same from the composer and POST /api/v1/conversations/:id/messages:
// each checks its input in its own words first; then the files are written to disk and the message
// with its outbox row in one transaction. Also the channel's own rules for replying now, which the
// composer shows before the agent types.
import type { Pano } from "../pano.ts";
import type { ComposerVerdict } from "../channels/channel.ts";
import type { ChannelRecord } from "../store/channels.ts";
import type { ConversationRow } from "../store/conversations.ts";
import { channelKind, hasChannelKind } from "../channels/registry.ts";
import { identityFollows } from "../store/contacts.ts";
import { createReply } from "../store/outbound.ts";
import { storeReplyFiles } from "./reply-files.ts";

/** Messenger's 24 h / 7 day window, a Zalo user who unfollowed...; null when the channel has no rules. */
export function channelReplyRules(pano: Pano, conv: ConversationRow, channel: ChannelRecord): ComposerVerdict | null {
  const kind = hasChannelKind(channel.type) ? channelKind(channel.type) : null;
  if (!kind?.composer) return null;
  const follows = identityFollows(pano.store.sqlite, conv.contact_id, conv.channel_id);
  return kind.composer(
    { lastInboundAt: conv.last_inbound_at ? new Date(conv.last_inbound_at) : null, now: new Date(), contactFollows: follows === null ? null : follows === 1 },
    channel,
  );
}

export interface ReplyPost {
  text: string;
  private: boolean;
  /** Already checked (filesProblem) by the caller. */
  files: File[];
  userId: number;
}

/** Resolves with the new message's id once it is committed (queued, or stored if private). */
export async function postReply(pano: Pano, conv: ConversationRow, r: ReplyPost): Promise<number> {
  const attachments = await storeReplyFiles(r.files, pano.config.dataDir);
  return pano.writer.submit((tx) => createReply(tx, { conversationId: conv.id, text: r.text, private: r.private, userId: r.userId, attachments }));
}
