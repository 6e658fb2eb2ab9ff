// The nightly retrain, in process: once a day at a quiet hour (PANO_TRIAGE_RETRAIN_AT, local
// time in Asia/Ho_Chi_Minh) the model learns from the corrections agents made. It runs on a timer,
// never on the ingest path; a new model is kept only if it is not worse on the held-out split,
// and both scores are logged either way.
import type { Store } from "../store/db.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { listCorrections } from "../store/corrections.ts";
import { headlineScores } from "../domain/triage/index.ts";
import { retrainModel, type TriageModel } from "./triage-model.ts";
import { DEFAULT_TIMEZONE } from "../domain/routing.ts";

interface Deps {
  store: Store;
  /** The model the pipeline classifies with: a kept retrain replaces it in place. */
  model: TriageModel;
  log: Logger;
  metrics: Metrics;
  /** "HH:MM" local time, or null for no nightly run. */
  at: string | null;
  now?: () => number;
}

export interface RetrainOutcome {
  accepted: boolean;
  corrections: number;
  before: Scores;
  after: Scores;
}
type Scores = ReturnType<typeof headlineScores>;

export interface RetrainJob {
  runNow(): Promise<RetrainOutcome>;
  stop(): void;
}

/** How often an instance on PostgreSQL looks for a retrained model another instance kept. */
const SHARED_MODEL_CHECK_MS = 60_000;

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** Milliseconds from `now` until the next HH:MM in the given time zone. */
export function msUntilNext(hhmm: string, now: number, tz = DEFAULT_TIMEZONE): number {
  const [h, m] = hhmm.split(":").map(Number);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: tz, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).formatToParts(new Date(now)).map((p) => [p.type, p.value]),
  );
  const nowSec = Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
  let wait = h * 3600 + m * 60 - nowSec;
  if (wait <= 0) wait += 86_400;
  return wait * 1000;
}

export function startRetrainJob(d: Deps): RetrainJob {
  const now = d.now ?? Date.now;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<RetrainOutcome> | null = null;

  async function runOnce(): Promise<RetrainOutcome> {
    // Let pending I/O go first: the training itself is synchronous CPU work.
    await Bun.sleep(0);
    // Another instance may have kept one since (PostgreSQL): learn on from that one.
    d.model.refresh();
    const corrections = listCorrections(d.store.sqlite);
    const started = performance.now();
    const result = retrainModel(d.model, corrections);
    const outcome = { accepted: result.accepted, corrections: corrections.length, before: headlineScores(result.before), after: headlineScores(result.after) };
    d.metrics.inc("pano_triage_retrains_total", "Triage retrains, by outcome", { outcome: result.accepted ? "kept" : "rejected" });
    d.log("info", result.accepted ? "triage retrain: new model kept" : "triage retrain: new model is worse, current model kept", {
      ...outcome, seconds: round((performance.now() - started) / 1000),
    });
    return outcome;
  }

  const runNow = () => {
    running ??= runOnce().finally(() => (running = null));
    return running;
  };

  const plan = () => {
    if (!d.at) return;
    timer = setTimeout(async () => {
      await runNow().catch((err) => d.log("error", "triage retrain failed", { error: String((err as Error)?.message ?? err) }));
      plan();
    }, msUntilNext(d.at, now()));
  };
  plan();
  // Several instances (PostgreSQL): one that kept a retrain (the CLI, or another's nightly run) is taken up here too.
  const watch = d.store.kind === "postgres" ? setInterval(() => {
    try {
      if (d.model.refresh()) d.log("info", "triage: using the retrained model another instance kept", {});
    } catch (err) {
      d.log("warn", "triage: looking for a newer retrained model failed", { error: String((err as Error)?.message ?? err) });
    }
  }, SHARED_MODEL_CHECK_MS) : null;
  (watch as { unref?: () => void } | null)?.unref?.();

  return {
    runNow,
    stop() {
      if (timer) clearTimeout(timer);
      if (watch) clearInterval(watch);
    },
  };
}
