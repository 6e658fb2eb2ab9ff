// Writing first to a website visitor: only while their widget is open (it shows the message at
// once); a visitor who left is reached by email or another channel instead.
import type { ChannelOutreach, OutreachTarget, Channel } from "../channel.ts";
import { textRefusal, refusal, type OutreachRefusal } from "../outreach-text.ts";
import { speaker } from "../texts.ts";
import { webChatTexts } from "./texts.ts";
import { isOpen } from "./live.ts";

const say = speaker(webChatTexts);
const TEXT_LIMIT = 5000;

function connected(target: OutreachTarget, channel: Channel): OutreachRefusal | null {
  if (!target.externalId) return refusal("never_visited", say("outreach.never_visited"));
  return isOpen(channel.id, target.externalId) ? null : refusal("visitor_not_connected", say("outreach.not_connected"));
}

export const webChatOutreach: ChannelOutreach = {
  check: (target, channel) => connected(target, channel) ?? { ok: true, form: "text" },
  compose: (target, req, channel) => connected(target, channel) ?? textRefusal(req.text, TEXT_LIMIT) ?? { text: req.text!.trim(), externalId: target.externalId! },
};
