// API tokens as the settings page lists them: who owns each, when it was last used, revoked or not.
// Creating and checking tokens stays in users.ts; only hashes are stored, so nothing here can
// show a token again.
import type { Database } from "bun:sqlite";

export interface TokenListRow {
  id: number;
  name: string;
  prefix: string;
  scopes: string;
  channel_ids: string | null;
  user_id: number;
  owner_name: string | null;
  owner_email: string | null;
  last_used_at: number | null;
  revoked_at: number | null;
  created_at: number;
}

export function listApiTokens(db: Database): TokenListRow[] {
  return db
    .query<TokenListRow, []>(
      `SELECT t.id, t.name, t.prefix, t.scopes, t.channel_ids, t.user_id, u.name AS owner_name, u.email AS owner_email, t.last_used_at, t.revoked_at, t.created_at
       FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id
       ORDER BY t.revoked_at IS NOT NULL, t.id DESC`,
    )
    .all();
}

export function apiToken(db: Database, id: number): TokenListRow | null {
  return listApiTokens(db).find((t) => t.id === id) ?? null;
}

/** Of these channel ids, those with no live channel: a token cannot be limited to them. */
export function missingChannels(db: Database, ids: number[]): number[] {
  const exists = db.query<{ n: number }, [number]>("SELECT 1 AS n FROM channels WHERE id = ? AND deleted_at IS NULL");
  return ids.filter((id) => !exists.get(id));
}
