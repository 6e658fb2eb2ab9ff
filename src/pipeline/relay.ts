// A kind may hand an outbound message to another channel for delivery (a website chat mails its
// reply through an email channel to a visitor who left): that channel's kind sends it as its own,
// and the conversation is remembered as reachable through it, so the customer's answer (threaded
// by that channel's own means) joins the same conversation.
import type { ChannelRuntime } from "../channels/channel.ts";
import type { OutboundMessage, SendResult } from "../domain/message.ts";
import type { ChannelDirectory } from "../store/channels.ts";
import type { Writer } from "../store/writer.ts";
import { channelKind } from "../channels/registry.ts";
import { recordRelay } from "../store/conversation-relays.ts";

export async function relayMessage(deps: { channels: ChannelDirectory; writer: Writer; runtime: ChannelRuntime }, viaChannelId: number, msg: OutboundMessage): Promise<SendResult> {
  const via = deps.channels.get(viaChannelId);
  if (!via || via.status === "paused") {
    return { ok: false, kind: "failed", code: "relay_unavailable", reason: `Channel ${viaChannelId} cannot deliver now`, reasonVi: `Kênh ${viaChannelId} hiện không gửi được` };
  }
  // Remembered before sending: an answer can only come back after the mail left.
  await deps.writer.submit((tx) => recordRelay(tx, via.id, msg.conversationId));
  return channelKind(via.type).send(msg, via, deps.runtime);
}
