// A satisfaction survey by SMS (docs/csat.md): the question, answered with a digit, through the
// Android gateway. A brandname (eSMS) cannot be answered, so its channels are never surveyed.
import type { Channel, ChannelRuntime } from "../channel.ts";
import type { OutboundMessage, SendResult } from "../../domain/message.ts";
import { SURVEY_WORDS, type OutboundSurvey } from "../../domain/csat.ts";
import type { SmsConfig } from "./config.ts";

export const smsAsksSurveys = (channel: Channel<SmsConfig>) => channel.config.provider === "android_gateway";

/** The survey's words as one text, handed to the kind's own send (the same checks and provider call as a reply). */
export function smsSurvey(send: (msg: OutboundMessage, channel: Channel<SmsConfig>, rt: ChannelRuntime) => Promise<SendResult>) {
  return (msg: OutboundMessage & { survey: OutboundSurvey }, channel: Channel<SmsConfig>, rt: ChannelRuntime) => {
    const w = SURVEY_WORDS[msg.survey.language];
    return send({ ...msg, text: `${msg.survey.question} ${w.reply} ${w.stopReply}`, attachments: [] }, channel, rt);
  };
}
