// A visitor's message as the one ingest path wants it. A verified customer brings the name, email
// and phone the shop vouched for, and those join their profile like any channel's; an anonymous
// visitor's typed email and phone are kept on the message for the agent, never used as keys.
import type { Channel } from "../channel.ts";
import type { InboundAttachment, InboundEvent } from "../../domain/message.ts";
import type { WebChatConfig } from "./config.ts";
import type { VisitorSession } from "./session.ts";

export interface VisitorPayload {
  subject: string;
  verified: boolean;
  claims?: VisitorSession["claims"];
  clientId: string;
  text: string;
  visitor?: { name?: string; email?: string; phone?: string };
  page?: string;
  referrer?: string;
  browser?: string;
  attachments: InboundAttachment[];
  at: Date;
}

export function parseVisitorPayload(p: VisitorPayload, channel: Channel<WebChatConfig>): InboundEvent[] {
  const given = p.visitor ?? {};
  const contact = p.verified
    ? { externalId: p.subject, name: p.claims?.name ?? given.name, email: p.claims?.email, phone: p.claims?.phone }
    : { externalId: p.subject, name: given.name };
  const notes = {
    ...(p.verified ? {} : { email: given.email, phone: given.phone }),
    page: p.page, referrer: p.referrer, browser: p.browser?.slice(0, 300),
  };
  return [{
    kind: "message",
    channelId: channel.id,
    // Unique per visitor: a retried POST of the same message is stored once.
    externalMessageId: `${p.subject}:${p.clientId}`,
    direction: "in",
    contact,
    text: p.text,
    attachments: p.attachments,
    occurredAt: p.at,
    meta: { visitor: Object.fromEntries(Object.entries(notes).filter(([, v]) => v)) },
  }];
}
