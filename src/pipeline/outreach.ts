// Starting a conversation, the same for the API, a customer profile's "New message" and a routing
// rule: the channel's kind says whether it can reach this customer now and builds the first message
// (ChannelKind.outreach); this module never names a kind. The result is a StartInput for the store.
import type { Database } from "bun:sqlite";
import type { Channel, ChannelRuntime, OutreachRequest, OutreachTarget, OutreachVerdict } from "../channels/channel.ts";
import type { Tx } from "../store/writer.ts";
import type { ChannelDirectory } from "../store/channels.ts";
import type { Decision, SmsSend, ZnsSend } from "../domain/routing.ts";
import { afterQuietHours } from "../domain/quiet-hours.ts";
import { channelKind, hasChannelKind } from "../channels/registry.ts";
import { outreachTarget, recordRefusedSend, startConversation, type StartInput } from "../store/conversation-start.ts";
import { contactFacts, prefillParams, type FillFacts } from "../domain/template-params.ts";

export type Refusal = Extract<OutreachVerdict, { ok: false }>;

const REFUSALS = {
  no_outreach: { vi: "Kênh này không bắt đầu được hội thoại với khách: chỉ trả lời khi khách nhắn trước.", en: "This channel cannot start a conversation: it only answers customers who write first." },
  channel_inactive: { vi: "Kênh đang không hoạt động (cần kết nối lại hoặc đang tạm dừng).", en: "The channel is not active (it needs reconnecting or is paused)." },
  conversation_hidden: {
    vi: "Khách đang có một hội thoại chưa xử lý xong trên kênh này, do nhóm khác phụ trách; bạn không viết vào hội thoại đó được.",
    en: "The customer has an unresolved conversation on this channel that another team handles; you cannot write into it.",
  },
} as const;

export const refuse = (code: keyof typeof REFUSALS): Refusal => ({ ok: false, code, reason: { ...REFUSALS[code] } });

/** Whether this channel can reach the customer now and what the first message is made of, before anyone types. */
export function reachability(db: Database, rt: ChannelRuntime, channel: Channel, contactId: number): { verdict: OutreachVerdict; target: OutreachTarget | null } {
  const outreach = hasChannelKind(channel.type) ? channelKind(channel.type).outreach : undefined;
  if (!outreach) return { verdict: refuse("no_outreach"), target: null };
  // "error" (a mailbox that cannot be read, a spent quota) may still send; these cannot.
  if (channel.status === "paused" || channel.status === "needs_reconnect") return { verdict: refuse("channel_inactive"), target: null };
  const target = outreachTarget(db, contactId, channel.id, rt.now());
  if (!target) return { verdict: { ok: false, code: "contact_not_found", reason: { vi: "Không tìm thấy khách hàng.", en: "No such customer." } }, target: null };
  return { verdict: outreach.check(target, channel, rt), target };
}

/** The first message for this request, ready for startConversation, or why it cannot go. */
export function planStart(
  db: Database,
  rt: ChannelRuntime,
  channel: Channel,
  contactId: number,
  req: OutreachRequest,
  extra: { userId: number | null; dueAt?: number; ruleId?: number; facts?: FillFacts },
): { ok: true; input: StartInput } | Refusal {
  const { verdict, target } = reachability(db, rt, channel, contactId);
  if (!verdict.ok) return verdict;
  const outreach = channelKind(channel.type).outreach!;
  // A template's params the caller left out are filled from the profile (and the message's facts), as the composer prefills them.
  const template = req.templateId === undefined ? undefined : outreach.templates?.(channel, rt).find((t) => t.id === String(req.templateId));
  if (template) req = { ...req, templateData: prefillParams(template.params, { ...contactFacts(target!.contact), ...(extra.facts ?? {}) }, req.templateData) };
  const first = outreach.compose(target!, req, channel, rt);
  if ("ok" in first) return first;
  return {
    ok: true,
    input: {
      contactId: target!.contact.id, channelId: channel.id, externalId: first.externalId, text: first.text, subject: first.subject, meta: first.meta,
      newThread: first.newThread, userId: extra.userId, automatic: req.authoredBy === "automation", dueAt: extra.dueAt, ruleId: extra.ruleId,
    },
  };
}

/** What a routing rule's sends need besides the transaction: the channels and their runtime. */
export interface RuleSender {
  channels: ChannelDirectory;
  runtime: ChannelRuntime;
}

type RuleSend = NonNullable<Decision["sends"]>[number];

/**
 * The channel a rule's send goes through: the one it names, else (a ZNS) the first active channel
 * that has the template, or (an SMS) the first active sms channel.
 */
function sendingChannel(s: RuleSend, sender: RuleSender): Channel | undefined {
  if (s.send.channel_id !== undefined) return sender.channels.get(s.send.channel_id);
  const active = sender.channels.list().filter((ch) => ch.status === "active" || ch.status === "error");
  if (s.kind === "sms") return active.find((ch) => ch.type === "sms");
  const id = (s.send as ZnsSend).template_id;
  return active.find((ch) => hasChannelKind(ch.type) && channelKind(ch.type).outreach?.templates?.(ch, sender.runtime).some((t) => t.id === id));
}

/**
 * A routing rule's SMS or ZNS to the customer who wrote: the first message of a conversation on
 * that channel, through the outbox, due after the quiet hours unless the rule ignores them. What
 * cannot go (no phone, no such template) is recorded on the conversation, not retried.
 */
export function sendByRule(tx: Tx, sender: RuleSender, m: { conversationId: number; contactId: number; messageId: number }, facts: FillFacts, s: RuleSend): void {
  const channel = sendingChannel(s, sender);
  const dueAt = s.quiet ? afterQuietHours(tx.now, s.quiet) : tx.now;
  const req: OutreachRequest = s.kind === "zns"
    ? { templateId: (s.send as ZnsSend).template_id, templateData: (s.send as ZnsSend).template_data, authoredBy: "automation", agent: null }
    : { text: fillText((s.send as SmsSend).text, facts), authoredBy: "automation", agent: null };
  const plan = channel ? planStart(tx.db, sender.runtime, channel, m.contactId, req, { userId: null, dueAt, ruleId: s.ruleId, facts }) : refuse("no_outreach");
  if (!plan.ok) {
    recordRefusedSend(tx, m.conversationId, { rule_id: s.ruleId, kind: s.kind, channel_id: channel?.id ?? null, code: plan.code, reason: plan.reason.en, reason_vi: plan.reason.vi, message_id: m.messageId });
    return;
  }
  startConversation(tx, plan.input);
}

/** {order_code} in a rule's SMS text: the message's fields and the customer's facts. */
const fillText = (text: string, facts: FillFacts) => text.replace(/\{(\w+)\}/g, (all, k: string) => facts[k] ?? all);
