// An agent's reply -> Send API calls: the window rule first (no call that must fail), then text in
// parts of at most 2,000 characters, then each attachment by its public Pano URL.
import type { Channel, ChannelRuntime } from "../channel.ts";
import { splitText, type OutboundAttachment, type OutboundMessage, type SendResult } from "../../domain/message.ts";
import { TEXT_LIMIT, type FacebookConfig } from "./config.ts";
import { decideWindow } from "./window.ts";
import { mapGraphError, networkFailure } from "./errors.ts";
import { graphCall, graphUrl } from "./graph.ts";
import { METADATA_PREFIX } from "./metadata.ts";
import { facebookText } from "./texts.ts";

function attachmentType(a: OutboundAttachment): "image" | "video" | "audio" | "file" {
  if (/^image\/(jpeg|png|gif|webp)$/.test(a.contentType)) return "image";
  if (a.contentType.startsWith("video/")) return "video";
  if (a.contentType.startsWith("audio/")) return "audio";
  return "file";
}

function failed(code: "no_recipient" | "empty"): SendResult {
  const t = facebookText(`facebook.send.${code}`);
  return { ok: false, kind: "failed", code, reason: t.en, reasonVi: t.vi };
}

export async function sendFacebook(msg: OutboundMessage, channel: Channel<FacebookConfig>, rt: ChannelRuntime): Promise<SendResult> {
  const window = decideWindow({ lastInboundAt: msg.lastInboundAt, now: rt.now(), authoredBy: msg.authoredBy, humanAgentAllowed: channel.config.allow_human_agent_tag === true });
  if (!window.ok) return { ok: false, kind: "failed", code: window.code, reason: window.reason, reasonVi: window.reasonVi };
  if (!msg.contact.externalId) return failed("no_recipient");
  const envelope = {
    recipient: { id: msg.contact.externalId },
    messaging_type: window.messagingType,
    ...(window.messagingType === "MESSAGE_TAG" ? { tag: window.tag } : {}),
  };
  // The metadata comes back on the echo, so an echo that beats this call's answer is still linked.
  const metadata = `${METADATA_PREFIX}${msg.messageId}`;
  const parts: Record<string, unknown>[] = [
    ...(msg.text.trim() ? splitText(msg.text, TEXT_LIMIT).map((text) => ({ text, metadata })) : []),
    ...msg.attachments.map((a) => ({ attachment: { type: attachmentType(a), payload: { url: a.url, is_reusable: true } }, metadata })),
  ];
  if (!parts.length) return failed("empty");
  const url = graphUrl(channel, rt, `${channel.config.page_id}/messages`);
  const ids: string[] = [];
  for (const message of parts) {
    let answer;
    try {
      answer = await graphCall<{ recipient_id: string; message_id: string }>(rt, url, { method: "POST", json: { ...envelope, message } });
    } catch (err) {
      return networkFailure(err);
    }
    if (!answer.ok) return mapGraphError(answer.status, answer.error, answer.retryAfterMs);
    ids.push(String(answer.body.message_id));
  }
  return { ok: true, externalId: ids[0], extraExternalIds: ids.slice(1) };
}
