// Writing first on Messenger: only to someone who wrote to the Page, and only inside the window
// rules the send path applies (window.ts): 24 h for anyone, up to 7 days for a person with HUMAN_AGENT.
import type { ChannelOutreach, OutreachTarget, Channel } from "../channel.ts";
import type { FacebookConfig } from "./config.ts";
import { TEXT_LIMIT } from "./config.ts";
import { decideWindow } from "./window.ts";
import { textRefusal, refusal, type OutreachRefusal } from "../outreach-text.ts";
import { speaker } from "../texts.ts";
import { facebookTexts } from "./texts.ts";

const say = speaker(facebookTexts);

function windowRefusal(target: OutreachTarget, channel: Channel<FacebookConfig>, authoredBy: "agent" | "automation"): OutreachRefusal | null {
  if (!target.externalId) return refusal("never_wrote", say("outreach.never_wrote"));
  const d = decideWindow({ lastInboundAt: target.lastInboundAt, now: target.now, authoredBy, humanAgentAllowed: channel.config.allow_human_agent_tag === true });
  return d.ok ? null : refusal(d.code, { vi: d.reasonVi, en: d.reason });
}

export const facebookOutreach: ChannelOutreach<FacebookConfig> = {
  check: (target, channel) => windowRefusal(target, channel, "agent") ?? { ok: true, form: "text" },
  compose(target, req, channel) {
    const bad = windowRefusal(target, channel, req.authoredBy) ?? textRefusal(req.text, TEXT_LIMIT);
    return bad ?? { text: req.text!.trim(), externalId: target.externalId! };
  },
};
