// The names of people who wrote, changed or hold a conversation, disabled ones included: a
// timeline keeps saying who did what after they leave. One query per page, never one per row.
import type { Database } from "bun:sqlite";

export function userNames(db: Database, ids: number[]): Map<number, string> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = db.query<{ id: number; name: string }, number[]>(`SELECT id, name FROM users WHERE id IN (${unique.map(() => "?").join(",")})`).all(...unique);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Agents as a switchboard names them (answered_by): their phone_user_id, else their email. */
export function switchboardUserNames(db: Database, ids: string[]): Map<string, string> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const marks = unique.map(() => "?").join(",");
  const rows = db
    .query<{ email: string; phone_user_id: string | null; name: string }, string[]>(`SELECT email, phone_user_id, name FROM users WHERE phone_user_id IN (${marks}) OR email IN (${marks})`)
    .all(...unique, ...unique);
  const out = new Map<string, string>();
  for (const r of rows) {
    out.set(r.email, r.name);
    if (r.phone_user_id) out.set(r.phone_user_id, r.name);
  }
  return out;
}
