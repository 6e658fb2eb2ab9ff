// The SLA breach watch: now and then, every conversation still being worked whose policy's next
// target has passed is recorded as breached, once per target and due time, and the policy's
// breach actions are applied (escalate priority, move team, reassign or back to the queue). The
// "sla.breached" event then tells the team's supervisors (notifications) and any webhook.
import type { Database } from "bun:sqlite";
import type { Writer } from "../store/writer.ts";
import type { Logger } from "../log.ts";
import { nextDue, slaLevel, type SlaTarget } from "../domain/sla.ts";
import { parseBreachActions } from "../domain/sla-breach.ts";
import { slaLookup, breachActionsLookup } from "../store/sla-policies.ts";
import { conversationsUnderSla, breachRecorded, recordBreach, type SlaWorkRow } from "../store/sla-breaches.ts";
import { every } from "./every.ts";

export interface Breach { row: SlaWorkRow; target: SlaTarget; dueAt: number; actions: ReturnType<typeof parseBreachActions> }

/** Breaches as of `now` not yet recorded. */
export function findBreaches(db: Database, now: number): Breach[] {
  const lookup = slaLookup(db);
  const actionsOf = breachActionsLookup(db);
  const out: Breach[] = [];
  for (const row of conversationsUnderSla(db)) {
    const scope = lookup(row.team_id, row.priority);
    if (!scope) continue;
    const due = nextDue({ createdAt: row.created_at, firstResponseAt: row.first_response_at, waitingSince: row.waiting_since, resolvedAt: row.resolved_at, status: row.status }, scope.policy, scope.hours);
    if (!due || !Number.isFinite(due.dueAt) || slaLevel(due, now, scope.hours) !== "red") continue;
    if (breachRecorded(db, row.id, due.target, due.dueAt)) continue;
    out.push({ row, target: due.target, dueAt: due.dueAt, actions: parseBreachActions(actionsOf(row.team_id, row.priority)) });
  }
  return out;
}

/** Records what `findBreaches` found, in one write. */
export async function recordBreaches(writer: Writer, breaches: Breach[]): Promise<number> {
  if (!breaches.length) return 0;
  return writer.submit((tx) => breaches.filter((b) => recordBreach(tx, b.row, b.target, b.dueAt, b.actions)).length);
}

export function watchBreaches(d: { db: Database; writer: Writer; log: Logger; everyMs: number; now?: () => number }): () => void {
  return every(d.everyMs, async () => {
    const n = await recordBreaches(d.writer, findBreaches(d.db, (d.now ?? Date.now)()));
    if (n) d.log("info", "SLA breaches recorded", { count: n });
  }, (err) => d.log("error", "SLA breach check failed", { error: String(err) }));
}
