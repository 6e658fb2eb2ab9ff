// The retrained triage model in the data dir: a retrain that is not worse than the current model
// writes it here, and the next start (or the CLI) reads it instead of the shipped weights. Instances
// sharing a PostgreSQL database keep it in the database instead (pano_triage_model, migrations/
// postgres/0500), so one with an empty data dir classifies as the others do.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Database } from "bun:sqlite";
import type { PostgresDatabase } from "./postgres/connection.ts";
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

const pg = (db: Database) => db as unknown as PostgresDatabase;

/** When the shared retrained model was saved (null: none yet): a cheap look for instances to notice a new one. */
export function sharedModelSavedAt(db: Database): number | null {
  return pg(db).native<{ saved_at: number }>("SELECT saved_at FROM pano_triage_model WHERE id = 1")[0]?.saved_at ?? null;
}

export function readSharedModel(db: Database): { model: Model; savedAt: number } | null {
  const row = pg(db).native<{ model: string; saved_at: number }>("SELECT model, saved_at FROM pano_triage_model WHERE id = 1")[0];
  return row ? { model: parseModel(row.model), savedAt: row.saved_at } : null;
}

export function saveSharedModel(db: Database, m: Model, savedAt: number): void {
  pg(db).native(
    "INSERT INTO pano_triage_model (id, model, saved_at) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET model = excluded.model, saved_at = excluded.saved_at",
    [modelJson(m), savedAt],
  );
}
