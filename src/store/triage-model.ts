// The retrained triage model in the data dir: a retrain that is not worse than the current model
// writes it here, and the next start (or the CLI) reads it instead of the shipped weights.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { modelJson, parseModel, type Model } from "../domain/triage/index.ts";

const DATA_DIR_MODEL = "triage-model.json";

/** The retrained model, or null when the data dir has none. */
export function readRetrainedModel(dataDir: string): Model | null {
  const path = join(dataDir, DATA_DIR_MODEL);
  if (!existsSync(path)) return null;
  return parseModel(readFileSync(path, "utf8"));
}

/** Atomic, so a crash never leaves half a file for the next start to choke on. */
export function saveRetrainedModel(dataDir: string, m: Model): void {
  const path = join(dataDir, DATA_DIR_MODEL);
  writeFileSync(path + ".tmp", modelJson(m));
  renameSync(path + ".tmp", path);
}
