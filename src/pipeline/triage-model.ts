// The triage model this process classifies with: loaded once at start (a retrained model wins over
// the shipped one) and replaced in place when a retrain is kept, so the pipeline, the API's
// classify endpoints and the next retrain all see the same one. On SQLite the retrained model is
// the data dir's; instances sharing a PostgreSQL database share it through the database, and each
// picks up one another instance kept (refresh).
import type { Database } from "bun:sqlite";
import { retrain, shippedModel, type Correction, type Model, type RetrainResult } from "../domain/triage/index.ts";
import { readRetrainedModel, readSharedModel, saveRetrainedModel, saveSharedModel, sharedModelSavedAt } from "../store/triage-model.ts";

export interface TriageModel {
  current: Model;
  /** Where `current` came from when loaded; a retrain kept since then is "retrained" too. */
  source: "shipped" | "retrained";
  /** Keeps a retrained model where the next start (any instance's, on PostgreSQL) finds it, and makes it current. */
  keep(m: Model): void;
  /** Takes a model another instance kept since this one was loaded; true when it did. */
  refresh(): boolean;
}

/** `shared`: the database several instances share (PostgreSQL); null keeps the model in the data dir. */
export function loadTriageModel(dataDir: string, opts: { shipped?: boolean; shared?: Database | null } = {}): TriageModel {
  if (opts.shared) return sharedTriageModel(opts.shared, opts.shipped ? null : readRetrainedModel(dataDir), !!opts.shipped);
  const retrained = opts.shipped ? null : readRetrainedModel(dataDir);
  const model: TriageModel = {
    current: retrained ?? shippedModel(),
    source: retrained ? "retrained" : "shipped",
    keep(m) {
      saveRetrainedModel(dataDir, m);
      model.current = m;
      model.source = "retrained";
    },
    refresh: () => false,
  };
  return model;
}

/**
 * The database's model. `fromDataDir`: this data dir's retrained model (a store moved over from
 * SQLite), offered when the database has none yet.
 */
function sharedTriageModel(db: Database, fromDataDir: Model | null, shipped: boolean): TriageModel {
  let stored = shipped ? null : readSharedModel(db);
  if (!stored && fromDataDir && !shipped) {
    saveSharedModel(db, fromDataDir, Date.now());
    stored = readSharedModel(db);
  }
  let savedAt = stored?.savedAt ?? null;
  const model: TriageModel = {
    current: stored?.model ?? shippedModel(),
    source: stored ? "retrained" : "shipped",
    keep(m) {
      savedAt = Date.now();
      saveSharedModel(db, m, savedAt);
      model.current = m;
      model.source = "retrained";
    },
    refresh() {
      if (shipped || sharedModelSavedAt(db) === savedAt) return false;
      const now = readSharedModel(db);
      if (!now) return false;
      savedAt = now.savedAt;
      model.current = now.model;
      model.source = "retrained";
      return true;
    },
  };
  return model;
}

/** Retrains from the current model; a result that is not worse is kept (model.keep) and becomes current. */
export function retrainModel(model: TriageModel, corrections: Correction[]): RetrainResult {
  const result = retrain(model.current, { corrections });
  if (result.accepted) model.keep(result.model);
  return result;
}
