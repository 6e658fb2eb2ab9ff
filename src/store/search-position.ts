// How far customers' messages are indexed for search (SQLite): the search thread's work, and the
// main writer's when there is no thread. The position moves in the same transaction as the index
// rows it covers (the caller's), so a crash neither loses a message nor indexes one twice.
import type { Database } from "bun:sqlite";
import { messageSearchText } from "./search-text.ts";

/** Indexes up to `limit` messages past the position, in the caller's transaction; answers how many it read. */
export function indexPastPosition(db: Database, limit: number): number {
  const at = db.query<{ id: number }, []>("SELECT message_id AS id FROM search_position WHERE id = 1").get()?.id ?? 0;
  const rows = db.query<{ id: number; text: string; meta: string | null }, [number, number]>("SELECT id, text, meta FROM messages WHERE id > ? ORDER BY id LIMIT ?").all(at, limit);
  if (!rows.length) return 0;
  const index = db.query<unknown, [number, string]>("INSERT OR REPLACE INTO message_search (rowid, body) VALUES (?, ?)");
  for (const r of rows) {
    const body = messageSearchText(r.text, r.meta);
    if (body.trim()) index.run(r.id, body);
  }
  db.query<unknown, [number]>("INSERT OR REPLACE INTO search_position (id, message_id) VALUES (1, ?)").run(rows[rows.length - 1].id);
  return rows.length;
}

/** The newest message stored, and how far the index has got. */
export function searchProgress(db: Database): { top: number; position: number } {
  return db.query<{ top: number; position: number }, []>(
    "SELECT coalesce((SELECT max(id) FROM messages), 0) AS top, coalesce((SELECT message_id FROM search_position WHERE id = 1), 0) AS position",
  ).get() ?? { top: 0, position: 0 };
}

/** Messages stored past the position: what search does not find yet. */
export function searchBacklog(db: Database): number {
  const { top, position } = searchProgress(db);
  return top - position;
}
