// The after-commit work on customer messages, wired together: triage classifies, routing rules
// act on the result (both in one writer job per batch), assignment hands the waiting work out,
// and the nightly retrain keeps the triage model learning from agents' corrections.
import type { Config } from "../config.ts";
import type { Store } from "../store/db.ts";
import type { Writer } from "../store/writer.ts";
import type { ChannelDirectory } from "../store/channels.ts";
import type { ChannelRuntime } from "../channels/channel.ts";
import type { EventBus } from "./events.ts";
import type { Presence } from "./presence.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import type { TriageModel } from "./triage-model.ts";
import type { CategoryLearner } from "./categories.ts";
import { createLlmTriage } from "./llm.ts";
import { startTriage, type TriagePipeline } from "./triage.ts";
import { startAssignment, type Assigner } from "./assignment.ts";
import { startRetrainJob, type RetrainJob } from "./retrain-job.ts";

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
  triageModel: TriageModel;
  /** Channels' services for rules that send an SMS or a ZNS. */
  runtime?: ChannelRuntime;
  categories: CategoryLearner;
}

/** Triage, then rules, then assignment: started by Pano.start() unless PANO_TRIAGE=off. */
export function startRouting(d: RoutingDeps): Routing {
  if (d.triageModel.source === "retrained") d.log("info", `triage: using the retrained model from the ${d.store.kind === "postgres" ? "database" : "data dir"}`);
  const llm = d.config.llmUrl
    ? createLlmTriage({ url: d.config.llmUrl, model: d.config.llmModel, apiKey: d.config.llmApiKey, timeoutMs: d.config.llmTimeoutMs, http: d.http, log: d.log, metrics: d.metrics })
    : null;
  const assigner = startAssignment({ store: d.store, writer: d.writer, events: d.events, presence: d.presence, log: d.log, metrics: d.metrics });
  const triage = startTriage({
    store: d.store, writer: d.writer, events: d.events, channels: d.channels, log: d.log, metrics: d.metrics, model: d.triageModel, categories: d.categories,
    llm, llmBelow: d.config.llmBelowConfidence, onQueued: (teams) => assigner.touch(teams), sender: d.runtime ? { channels: d.channels, runtime: d.runtime } : undefined,
  });
  const retrain = startRetrainJob({ store: d.store, model: d.triageModel, log: d.log, metrics: d.metrics, at: d.config.triageRetrainAt });
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
