// Whether the database answers at all: what /healthz reports to monitors.
import type { Database } from "bun:sqlite";

/** Throws what the database says when it cannot answer. */
export function checkDatabase(db: Database): void {
  db.query("SELECT 1").get();
}
