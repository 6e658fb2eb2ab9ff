// The customer's name for each conversation a drill-down lists, in one query.
import type { Database } from "bun:sqlite";

export function conversationContactNames(db: Database, conversationIds: number[]): Map<number, string | null> {
  if (!conversationIds.length) return new Map();
  const rows = db.query<{ id: number; name: string | null }, number[]>(
    `SELECT c.id, k.name FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE c.id IN (${conversationIds.map(() => "?").join(",")})`,
  ).all(...conversationIds);
  return new Map(rows.map((r) => [r.id, r.name]));
}
