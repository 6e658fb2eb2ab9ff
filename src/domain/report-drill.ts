// The conversations behind a dashboard figure: the same facts and the same rules the figure was
// counted with (summarise in reports.ts), so the list a manager opens always adds up to the number.
import { breachesSla, type ConversationFact, type SlaJudge } from "./reports.ts";

export const DRILL_METRICS = ["opened", "resolved", "first_response", "resolution", "sla_breaches", "unanswered"] as const;
export type DrillMetric = (typeof DRILL_METRICS)[number];
export const isDrillMetric = (v: unknown): v is DrillMetric => typeof v === "string" && (DRILL_METRICS as readonly string[]).includes(v);

export interface DrillRow {
  fact: ConversationFact;
  firstResponseS: number | null;
  resolutionS: number | null;
  missed: ("first_response" | "next_response" | "resolution")[];
}

const secs = (ms: number) => Math.round(ms / 1000);

/**
 * `opened`/`resolved`: created/resolved in the range, newest first; `first_response`/`resolution`:
 * the ones those times were measured on, slowest first (the ones to look at); `sla_breaches`: opened
 * in the range with a missed target; `unanswered`: opened in the range, no first reply yet, oldest first.
 */
export function drillDown(facts: ConversationFact[], metric: DrillMetric, range: { from: number; to: number }, slaMs: number, now: number, judge?: SlaJudge): DrillRow[] {
  const at = Math.min(now, range.to);
  const row = (f: ConversationFact): DrillRow => ({
    fact: f,
    firstResponseS: f.firstResponseAt !== null ? secs(f.firstResponseAt - f.createdAt) : null,
    resolutionS: f.resolvedAt !== null ? secs(f.resolvedAt - f.createdAt) : null,
    missed: judge?.(f, at) ?? (breachesSla(f, slaMs, at) ? ["first_response"] : []),
  });
  const opened = () => facts.filter((f) => f.createdAt >= range.from && f.createdAt < range.to);
  const resolved = () => facts.filter((f) => f.resolvedAt !== null && f.resolvedAt >= range.from && f.resolvedAt < range.to);
  switch (metric) {
    case "opened": return opened().sort((a, b) => b.createdAt - a.createdAt).map(row);
    case "resolved": return resolved().sort((a, b) => b.resolvedAt! - a.resolvedAt!).map(row);
    case "first_response": return opened().filter((f) => f.firstResponseAt !== null).map(row).sort((a, b) => b.firstResponseS! - a.firstResponseS!);
    case "resolution": return resolved().map(row).sort((a, b) => b.resolutionS! - a.resolutionS!);
    case "sla_breaches": return opened().map(row).filter((r) => r.missed.length > 0).sort((a, b) => b.fact.createdAt - a.fact.createdAt);
    case "unanswered": return opened().filter((f) => f.firstResponseAt === null).sort((a, b) => a.createdAt - b.createdAt).map(row);
  }
}
