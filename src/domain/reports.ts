// Team performance from conversation facts: pure computations, no database.

export interface ConversationFact {
  channelId: number;
  channelType: string;
  assigneeId: number | null;
  createdAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
}

export interface CsatFact {
  channelId: number;
  assigneeId: number | null;
  rating: number;
}

export interface Summary {
  conversations_opened: number;
  conversations_resolved: number;
  first_response_seconds: { p50: number | null; p90: number | null };
  resolution_seconds: { p50: number | null; p90: number | null };
  /** From the first reply to resolution: the time agents actually worked the conversation. */
  handle_seconds: { p50: number | null; p90: number | null };
  sla_breaches: number;
  csat: { responses: number; average: number | null };
}

/** Nearest-rank percentile; null for no data (a report must not invent a zero). */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const seconds = (ms: number) => Math.round(ms / 1000);

/** A conversation breaches the first-response SLA if nobody answered within `slaMs` (answered late, or still waiting past it at `now`). */
export function breachesSla(f: ConversationFact, slaMs: number, now: number): boolean {
  const answeredAfter = (f.firstResponseAt ?? now) - f.createdAt;
  return answeredAfter > slaMs;
}

export function summarise(facts: ConversationFact[], range: { from: number; to: number }, slaMs: number, now: number, ratings: CsatFact[] = []): Summary {
  const opened = facts.filter((f) => f.createdAt >= range.from && f.createdAt < range.to);
  const resolved = facts.filter((f) => f.resolvedAt !== null && f.resolvedAt >= range.from && f.resolvedAt < range.to);
  const firstResponse = opened.filter((f) => f.firstResponseAt !== null).map((f) => seconds(f.firstResponseAt! - f.createdAt));
  const resolution = resolved.map((f) => seconds(f.resolvedAt! - f.createdAt));
  const handle = resolved.filter((f) => f.firstResponseAt !== null).map((f) => seconds(f.resolvedAt! - f.firstResponseAt!));
  return {
    conversations_opened: opened.length,
    conversations_resolved: resolved.length,
    first_response_seconds: { p50: percentile(firstResponse, 50), p90: percentile(firstResponse, 90) },
    resolution_seconds: { p50: percentile(resolution, 50), p90: percentile(resolution, 90) },
    handle_seconds: { p50: percentile(handle, 50), p90: percentile(handle, 90) },
    sla_breaches: opened.filter((f) => breachesSla(f, slaMs, Math.min(now, range.to))).length,
    csat: { responses: ratings.length, average: ratings.length ? Math.round((ratings.reduce((a, r) => a + r.rating, 0) / ratings.length) * 100) / 100 : null },
  };
}

export function groupBy<F, K>(facts: F[], key: (f: F) => K): Map<K, F[]> {
  const m = new Map<K, F[]>();
  for (const f of facts) m.set(key(f), [...(m.get(key(f)) ?? []), f]);
  return m;
}
