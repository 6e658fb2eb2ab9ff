// Whether a person can take work: enabled, and "online" by their own choice (presence, whether
// they have Pano open, is the pipeline's in-memory part of the answer).
import type { Database } from "bun:sqlite";
import { prepared } from "./prepared.ts";

/** The availability an enabled user chose (online, away, offline); null for a disabled or unknown one. */
export function availabilityOf(db: Database, userId: number): string | null {
  return prepared<{ availability: string }, [number]>(db, "SELECT availability FROM users WHERE id = ? AND disabled_at IS NULL").get(userId)?.availability ?? null;
}
