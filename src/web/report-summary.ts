// The report summary the dashboard (/reports) and the API (/api/v1/reports/summary) both answer
// with, built once from the same query parameters, and its CSV.
import type { Context } from "hono";
import type { Pano } from "../pano.ts";
import { PanoError } from "../domain/errors.ts";
import { summarise, groupBy, type Summary } from "../domain/reports.ts";
import { conversationFacts, csatFacts } from "../store/reports.ts";
import { optionalId } from "./routes/api/input.ts";
import { csvText } from "./csv.ts";

function parseTime(v: string | undefined, field: string, dflt: number): number {
  if (!v) return dflt;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new PanoError("validation_failed", `${field}: must be an ISO 8601 date or time`, field);
  return t;
}

/** The summary for a query (API or dashboard page): `q(name)` reads one query parameter. */
export function buildSummary(pano: Pano, q: (name: string) => string | undefined) {
  const now = Date.now();
  const to = parseTime(q("to"), "to", now);
  const from = parseTime(q("from"), "from", to - 7 * 86400_000);
  if (from >= to) throw new PanoError("validation_failed", "from: must be before to", "from");
  const slaMinutes = Number(q("sla_minutes") ?? 60);
  if (!Number.isFinite(slaMinutes) || slaMinutes <= 0) throw new PanoError("validation_failed", "sla_minutes: must be a positive number", "sla_minutes");
  const filter = { teamId: optionalId(q("team_id"), "team_id"), agentId: optionalId(q("agent_id"), "agent_id") };
  const facts = conversationFacts(pano.store.sqlite, { from, to }, filter);
  const ratings = csatFacts(pano.store.sqlite, { from, to }, filter);
  const ratingsByChannel = groupBy(ratings, (r) => r.channelId);
  const ratingsByAgent = groupBy(ratings, (r) => r.assigneeId);
  const range = { from, to };
  const sla = slaMinutes * 60_000;
  const users = new Map(pano.users.list().map((u) => [u.id, u.name]));
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    sla_minutes: slaMinutes,
    ...summarise(facts, range, sla, now, ratings),
    by_channel: [...groupBy(facts, (f) => f.channelId)].map(([id, fs]) => ({ channel_id: String(id), channel_type: fs[0].channelType, name: pano.channels.get(id)?.name ?? null, ...summarise(fs, range, sla, now, ratingsByChannel.get(id)) })),
    by_agent: [...groupBy(facts, (f) => f.assigneeId)].map(([id, fs]) => ({ agent_id: id === null ? null : String(id), name: id === null ? null : users.get(id) ?? null, ...summarise(fs, range, sla, now, ratingsByAgent.get(id)) })),
  };
}

const CSV_COLUMNS: [string, (s: Summary) => unknown][] = [
  ["conversations_opened", (s) => s.conversations_opened],
  ["conversations_resolved", (s) => s.conversations_resolved],
  ["first_response_p50_s", (s) => s.first_response_seconds.p50],
  ["first_response_p90_s", (s) => s.first_response_seconds.p90],
  ["resolution_p50_s", (s) => s.resolution_seconds.p50],
  ["resolution_p90_s", (s) => s.resolution_seconds.p90],
  ["handle_p50_s", (s) => s.handle_seconds.p50],
  ["sla_breaches", (s) => s.sla_breaches],
  ["csat_responses", (s) => s.csat.responses],
  ["csat_average", (s) => s.csat.average],
];

export function csvResponse(c: Context, r: ReturnType<typeof buildSummary>): Response {
  const rows = [
    ["scope", "id", "name", ...CSV_COLUMNS.map(([n]) => n)],
    ["all", "", "", ...CSV_COLUMNS.map(([, f]) => f(r))],
    ...r.by_channel.map((s) => ["channel", s.channel_id, s.name, ...CSV_COLUMNS.map(([, f]) => f(s))]),
    ...r.by_agent.map((s) => ["agent", s.agent_id ?? "", s.name ?? "unassigned", ...CSV_COLUMNS.map(([, f]) => f(s))]),
  ];
  return c.body(csvText(rows), 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="pano-report.csv"` });
}
