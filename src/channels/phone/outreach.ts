// "Starting a conversation" on a switchboard is a call: the first message records it and the
// outbox places it through the click-to-call callout (send() with meta.callout), ringing the agent
// who asked first, then the customer. Only a switchboard that places calls can (placesCalls).
import type { ChannelOutreach, Channel, ChannelRuntime, OutreachTarget, OutreachVerdict } from "../channel.ts";
import type { SendResult } from "../../domain/message.ts";
import { callout } from "./callout.ts";
import type { PhoneConfig } from "./config.ts";
import { placesCalls } from "./call-routes.ts";
import { agentUser } from "./answer.ts";
import { refusal } from "../outreach-text.ts";
import { speaker } from "../texts.ts";
import { phoneTexts } from "./texts.ts";

const say = speaker(phoneTexts);

function reach(target: OutreachTarget, channel: Channel<PhoneConfig>): OutreachVerdict {
  if (!placesCalls(channel)) return refusal("no_callout", say("outreach.no_callout"));
  if (!target.contact.phone) return refusal("no_phone", say("callout.no_phone"));
  return { ok: true, form: "call" };
}

export const phoneOutreach: ChannelOutreach<PhoneConfig> = {
  check: reach,
  compose(target, req, channel) {
    const can = reach(target, channel);
    if (!can.ok) return can;
    if (!req.agent) return refusal("call_needs_agent", say("outreach.agent_only"));
    const phone = target.contact.phone!;
    return { text: say.in("vi")("outreach.calling", { phone }), externalId: target.externalId ?? phone, meta: { callout: { agent_user: agentUser(req.agent) } } };
  },
};

/** The outbox's send of an outreach call: a refusal is final (the agent reads why), no retry that would ring twice. */
export async function placeOutreachCall(channel: Channel<PhoneConfig>, agent: string, phone: string, rt: ChannelRuntime): Promise<SendResult> {
  const r = await callout(channel, agent, phone, rt);
  if (r.ok) return { ok: true, externalId: `callout:${r.callId ?? Date.now()}` };
  const words = say(r.code === "refused" ? "callout.refused" : "callout.unreachable", { reason: r.reason });
  return { ok: false, kind: "failed", code: `callout_${r.code}`, reason: words.en, reasonVi: words.vi };
}
