// The triage model this process classifies with: loaded once at start (a retrained model in the
// data dir wins over the shipped one) and replaced in place when a retrain is kept, so the
// pipeline, the API's classify endpoints and the next retrain all see the same one.
import { retrain, shippedModel, type Correction, type Model, type RetrainResult } from "../domain/triage/index.ts";
import { readRetrainedModel, saveRetrainedModel } from "../store/triage-model.ts";

export interface TriageModel {
  current: Model;
  /** Where `current` came from when loaded; a retrain kept since then is "retrained" too. */
  source: "shipped" | "retrained";
}

export function loadTriageModel(dataDir: string, opts: { shipped?: boolean } = {}): TriageModel {
  const retrained = opts.shipped ? null : readRetrainedModel(dataDir);
  return retrained ? { current: retrained, source: "retrained" } : { current: shippedModel(), source: "shipped" };
}

/** Retrains from the current model; a result that is not worse is saved to the data dir and becomes current. */
export function retrainModel(model: TriageModel, dataDir: string, corrections: Correction[]): RetrainResult {
  const result = retrain(model.current, { corrections });
  if (result.accepted) {
    saveRetrainedModel(dataDir, result.model);
    model.current = result.model;
    model.source = "retrained";
  }
  return result;
}
