// Triage: which intent a customer's message has and whether it is urgent. The contract the
// rest of Pano uses. A model is a value the caller holds and passes in: the shipped weights
// (embedded in the executable by a static import) or a retrained model the pipeline loaded.
import shipped from "./model.json";
import { predict, type Model, type Triage } from "./model.ts";
import { decodeModel, encodeModel, type ModelFile } from "./weights-file.ts";
import { retrainFrom, type Correction, type RetrainResult } from "./retrain.ts";
import type { TrainOptions } from "./train.ts";

export type { Intent, Model, Triage } from "./model.ts";
export { INTENTS } from "./model.ts";
export { train, type TrainingExample, type TrainOptions } from "./train.ts";
export { evaluate, formatReport, headlineScores, meetsTargets, TARGETS, type EvalReport } from "./evaluate.ts";
export type { Correction, RetrainResult } from "./retrain.ts";
export { ModelFormatError } from "./weights-file.ts";

export function classify(model: Model, text: string): Triage {
  return predict(model, text);
}

/** The model built into this executable, decoded afresh: callers own what they get. */
export function shippedModel(): Model {
  return decodeModel(shipped as unknown as ModelFile);
}

/** A model from its weights file's text (throws ModelFormatError on anything else). */
export function parseModel(json: string): Model {
  return decodeModel(JSON.parse(json));
}

export function modelJson(m: Model): string {
  return JSON.stringify(encodeModel(m));
}

/** Trains on the shipped corpus plus corrections and says whether the result beats `current`. */
export function retrain(current: Model, opts: { corrections: Correction[]; train?: TrainOptions }): RetrainResult {
  return retrainFrom(current, opts.corrections, opts.train);
}
