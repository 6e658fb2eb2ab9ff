// The names of people who wrote, changed or hold a conversation, disabled ones included: a
// timeline keeps saying who did what after they leave. One query per page, never one per row.
import type { Database } from "bun:sqlite";

export function userNames(db: Database, ids: number[]): Map<number, string> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = db.query<{ id: number; name: string }, number[]>(`SELECT id, name FROM users WHERE id IN (${unique.map(() => "?").join(",")})`).all(...unique);
  return new Map(rows.map((r) => [r.id, r.name]));
}
