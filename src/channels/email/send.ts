// An agent's reply as an email: from the channel's address, with a Message-ID that carries the
// conversation token (recorded as the message's external id, so bounces and replies find it),
// In-Reply-To/References so the customer's client threads it, text plus a simple HTML version.
import type { Transporter } from "nodemailer";
import type { Channel, ChannelRuntime } from "../channel.ts";
import type { OutboundMessage, SendResult } from "../../domain/message.ts";
import { withDefaults, type EmailConfig } from "./config.ts";
import { smtpTransport } from "./connect.ts";
import { smtpVerdict, NO_ADDRESS } from "./errors.ts";
import { messageIdFor, plusAddressFor, threadIndexFor, threadKey, domainOf } from "./threading.ts";

// One pooled transport per channel, replaced when the config changes.
const transports = new Map<number, { key: string; transport: Transporter }>();

export function transportFor(channelId: number, cfg: EmailConfig): Transporter {
  const key = JSON.stringify(cfg.smtp);
  const have = transports.get(channelId);
  if (have?.key === key) return have.transport;
  have?.transport.close();
  const transport = smtpTransport(cfg);
  transports.set(channelId, { key, transport });
  return transport;
}

export function closeTransport(channelId: number): void {
  transports.get(channelId)?.transport.close();
  transports.delete(channelId);
}

const REPLY_PREFIX = /^\s*(?:re|aw|sv|tl|trả lời|fwd?|tr)\s*:/i;

export function replySubject(subject: string | undefined): string {
  const s = (subject ?? "").trim();
  if (!s) return "Phản hồi từ cửa hàng / Reply";
  return REPLY_PREFIX.test(s) ? s : `Re: ${s}`;
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The agent's plain text as simple HTML: paragraphs and line breaks, links left as text. */
export function simpleHtml(text: string): string {
  const paragraphs = text.replace(/\r\n?/g, "\n").split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`);
  return `<!doctype html><html><head><meta charset="utf-8"></head><body style="font-family:Arial,sans-serif;font-size:14px">${paragraphs.join("")}</body></html>`;
}

const bracket = (id: string) => `<${id}>`;
const isMessageId = (id: string) => /^[^\s<>@]+@[^\s<>@]+$/.test(id);

export async function sendEmail(msg: OutboundMessage, channel: Channel<EmailConfig>, rt: ChannelRuntime): Promise<SendResult> {
  const cfg = withDefaults(channel.config);
  const to = msg.contact.email ?? (isMessageId(msg.contact.externalId) ? msg.contact.externalId : null);
  if (!to) return NO_ADDRESS;
  const key = await threadKey(rt, channel.id);
  // Deterministic per message: a retry after a timeout sends the same Message-ID, so the
  // customer's server (and Pano's own echo check) sees one mail, not two.
  const messageId = messageIdFor(key, msg.conversationId, msg.messageId, domainOf(cfg.from_address));
  const refs = msg.threadRefs.filter(isMessageId).slice(-20);
  const inReplyTo = msg.replyToExternalId && isMessageId(msg.replyToExternalId) ? msg.replyToExternalId : refs[refs.length - 1];
  const headers: Record<string, string> = {
    "Thread-Index": threadIndexFor(key, msg.conversationId),
  };
  // RFC 3834: automatic answers say so, so the other side's auto-responder stays quiet.
  if (msg.authoredBy === "automation") headers["Auto-Submitted"] = "auto-replied";
  try {
    await transportFor(channel.id, cfg).sendMail({
      from: { name: cfg.from_name ?? channel.name, address: cfg.from_address },
      to: msg.contact.name ? { name: msg.contact.name, address: to } : to,
      replyTo: cfg.plus_reply_to ? plusAddressFor(key, msg.conversationId, cfg.from_address) : undefined,
      // A mail that answers nothing (an agent writing first) keeps its subject as typed.
      subject: inReplyTo || refs.length || !msg.subject ? replySubject(msg.subject) : msg.subject,
      messageId: bracket(messageId),
      inReplyTo: inReplyTo ? bracket(inReplyTo) : undefined,
      references: refs.length ? refs.map(bracket).join(" ") : undefined,
      date: msg.createdAt,
      text: msg.text,
      html: msg.html ?? simpleHtml(msg.text),
      attachments: msg.attachments.map((a) => ({ filename: a.name, contentType: a.contentType, path: a.path })),
      headers,
    });
  } catch (err) {
    rt.log("warn", "email send failed", { channel_id: channel.id, message_id: msg.messageId, error: String((err as Error)?.message ?? err) });
    return smtpVerdict(err);
  }
  return { ok: true, externalId: messageId };
}
