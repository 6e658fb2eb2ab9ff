// Starting a conversation by SMS: a text to the customer's mobile number, through either provider
// (a brandname cannot be answered, but it reaches anyone with a phone). The number is checked here,
// before the agent types, and again before any provider is called (send).
import type { ChannelOutreach, OutreachTarget } from "../channel.ts";
import type { SmsConfig } from "./config.ts";
import { mobilePhone } from "../../domain/contact.ts";
import { smsCount } from "../../domain/sms.ts";
import { refusal, textRefusal } from "../outreach-text.ts";
import { speaker } from "../texts.ts";
import { smsTexts } from "./texts.ts";
import { MAX_SEGMENTS, SMS_CHAR_LIMIT } from "./limits.ts";

const say = speaker(smsTexts);

/** Their number on this channel when they texted before, else the profile's. */
const numberOf = (t: OutreachTarget) => mobilePhone(t.externalId) ?? mobilePhone(t.contact.phone);

export const smsOutreach: ChannelOutreach<SmsConfig> = {
  check: (target) => (numberOf(target) ? { ok: true, form: "text" } : refusal("no_phone", say("outreach.no_phone"))),
  compose(target, req) {
    const phone = numberOf(target);
    if (!phone) return refusal("no_phone", say("outreach.no_phone"));
    const bad = textRefusal(req.text, SMS_CHAR_LIMIT);
    if (bad) return bad;
    const text = req.text!.trim();
    const n = smsCount(text).segments;
    if (n > MAX_SEGMENTS) return refusal("text_too_long", say("send.too_long", { n, max: MAX_SEGMENTS }));
    return { text, externalId: phone };
  },
};
