// Which conversations a channel has delivered for on another channel's behalf (a website chat's
// reply mailed through an email channel to a visitor who left). The delivering channel remembers
// them in its own state, so an answer that comes back through it, carrying the token it planted,
// may join that conversation although the conversation belongs to another channel.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";
import { writeChannelState } from "./channel-state.ts";

const keyOf = (conversationId: number) => `relay.c${conversationId}`;

export function recordRelay(tx: Tx, viaChannelId: number, conversationId: number): void {
  writeChannelState(tx, viaChannelId, keyOf(conversationId), "1");
}

/** The conversation, when it is this channel's own or one this channel delivered for. */
export function conversationReachableBy(db: Database, channelId: number, conversationId: number): { id: number; status: string } | null {
  return prepared<{ id: number; status: string }, [number, number, number, string]>(db,
    `SELECT id, status FROM conversations WHERE id = ? AND (channel_id = ?
       OR EXISTS (SELECT 1 FROM channel_state WHERE channel_id = ? AND key = ?))`,
  ).get(conversationId, channelId, channelId, keyOf(conversationId));
}
