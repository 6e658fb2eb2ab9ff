// Routing rules applied to one classified customer message, inside the triage batch's writer job.
// What an agent set by hand (team, priority, assignee) is never overridden by a rule; every rule
// that fires leaves an audit row, so the timeline can say why a conversation went where it did.
import type { Tx } from "../store/writer.ts";
import { decide, type MessageFacts, type Rule } from "../domain/routing.ts";
import type { Intent } from "../domain/conversation.ts";
import { updateConversation, type ConversationPatch, type ConversationRow } from "../store/conversations.ts";
import { createReply } from "../store/outbound.ts";
import type { Config } from "../config.ts";
import type { Store } from "../store/db.ts";
import type { Writer } from "../store/writer.ts";
import type { ChannelDirectory } from "../store/channels.ts";
import type { EventBus } from "./events.ts";
import type { Presence } from "./presence.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { useModelFromDataDir } from "../domain/triage/index.ts";
import { createLlmTriage } from "./llm.ts";
import { startTriage, type TriagePipeline } from "./triage.ts";
import { startAssignment, type Assigner } from "./assignment.ts";
import { startRetrainJob, type RetrainJob } from "./retrain-job.ts";

export interface RoutedMessage {
  messageId: number;
  conversationId: number;
  channelId: number;
  contactId: number;
  newContact: boolean;
  text: string;
  at: number;
}

const SYSTEM = { type: "system" as const, id: null };
/** One automatic reply per conversation in this window: a chatty customer gets it once, not per message. */
export const AUTO_REPLY_QUIET_MS = 12 * 3600_000;

/** Fields an agent (or an API client) set by hand on this conversation. */
export function humanSet(tx: Tx, conversationId: number): Set<string> {
  const rows = tx.db
    .query<{ action: string }, [number]>(
      `SELECT DISTINCT action FROM audit_log WHERE conversation_id = ? AND actor_type IN ('user', 'api') AND action LIKE 'conversation.%'`,
    )
    .all(conversationId);
  return new Set(rows.map((r) => r.action.slice("conversation.".length)));
}

export function factsFor(tx: Tx, m: RoutedMessage, conv: ConversationRow, channelType: string): MessageFacts {
  const attrs = tx.db.query<{ attributes: string }, [number]>("SELECT attributes FROM contacts WHERE id = ?").get(conv.contact_id)?.attributes ?? "{}";
  const earlier = tx.db
    .query<{ one: number }, [number, number]>("SELECT 1 AS one FROM messages WHERE conversation_id = ? AND direction = 'in' AND automatic = 0 AND id < ? LIMIT 1")
    .get(conv.id, m.messageId);
  let contactAttributes: Record<string, unknown> = {};
  try {
    contactAttributes = JSON.parse(attrs) ?? {};
  } catch {
    // a malformed attributes blob matches no attribute condition
  }
  return {
    text: m.text, channelId: m.channelId, channelType, intent: (conv.intent as Intent | null) ?? null, urgent: !!conv.urgent,
    contactAttributes, newContact: m.newContact, firstMessage: !earlier, at: m.at,
  };
}

/**
 * Applies the rules' actions to the conversation. Returns the team whose queue this conversation
 * now waits in (unassigned), or null when nothing waits.
 */
export function routeMessage(tx: Tx, m: RoutedMessage, conv: ConversationRow, rules: Rule[], channelType: string): number | null {
  if (conv.status !== "open") return null;
  let current = conv;
  if (rules.length) {
    const { decision } = decide(rules, factsFor(tx, m, conv, channelType), true);
    if (decision.fired.length) {
      const human = humanSet(tx, conv.id);
      const patch: ConversationPatch = {};
      if (decision.teamId !== undefined && !human.has("team") && teamExists(tx, decision.teamId)) patch.teamId = decision.teamId;
      // A rule never lowers what urgency demands, nor what an agent chose.
      if (decision.priority !== undefined && !human.has("priority") && !(conv.urgent && decision.priority !== "urgent")) patch.priority = decision.priority;
      if (decision.labels.length) patch.labels = [...JSON.parse(conv.labels), ...decision.labels];
      if (decision.assigneeId !== undefined && conv.assignee_id === null && !human.has("assigned") && agentExists(tx, decision.assigneeId)) patch.assigneeId = decision.assigneeId;
      current = updateConversation(tx, conv.id, patch, SYSTEM) ?? conv;
      for (const ruleId of decision.fired) {
        const set = Object.entries(decision.setBy).filter(([, id]) => id === ruleId).map(([k]) => k);
        tx.db
          .query("INSERT INTO audit_log (actor_type, action, conversation_id, subject_type, subject_id, data, created_at) VALUES ('system', 'routing.rule_fired', ?, 'routing_rule', ?, ?, ?)")
          .run(conv.id, ruleId, JSON.stringify({ message_id: m.messageId, set }), tx.now);
      }
      if (decision.autoReply) sendAutoReply(tx, current, decision.autoReply);
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
  const recent = tx.db
    .query("SELECT 1 FROM messages WHERE conversation_id = ? AND direction = 'out' AND automatic = 1 AND created_at > ? LIMIT 1")
    .get(conv.id, tx.now - AUTO_REPLY_QUIET_MS);
  if (recent) return;
  createReply(tx, { conversationId: conv.id, text, private: false, userId: null, automatic: true });
  tx.db.query("UPDATE conversations SET waiting_since = ? WHERE id = ?").run(conv.waiting_since, conv.id);
}

const teamExists = (tx: Tx, id: number) => !!tx.db.query("SELECT 1 FROM teams WHERE id = ?").get(id);
const agentExists = (tx: Tx, id: number) => !!tx.db.query("SELECT 1 FROM users WHERE id = ? AND disabled_at IS NULL").get(id);

export interface Routing {
  triage: TriagePipeline;
  assigner: Assigner;
  retrain: RetrainJob;
  /** Resolves once triage, rules and assignment have caught up with everything received so far. */
  idle(): Promise<void>;
  stop(): void;
}

interface RoutingDeps {
  config: Config;
  store: Store;
  writer: Writer;
  events: EventBus;
  channels: ChannelDirectory;
  presence: Presence;
  log: Logger;
  metrics: Metrics;
  http: typeof fetch;
}

/** Triage, then rules, then assignment: started by Pano.start() unless PANO_TRIAGE=off. */
export function startRouting(d: RoutingDeps): Routing {
  if (useModelFromDataDir(d.config.dataDir)) d.log("info", "triage: using the retrained model from the data dir");
  const llm = d.config.llmUrl
    ? createLlmTriage({ url: d.config.llmUrl, model: d.config.llmModel, apiKey: d.config.llmApiKey, timeoutMs: d.config.llmTimeoutMs, http: d.http, log: d.log, metrics: d.metrics })
    : null;
  const assigner = startAssignment({ store: d.store, writer: d.writer, events: d.events, presence: d.presence, log: d.log, metrics: d.metrics, sweepMs: d.config.assignSweepMs });
  const triage = startTriage({
    store: d.store, writer: d.writer, events: d.events, channels: d.channels, log: d.log, metrics: d.metrics,
    llm, llmBelow: d.config.llmBelowConfidence, onQueued: (teams) => assigner.touch(teams),
  });
  const retrain = startRetrainJob({ store: d.store, dataDir: d.config.dataDir, log: d.log, metrics: d.metrics, at: d.config.triageRetrainAt });
  return {
    triage, assigner, retrain,
    async idle() {
      await triage.idle();
      await assigner.idle();
    },
    stop() {
      triage.stop();
      assigner.stop();
      retrain.stop();
    },
  };
}
