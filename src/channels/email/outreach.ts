// A new mail to a customer: a subject and a text, in a thread of its own (not the customer's open one).
import type { ChannelOutreach } from "../channel.ts";
import type { EmailConfig } from "./config.ts";
import { textRefusal, refusal } from "../outreach-text.ts";
import { speaker } from "../texts.ts";
import { emailTexts } from "./texts.ts";

const say = speaker(emailTexts);
const SUBJECT_LIMIT = 250;
const TEXT_LIMIT = 100_000;
const isAddress = (s: string | null | undefined): s is string => !!s && /^[^\s<>@]+@[^\s<>@]+$/.test(s);

export const emailOutreach: ChannelOutreach<EmailConfig> = {
  check(target) {
    const address = target.contact.email ?? target.externalId;
    return isAddress(address) ? { ok: true, form: "mail" } : refusal("no_email", say("outreach.no_email"));
  },
  compose(target, req) {
    const address = isAddress(target.externalId) ? target.externalId : target.contact.email;
    if (!isAddress(address)) return refusal("no_email", say("outreach.no_email"));
    const subject = (req.subject ?? "").trim();
    if (!subject) return refusal("subject_required", say("outreach.subject_required"));
    if (subject.length > SUBJECT_LIMIT) return refusal("subject_too_long", say("outreach.subject_too_long", { limit: SUBJECT_LIMIT }));
    const bad = textRefusal(req.text, TEXT_LIMIT);
    if (bad) return bad;
    return { text: req.text!.trim(), subject, externalId: address, newThread: true };
  },
};
