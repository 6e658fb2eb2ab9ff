// PostgreSQL's migrations, applied at start by whichever Pano instance takes the migration lock
// first; the others wait for it, then find them applied.
//
// The schema comes from drizzle's snapshot (schema.ts): the base step creates all of it as of
// migrations/meta/0025_snapshot.json, plus what drizzle cannot express (migrations/postgres/*.sql).
// A later drizzle migration adds a step naming its snapshot: the difference from the step before
// is applied by itself when the schema only grows (tables, columns, foreign keys, indexes);
// anything else stops the start, asking for a hand-written file given as that step's `sql`.
//
// Full-text search (SQLite's message_search and contact_search FTS5 tables and the contacts_search_*
// triggers, migrations/0005_search_index.sql) is designed for PostgreSQL on its own: its file comes
// in as a step of its own after the base (only search_backfill, which every start reads, is here).
import snapshot0025 from "../../../migrations/meta/0025_snapshot.json" with { type: "json" };
import snapshot0026 from "../../../migrations/meta/0026_snapshot.json" with { type: "json" };
import snapshot0027 from "../../../migrations/meta/0027_snapshot.json" with { type: "json" };
import sqliteFunctions from "../../../migrations/postgres/0000_sqlite_functions.sql" with { type: "text" };
import searchBackfill from "../../../migrations/postgres/0005_search_backfill.sql" with { type: "text" };
import reportRollups from "../../../migrations/postgres/0020_report_rollups.sql" with { type: "text" };
import seedRows from "../../../migrations/postgres/0025_seed_rows.sql" with { type: "text" };
import search from "../../../migrations/postgres/0100_search.sql" with { type: "text" };
import live from "../../../migrations/postgres/0300_live.sql" with { type: "text" };
import instanceKeys from "../../../migrations/postgres/0400_instance_keys.sql" with { type: "text" };
import sharedState from "../../../migrations/postgres/0500_shared_state.sql" with { type: "text" };
import { lockedTransaction, type NativeSql } from "./locked-transaction.ts";
import { schemaChanges, schemaStatements, type Snapshot } from "./schema.ts";

export type { NativeSql };

export interface PostgresStep {
  tag: string;
  /** The drizzle snapshot the schema matches once this step is applied. */
  snapshot?: { name: string; schema: Snapshot };
  /** Hand-written SQL, applied after the snapshot's tables (in the base) or instead of the computed difference. */
  sql?: string[];
}

// Until a release has run on PostgreSQL, hand-written files join the base (migrations/postgres/NNNN_*.sql,
// in number order); once databases exist that applied it, the base is frozen and each change is a step.
export const POSTGRES_STEPS: PostgresStep[] = [
  {
    tag: "pg-base-0025",
    snapshot: { name: "0025_snapshot.json", schema: snapshot0025 as Snapshot },
    sql: [sqliteFunctions, searchBackfill, reportRollups, seedRows, search, live, instanceKeys, sharedState],
  },
  // search_position: used by SQLite's search thread only; created here so both stores hold one schema.
  { tag: "pg-0026", snapshot: { name: "0026_snapshot.json", schema: snapshot0026 as Snapshot } },
  // conversations_queue dropped (the difference is the DROP INDEX).
  { tag: "pg-0027", snapshot: { name: "0027_snapshot.json", schema: snapshot0027 as Snapshot } },
  // Next: { tag: "pg-0028", snapshot: { name: "0028_snapshot.json", schema: snapshot0028 } },
  // and with sql: [...] when the change is more than additions.
];

/** "pano_mig" in ASCII: the advisory lock all instances take to migrate. */
export const MIGRATION_LOCK = 8097875029610293607n;

const statements = (file: string) => file.split("--> statement-breakpoint").map((s) => s.trim()).filter(Boolean);

/** Each step's statements, in order: the base is the whole snapshot, a later step its difference or its own SQL. */
export function stepStatements(steps: PostgresStep[], i: number): string[] {
  const step = steps[i];
  const hand = (step.sql ?? []).flatMap(statements);
  if (!step.snapshot) return hand;
  const previous = steps.slice(0, i).reverse().find((s) => s.snapshot)?.snapshot;
  if (!previous) return [...schemaStatements(step.snapshot.schema), ...hand];
  if (step.sql) return hand;
  return schemaChanges(previous.schema, step.snapshot.schema, `${step.tag} (migrations/meta/${step.snapshot.name})`);
}

/** Applies the steps not applied yet, in one transaction under the migration lock; answers their tags. */
export function applyPostgresMigrations(db: NativeSql, steps: PostgresStep[] = POSTGRES_STEPS): string[] {
  return lockedTransaction(db, MIGRATION_LOCK, () => {
    db.native("CREATE TABLE IF NOT EXISTS pano_migrations (tag text PRIMARY KEY, applied_at bigint NOT NULL)");
    const done = new Set(db.native<{ tag: string }>("SELECT tag FROM pano_migrations").map((r) => r.tag));
    const applied: string[] = [];
    steps.forEach((step, i) => {
      if (done.has(step.tag)) return;
      for (const sql of stepStatements(steps, i)) db.native(sql);
      db.native("INSERT INTO pano_migrations (tag, applied_at) VALUES ($1, $2)", [step.tag, Date.now()]);
      applied.push(step.tag);
    });
    return applied;
  });
}
