// Cheap reads on the outbox for its worker and the metrics: is anything due, how deep is it.
// Claiming and marking rows are writes and live in outbound.ts.
import type { Database } from "bun:sqlite";
import { prepared } from "./prepared.ts";

/** Is any row due and not leased by a send under way? */
export function outboxHasDue(db: Database, now: number): boolean {
  return prepared(db, "SELECT 1 FROM outbox WHERE due_at <= ? AND (lease_until IS NULL OR lease_until < ?) LIMIT 1").get(now, now) !== null;
}

export function outboxDepth(db: Database): number {
  return prepared<{ n: number }, []>(db, "SELECT count(*) AS n FROM outbox").get()?.n ?? 0;
}
