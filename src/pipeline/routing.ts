// Routing rules applied to one classified customer message, inside the triage batch's writer job.
// What an agent set by hand (team, priority, assignee) is never overridden by a rule; every rule
// that fires leaves an audit row, so the timeline can say why a conversation went where it did.
import type { Tx } from "../store/writer.ts";
import { decide, type MessageFacts, type Rule } from "../domain/routing.ts";
import type { Intent } from "../domain/conversation.ts";
import { updateConversation, type ConversationPatch, type ConversationRow } from "../store/conversations.ts";
import { createReply } from "../store/outbound.ts";
import { teamExists } from "../store/teams.ts";
import { isActiveUser } from "../store/users.ts";
import { contactAttributes, getContact } from "../store/contacts.ts";
import { messageFields, parsedAttributes } from "../store/conversation-start.ts";
import { contactFacts } from "../domain/template-params.ts";
import { sendByRule, type RuleSender } from "./outreach.ts";
import { autoReplySince, hasEarlierInbound, humanSetFields, recordRuleFired, setWaitingSince } from "../store/conversation-automation.ts";

import type { Suggestion } from "../domain/triage/custom-categories.ts";

export interface RoutedMessage {
  messageId: number;
  conversationId: number;
  channelId: number;
  contactId: number;
  newContact: boolean;
  text: string;
  at: number;
  /** The shop's own categories suggested for this message. */
  categories?: Suggestion[];
}

const SYSTEM = { type: "system" as const, id: null };
/** One automatic reply per conversation in this window: a chatty customer gets it once, not per message. */
export const AUTO_REPLY_QUIET_MS = 12 * 3600_000;

export function factsFor(tx: Tx, m: RoutedMessage, conv: ConversationRow, channelType: string): MessageFacts {
  let attributes: Record<string, unknown> = {};
  try {
    attributes = contactAttributes(tx.db, conv.contact_id) ?? {};
  } catch {
    // a malformed attributes blob matches no attribute condition
  }
  return {
    text: m.text, channelId: m.channelId, channelType, intent: (conv.intent as Intent | null) ?? null, urgent: !!conv.urgent, categories: (m.categories ?? []).map((s) => s.tag),
    contactAttributes: attributes, newContact: m.newContact, firstMessage: !hasEarlierInbound(tx.db, conv.id, m.messageId), at: m.at,
    fields: messageFields(tx.db, m.messageId),
  };
}

/**
 * Applies the rules' actions to the conversation. Returns the team whose queue this conversation
 * now waits in (unassigned), or null when nothing waits.
 */
export function routeMessage(tx: Tx, m: RoutedMessage, conv: ConversationRow, rules: Rule[], channelType: string, sender?: RuleSender): number | null {
  if (conv.status !== "open") return null;
  let current = conv;
  if (rules.length) {
    const { decision } = decide(rules, factsFor(tx, m, conv, channelType), true);
    if (decision.fired.length) {
      const human = humanSetFields(tx.db, conv.id);
      const patch: ConversationPatch = {};
      if (decision.teamId !== undefined && !human.has("team") && teamExists(tx.db, decision.teamId)) patch.teamId = decision.teamId;
      // A rule never lowers what urgency demands, nor what an agent chose.
      if (decision.priority !== undefined && !human.has("priority") && !(conv.urgent && decision.priority !== "urgent")) patch.priority = decision.priority;
      if (decision.labels.length) patch.labels = [...JSON.parse(conv.labels), ...decision.labels];
      if (decision.assigneeId !== undefined && conv.assignee_id === null && !human.has("assigned") && isActiveUser(tx.db, decision.assigneeId)) patch.assigneeId = decision.assigneeId;
      current = updateConversation(tx, conv.id, patch, SYSTEM) ?? conv;
      for (const ruleId of decision.fired) {
        const set = Object.entries(decision.setBy).filter(([, id]) => id === ruleId).map(([k]) => k);
        recordRuleFired(tx, conv.id, ruleId, { message_id: m.messageId, set });
      }
      if (decision.autoReply) sendAutoReply(tx, current, decision.autoReply);
      // An SMS or ZNS to the customer (an order confirmation): another channel's conversation, through the outbox.
      if (decision.sends && sender) {
        const facts = { ...contactFactsOf(tx, conv.contact_id), ...messageFields(tx.db, m.messageId) };
        for (const send of decision.sends) sendByRule(tx, sender, m, facts, send);
      }
    }
  }
  return current.assignee_id === null && current.team_id !== null ? current.team_id : null;
}

/**
 * The automatic reply goes through the outbox like any reply, flagged automatic. Inbound
 * automatic mail (auto-replies, bulk) never reaches here: triage skips automatic messages, which
 * is the loop guard. The customer is still waiting for a person afterwards.
 */
function sendAutoReply(tx: Tx, conv: ConversationRow, text: string) {
  if (autoReplySince(tx.db, conv.id, tx.now - AUTO_REPLY_QUIET_MS)) return;
  createReply(tx, { conversationId: conv.id, text, private: false, userId: null, automatic: true });
  setWaitingSince(tx, conv.id, conv.waiting_since);
}

function contactFactsOf(tx: Tx, contactId: number) {
  const c = getContact(tx.db, contactId);
  return c ? contactFacts({ name: c.name, phone: c.phone, email: c.email, attributes: parsedAttributes(c.attributes) }) : {};
}
