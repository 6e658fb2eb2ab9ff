// After commit, off the ingest path: classify each new customer message (intent, urgency),
// ask the optional LLM when the local model is unsure, then write the results and the routing
// rules' actions in one writer job per batch. A webhook never waits for any of this.
import type { Store } from "../store/db.ts";
import type { Writer, Tx } from "../store/writer.ts";
import type { EventBus } from "./events.ts";
import type { ChannelDirectory } from "../store/channels.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import type { LlmTriage } from "./llm.ts";
import { classify } from "../domain/triage/index.ts";
import type { Intent } from "../domain/conversation.ts";
import { getConversation, updateConversation, type ConversationPatch, type ConversationRow } from "../store/conversations.ts";
import { routingRulesFor } from "../store/routing-rules.ts";
import { humanSetFields, messageTextOf, triageCorrected } from "../store/conversation-automation.ts";
import { routeMessage, type RoutedMessage } from "./routing.ts";
import type { RuleSender } from "./outreach.ts";
import type { TriageModel } from "./triage-model.ts";
import type { CategoryLearner } from "./categories.ts";
import { addConversationCategories } from "../store/categories.ts";

export interface Classified extends RoutedMessage {
  intent: Intent;
  urgent: boolean;
  source: "local" | "llm";
}

interface Deps {
  store: Store;
  writer: Writer;
  events: EventBus;
  channels: ChannelDirectory;
  log: Logger;
  metrics: Metrics;
  /** Read per batch: a retrain kept meanwhile applies from the next batch on. */
  model: TriageModel;
  /** The shop's own categories: suggested on each customer message, for agents and routing rules. */
  categories?: CategoryLearner;
  llm: LlmTriage | null;
  /** Below this local confidence the LLM (when configured) is asked. */
  llmBelow: number;
  /** Teams whose queue may have grown: the assigner takes it from here. */
  onQueued(teamIds: number[]): void;
  /** For rules that send an SMS or a ZNS (pipeline/outreach.ts); without it such actions are skipped. */
  sender?: RuleSender;
}

interface Pending { messageId: number; conversationId: number; channelId: number; contactId: number; newContact: boolean; text?: string; at?: number }

/** Small enough that one batch's writer job never holds up acknowledgements for long. */
const BATCH = 200;
/**
 * While messages are pouring in, triage yields to ingest: it takes at most this share of the
 * process and catches up when the burst is over. The pause between batches is sized from what
 * the last batch took from reading to written (commit and the events it fired included), so the
 * work it causes elsewhere counts too. Acknowledging messages always comes first.
 */
const BUSY_SHARE = 0.05;
const BUSY_WINDOW_MS = 50;
const MAX_PAUSE_MS = 1000;
/**
 * Beyond this many messages waiting, a message waits with its ids only and its text is read back
 * when triage gets to it: through a long burst (triage takes BUSY_SHARE, so at 5,000 msg/s it
 * falls ~4,000 a second behind) the backlog costs ~80 bytes a message instead of ~80 plus its
 * text (UTF-16: ~160 bytes for a 75-character line). A point read each when draining, only while
 * that far behind.
 */
const TEXTS_KEPT = 1000;
/**
 * Classified batches waiting for their write. Catching up after a burst, classifying (a batch
 * every 5 ms) runs ahead of writing: without this bound the backlog piled up classified, texts
 * and all, in the chain of writes, and the process's memory peaked at the end of a sale.
 */
const WRITES_AHEAD = 2;
// The triage write touches only the database and the transaction's events (a rule's reply or SMS
// is an outbox row): batched with the webhooks' writes without a savepoint of its own (store/writer.ts).
const RERUNNABLE = { rerunnable: true };

export interface TriagePipeline {
  stop(): void;
  /** Resolves once everything received so far is written (benchmarks and tests wait on it). */
  idle(): Promise<void>;
}

