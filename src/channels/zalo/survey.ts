// A satisfaction survey on Zalo OA (docs/csat.md): a consultation message with the question that
// the customer answers with a number. The OA Open API's consultation message takes text or
// attachments (channels.md); its buttons belong to template messages Pano does not send, so the
// answer is typed ("5"), which the core reads like any channel's.
import type { Channel, ChannelRuntime } from "../channel.ts";
import type { OutboundMessage, SendResult } from "../../domain/message.ts";
import { SURVEY_WORDS, type OutboundSurvey } from "../../domain/csat.ts";
import type { ZaloConfig } from "./config.ts";
import { sendZalo } from "./send.ts";

export function sendZaloSurvey(msg: OutboundMessage & { survey: OutboundSurvey }, channel: Channel<ZaloConfig>, rt: ChannelRuntime): Promise<SendResult> {
  const w = SURVEY_WORDS[msg.survey.language];
  return sendZalo({ ...msg, text: `${msg.survey.question}\n${w.reply}\n${w.stopReply}`, attachments: [] }, channel, rt);
}
