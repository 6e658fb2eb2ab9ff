// A visitor who left (no widget open when the agent's reply goes out) and gave an email gets the
// reply by mail through the channel's offline_email_channel_id. The email channel sends it as its
// own (its threading tokens in Message-ID and Reply-To), and the core remembers the conversation
// as reachable through it, so the visitor's answer by email joins this same conversation.
import type { Channel, ChannelRuntime } from "../channel.ts";
import type { OutboundMessage, SendResult } from "../../domain/message.ts";
import type { WebChatConfig } from "./config.ts";
import { offlineMailTexts } from "./texts.ts";

const emailKey = (subject: string) => `email.${subject}`;
const looksLikeEmail = (s: string) => /^[^\s@<>]{1,64}@[^\s@<>]{1,255}\.[^\s@<>]{2,}$/.test(s);

/** Keeps the email an anonymous visitor typed (pre-chat), in the channel's own state: it is a note, never a key of their profile. */
export async function rememberVisitorEmail(rt: ChannelRuntime, channelId: number, subject: string, email: string | undefined): Promise<void> {
  const e = email?.trim();
  if (!e || !looksLikeEmail(e) || rt.state.get(channelId, emailKey(subject)) === e) return;
  await rt.state.set(channelId, emailKey(subject), e);
}

/** Null when there is nothing to mail (no offline channel, no email); else the email channel's answer. */
export async function mailVisitorWhoLeft(msg: OutboundMessage, channel: Channel<WebChatConfig>, rt: ChannelRuntime): Promise<SendResult | null> {
  const via = Number(channel.config.offline_email_channel_id) || 0;
  if (!via || !rt.relay) return null;
  // A verified customer's email is on their profile; an anonymous visitor's is the one they typed.
  const email = msg.contact.email ?? rt.state.get(channel.id, emailKey(msg.contact.externalId));
  if (!email) return null;
  const t = offlineMailTexts;
  const result = await rt.relay(via, {
    ...msg,
    contact: { ...msg.contact, email },
    subject: `${channel.name}: ${t.vi.subject} / ${t.en.subject}`,
    text: `${msg.text}\n\n—\n${t.vi.footer}\n${t.en.footer}`,
    html: undefined,
  });
  if (!result.ok) rt.log("warn", "web chat: offline reply not mailed", { channel_id: channel.id, message_id: msg.messageId, via, reason: result.reason });
  return result;
}