export function startTriage(d: Deps): TriagePipeline {
  const pending: Pending[] = [];
  const ready: Classified[] = [];
  let llmOpen = 0;
  let scheduled = false;
  let writing: Promise<void> = Promise.resolve();
  let writesAhead = 0;
  let stopped = false;
  let lastArrival = 0;
  let batchMs = 0;

  // A batch blocks the event loop while it classifies and writes; arrivals wait meanwhile, so the
  // window stretches by what the last batch took, or a long batch would look like a quiet moment.
  const busy = () => performance.now() - lastArrival < BUSY_WINDOW_MS + batchMs;
  const schedule = () => {
    if (scheduled || stopped) return;
    scheduled = true;
    const pause = busy() ? Math.min(MAX_PAUSE_MS, (batchMs * (1 - BUSY_SHARE)) / BUSY_SHARE) : 0;
    setTimeout(drain, Math.max(5, pause));
  };

  const off = d.events.on("message.created", (e) => {
    if (e.direction !== "in" || e.automatic || e.private) return;
    const keep = pending.length < TEXTS_KEPT;
    pending.push({ messageId: e.messageId, conversationId: e.conversationId, channelId: e.channelId, contactId: e.contactId, newContact: !!e.isNewContact, text: keep ? e.text : undefined, at: keep ? e.at : undefined });
    lastArrival = performance.now();
    schedule();
  });

  function drain() {
    scheduled = false;
    // The write that brings this under the bound schedules the next batch.
    if (writesAhead >= WRITES_AHEAD) return;
    const started = performance.now();
    const batch = pending.splice(0, BATCH);
    const model = d.model.current;
    for (const p of batch) {
      // The event carries what was stored; only an emitter without it costs a read.
      const m = p.text !== undefined && p.at !== undefined ? { text: p.text, created_at: p.at } : messageTextOf(d.store.sqlite, p.messageId);
      if (!m) continue;
      const local = classify(model, m.text);
      const item: Classified = { messageId: p.messageId, conversationId: p.conversationId, channelId: p.channelId, contactId: p.contactId, newContact: p.newContact, text: m.text, at: m.created_at, intent: local.intent, urgent: local.urgent, source: "local", categories: d.categories?.suggest(m.text) };
      if (d.llm && local.confidence < d.llmBelow) {
        llmOpen++;
        void d.llm.classify(m.text).then((v) => {
          llmOpen--;
          if (v) Object.assign(item, v, { source: "llm" });
          ready.push(item);
          flush();
        });
      } else ready.push(item);
    }
    flush(started);
    if (pending.length) schedule();
  }

  function flush(started = performance.now()) {
    if (!ready.length) return;
    const items = ready.splice(0);
    writesAhead++;
    writing = writing.then(() => write(items)).then(() => {
      batchMs = performance.now() - started;
      if (--writesAhead < WRITES_AHEAD && pending.length) schedule();
    });
  }

  async function write(items: Classified[]) {
    try {
      const teams = await d.writer.submit((tx) => {
        const rules = routingRulesFor(d.store.sqlite, d.writer).list();
        const touched = new Set<number>();
        for (const item of items) {
          const conv = applyTriage(tx, item);
          if (!conv) continue;
          if (item.categories?.length) addConversationCategories(tx, conv.id, item.categories);
          const team = routeMessage(tx, item, conv, rules, d.channels.get(item.channelId)?.type ?? "unknown", d.sender);
          if (team !== null) touched.add(team);
        }
        return [...touched];
      }, RERUNNABLE);
      const llm = items.filter((i) => i.source === "llm").length;
      if (llm) d.metrics.inc("pano_triage_classified_total", "Customer messages classified, by who decided", { source: "llm" }, llm);
      if (items.length > llm) d.metrics.inc("pano_triage_classified_total", "Customer messages classified, by who decided", { source: "local" }, items.length - llm);
      if (teams.length) d.onQueued(teams);
    } catch (err) {
      d.log("error", "triage write failed", { messages: items.length, error: String((err as Error)?.message ?? err) });
    }
  }

  return {
    stop() {
      stopped = true;
      off();
    },
    async idle() {
      while (pending.length || ready.length || llmOpen || scheduled) {
        await Bun.sleep(5);
        await writing;
      }
      await writing;
    },
  };
}

/**
 * The first message sets the intent; a later one refines it only from nothing or "other" (a
 * "thanks" must not turn a complaint into "other"). Urgency only ever rises automatically, and
 * an urgent conversation gets priority urgent so it sorts first in every queue.
 */
export function applyTriage(tx: Tx, item: Classified): ConversationRow | null {
  const conv = getConversation(tx.db, item.conversationId);
  if (!conv) return null;
  const patch: ConversationPatch = {};
  if (item.intent !== conv.intent && (conv.intent === null || (conv.intent === "other" && item.intent !== "other"))) patch.intent = item.intent;
  if (item.urgent && !conv.urgent) {
    patch.urgent = true;
    if (conv.priority !== "urgent") patch.priority = "urgent";
  }
  if (!Object.keys(patch).length) return conv;
  // An agent who corrected the triage has judged this conversation, even where they confirmed a
  // value rather than changed it: no later message overrides them.
  if (triageCorrected(tx.db, conv.id)) return conv;
  const human = humanSetFields(tx.db, conv.id);
  if (human.has("intent")) delete patch.intent;
  if (human.has("urgent")) delete patch.urgent;
  if (human.has("priority") || human.has("urgent")) delete patch.priority;
  if (!Object.keys(patch).length) return conv;
  return updateConversation(tx, conv.id, patch, { type: "system", id: null });
}
