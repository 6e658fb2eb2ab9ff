// Reading teams: their names for pickers and timelines, and whether one exists (for checks at save).
import type { Database } from "bun:sqlite";

export interface TeamName {
  id: number;
  name: string;
}

/** Every team, by name (pickers and filters). */
export function teamNames(db: Database): TeamName[] {
  return db.query<TeamName, []>("SELECT id, name FROM teams ORDER BY name").all();
}

export function teamExists(db: Database, id: number): boolean {
  return !!db.query("SELECT 1 FROM teams WHERE id = ?").get(id);
}
