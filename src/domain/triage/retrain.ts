// Nightly retrain: the shipped corpus plus agents' corrections; the new model is kept only if it
// is not worse than the current one on the held-out split.
import { heldoutCorpus, trainingCorpus } from "./corpus.ts";
import { evaluate, type EvalReport } from "./evaluate.ts";
import type { Intent, Model } from "./model.ts";
import { train, type TrainOptions } from "./train.ts";

export interface Correction {
  text: string;
  intent?: Intent | null;
  urgent?: boolean | null;
}

export interface RetrainResult {
  accepted: boolean;
  before: EvalReport;
  after: EvalReport;
  model: Model;
}

/** An agent's correction is evidence about this business's customers: it counts three times. */
export const CORRECTION_WEIGHT = 3;
/** "Not worse" allows a rounding-size dip (one held-out message in ~400), no more. */
export const TOLERANCE = 0.005;

export function retrainFrom(current: Model, corrections: Correction[], opts: TrainOptions = {}): RetrainResult {
  const heldout = heldoutCorpus();
  const before = evaluate(current, heldout);
  const usable = corrections.filter((c) => typeof c.text === "string" && c.text.trim() && (c.intent || typeof c.urgent === "boolean"));
  const model = train([...trainingCorpus(), ...usable.map((c) => ({ ...c, weight: CORRECTION_WEIGHT }))], opts);
  const after = evaluate(model, heldout);
  const accepted = after.macroF1 >= before.macroF1 - TOLERANCE && after.urgent.recall >= before.urgent.recall - TOLERANCE;
  return { accepted, before, after, model };
}
