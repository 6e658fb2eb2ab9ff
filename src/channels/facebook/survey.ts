// A satisfaction survey on Messenger (docs/csat.md): the question with five quick replies, 1 to 5.
// A tap comes back as a text message whose quick_reply.payload names the survey and the rating
// (Messenger Platform, Quick Replies: up to 13 buttons, titles up to 20 characters).
import type { Channel, ChannelRuntime } from "../channel.ts";
import type { OutboundMessage, SendResult } from "../../domain/message.ts";
import { SURVEY_WORDS, type OutboundSurvey } from "../../domain/csat.ts";
import type { FacebookConfig } from "./config.ts";
import { decideWindow } from "./window.ts";
import { mapGraphError, networkFailure } from "./errors.ts";
import { graphCall, graphUrl } from "./graph.ts";
import { METADATA_PREFIX } from "./metadata.ts";

const PAYLOAD = /^PANO_CSAT:(\d{1,15}):(-?\d{1,3})$/;

export const surveyPayload = (surveyId: number, rating: number) => `PANO_CSAT:${surveyId}:${rating}`;

/** A quick reply's payload read as a survey answer; null when it is another payload. */
export function surveyTap(payload: unknown): { surveyId: number; rating: number } | undefined {
  const m = typeof payload === "string" ? PAYLOAD.exec(payload) : null;
  return m ? { surveyId: Number(m[1]), rating: Number(m[2]) } : undefined;
}

export async function sendFacebookSurvey(msg: OutboundMessage & { survey: OutboundSurvey }, channel: Channel<FacebookConfig>, rt: ChannelRuntime): Promise<SendResult> {
  // A survey is automation: inside the 24 hours only, like any automatic reply.
  const window = decideWindow({ lastInboundAt: msg.lastInboundAt, now: rt.now(), authoredBy: "automation", humanAgentAllowed: false });
  if (!window.ok) return { ok: false, kind: "failed", code: window.code, reason: window.reason, reasonVi: window.reasonVi };
  const s = msg.survey;
  const message = {
    text: `${s.question}\n${SURVEY_WORDS[s.language].tap}`,
    quick_replies: s.links.map((l) => ({ content_type: "text", title: `${l.rating} ⭐`, payload: surveyPayload(s.id, l.rating) })),
    metadata: `${METADATA_PREFIX}${msg.messageId}`,
  };
  try {
    const answer = await graphCall<{ message_id: string }>(rt, graphUrl(channel, rt, `${channel.config.page_id}/messages`), {
      method: "POST",
      json: { recipient: { id: msg.contact.externalId }, messaging_type: window.messagingType, message },
    });
    return answer.ok ? { ok: true, externalId: String(answer.body.message_id) } : mapGraphError(answer.status, answer.error, answer.retryAfterMs);
  } catch (err) {
    return networkFailure(err);
  }
}
