// Triage: which intent a customer's message has and whether it is urgent. The contract the
// rest of Pano uses; the shipped weights are embedded in the executable (static import).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import shipped from "./model.json";
import { predict, type Intent, type Model, type Triage } from "./model.ts";
import { decodeModel, encodeModel, type ModelFile } from "./weights-file.ts";
import { retrainFrom, type Correction, type RetrainResult } from "./retrain.ts";
import type { TrainOptions } from "./train.ts";

export type { Intent, Model, Triage } from "./model.ts";
export { INTENTS } from "./model.ts";
export { train, type TrainingExample, type TrainOptions } from "./train.ts";
export { evaluate, formatReport, headlineScores, meetsTargets, TARGETS, type EvalReport } from "./evaluate.ts";
export type { Correction, RetrainResult } from "./retrain.ts";

/** Where an accepted retrained model lives in the data dir. */
export const DATA_DIR_MODEL = "triage-model.json";

let model: Model = decodeModel(shipped as unknown as ModelFile);

export function classify(text: string): Triage {
  return predict(model, text);
}

export function loadModel(json: string): void {
  model = decodeModel(JSON.parse(json));
}

export function currentModel(): Model {
  return model;
}

export function modelJson(m: Model = model): string {
  return JSON.stringify(encodeModel(m));
}

/** Serve calls this at startup: a retrained model in the data dir wins over the shipped one. */
export function useModelFromDataDir(dir: string): boolean {
  const path = join(dir, DATA_DIR_MODEL);
  if (!existsSync(path)) return false;
  loadModel(readFileSync(path, "utf8"));
  return true;
}

/** Writes a model where useModelFromDataDir finds it; atomic, so a crash never leaves half a file. */
export function saveModelToDataDir(dir: string, m: Model = model): void {
  const path = join(dir, DATA_DIR_MODEL);
  writeFileSync(path + ".tmp", modelJson(m));
  renameSync(path + ".tmp", path);
}

/** Trains on the shipped corpus plus corrections; an accepted model becomes the current one. */
export function retrain(opts: { corrections: Correction[]; train?: TrainOptions }): RetrainResult {
  const result = retrainFrom(model, opts.corrections, opts.train);
  if (result.accepted) model = result.model;
  return result;
}
