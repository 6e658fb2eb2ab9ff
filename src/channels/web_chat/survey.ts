// A satisfaction survey in the website chat (docs/csat.md): the survey is a message of the
// transcript like any reply; the frame shows five buttons under it (frame.js), and the visitor's
// choice and comment go to POST /chat/api/csat (routes.ts), answered for their own survey only.
import type { Channel, ChannelRuntime } from "../channel.ts";
import type { OutboundMessage, SendResult } from "../../domain/message.ts";
import type { OutboundSurvey } from "../../domain/csat.ts";
import type { WebChatConfig } from "./config.ts";
import { notify } from "./live.ts";

/** Sent is shown: the open widgets fetch it; a visitor away sees it when they come back. */
export async function sendWebChatSurvey(msg: OutboundMessage & { survey: OutboundSurvey }, channel: Channel<WebChatConfig>, _rt: ChannelRuntime): Promise<SendResult> {
  notify(channel.id, msg.contact.externalId, "changed");
  return { ok: true, externalId: `wc-${msg.messageId}` };
}

/** The frame's words for the survey (merged into its texts by frame-page.ts). */
export const surveyTexts = {
  vi: {
    survey_rate: "Đánh giá {n} trên 5",
    survey_thanks: "Cảm ơn bạn đã đánh giá {n}/5!",
    survey_comment: "Góp ý thêm (không bắt buộc)",
    survey_send: "Gửi góp ý",
    survey_commented: "Đã nhận góp ý của bạn.",
    survey_failed: "Chưa gửi được đánh giá, vui lòng thử lại.",
  },
  en: {
    survey_rate: "Rate {n} out of 5",
    survey_thanks: "Thank you for rating us {n}/5!",
    survey_comment: "Anything to add? (optional)",
    survey_send: "Send comment",
    survey_commented: "We got your comment.",
    survey_failed: "Your rating was not sent; please try again.",
  },
} as const;
