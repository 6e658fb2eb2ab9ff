// Which channels stopped working, read from the database rather than the channel cache: the live
// notice that one changed can arrive before the cache has reloaded.
import type { Database } from "bun:sqlite";

const TROUBLE_STATUSES = ["needs_reconnect", "error"] as const;
export type TroubleStatus = (typeof TROUBLE_STATUSES)[number];

export interface TroubledChannelRow {
  id: number;
  name: string;
  type: string;
  status: TroubleStatus;
  status_detail: string | null;
}

export function troubledChannelRows(db: Database): TroubledChannelRow[] {
  return db
    .query<TroubledChannelRow, []>(
      "SELECT id, name, type, status, status_detail FROM channels WHERE deleted_at IS NULL AND status IN ('needs_reconnect', 'error') ORDER BY id",
    )
    .all();
}

/** The channel's trouble, or "ok" (working, removed or unknown: nothing anyone can fix). */
export function channelTrouble(db: Database, channelId: number): TroubleStatus | "ok" {
  const r = db.query<{ status: string; deleted_at: number | null }, [number]>("SELECT status, deleted_at FROM channels WHERE id = ?").get(channelId);
  return r && !r.deleted_at && (TROUBLE_STATUSES as readonly string[]).includes(r.status) ? (r.status as TroubleStatus) : "ok";
}
