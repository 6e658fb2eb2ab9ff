// The report summary the dashboard (/reports) and the API (/api/v1/reports/summary) both answer
// with, built once from the same query parameters, and its CSV.
import type { Context } from "hono";
import type { Pano } from "../pano.ts";
import { PanoError } from "../domain/errors.ts";
import type { Database } from "bun:sqlite";
import { Tally, groupBy, creditFrom, repliesOf, responseIntervals, p50p90, type Summary, type ConversationFact, type CsatFact, type AgentCredit, type SlaJudge } from "../domain/reports.ts";
import { policyJudgeOf } from "../domain/sla.ts";
import { slaLookup, listSlaPolicies } from "../store/sla-policies.ts";
import { conversationFacts, csatFacts, messageFacts } from "../store/reports.ts";
import { rollupRows } from "../store/report-rollups-read.ts";
import { ConversationColumns } from "../domain/report-columns.ts";
import { groupFigures, groupsBy, rowGroups } from "../domain/report-groups.ts";
import { surveyFacts, type SurveyFact } from "../store/csat.ts";
import { surveyFigures, type SurveyFigures } from "../domain/csat.ts";
import { callFacts } from "../store/call-facts.ts";
import { callFigures, callFiguresByAgent, type CallsSummary } from "../domain/call-report.ts";
import { qaFacts, type QaFact } from "../store/qa-reviews.ts";
import { qaFigures } from "../domain/qa.ts";
import { optionalId } from "./routes/api/input.ts";
import { csvDownload } from "./csv.ts";

export function parseTime(v: string | undefined, field: string, dflt: number): number {
  if (!v) return dflt;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new PanoError("validation_failed", `${field}: must be an ISO 8601 date or time`, field);
  return t;
}

type Range = { from: number; to: number };

/**
 * The rows a period's figures are computed from, read once: the team's conversations, ratings and
 * replies and response intervals, and the SLA judge over them. agent_id and channel_id narrow them
 * (the time series); the summary reads the whole team's, since credit looks at every conversation.
 * The dashboard draws its summary and its charts from one read (summaryWithRows). Conversations,
 * replies and waits come from the hourly roll-ups (store/report-rollups.ts), or from the raw rows
 * with `raw` (the drill-down, which lists the conversations; the same figures either way).
 */
export function periodRows(pano: Pano, range: Range, f: { teamId?: number; agentId?: number; channelId?: number } = {}, how: { raw?: boolean; records?: boolean } = {}) {
  const db = pano.store.sqlite;
  const lookup = slaLookup(db);
  // Only a next-response target looks at each wait of a conversation (domain/sla.ts missedTargets).
  const policies = listSlaPolicies(db);
  const judgeWaits = policies.some((p) => p.next_response_minutes !== null);
  const read = how.raw ? rawRows(db, range, f) : rollupRows(db, range, { teamId: f.teamId, channelId: f.channelId }, { records: how.records, judgeWaits });
  const all = read.conversations;
  const conversations = f.agentId === undefined && f.channelId === undefined ? all : all.where((i) => (f.agentId === undefined || all.assigneeId[i] === f.agentId) && (f.channelId === undefined || all.channelId[i] === f.channelId));
  const ratings = csatFacts(db, range, { teamId: f.teamId, agentId: f.agentId }).filter((r) => f.channelId === undefined || r.channelId === f.channelId);
  // Satisfaction surveys sent in the range, for the response rate (docs/csat.md).
  const surveys = surveyFacts(db, range, f);
  // A conversation whose team and priority have an SLA policy is judged by it (business hours,
  // every target); the others by the sla_minutes threshold on first response, as before (no
  // judge at all without policies: it would say so of every conversation).
  const qa = qaFacts(db, range, f);
  const rows = { conversations, ratings, credit: read.credit, replies: read.replies, intervals: read.intervals, qa, surveys, judge: policies.length ? policyJudgeOf(lookup, read.intervals) : undefined };
  // The conversations as objects, by id, made only when asked for (the drill-down, callers that
  // list them); not enumerable, so spreading the rows into a chart's input does not make them.
  let facts: ConversationFact[] | undefined;
  return Object.defineProperty(rows, "facts", { get: () => (facts ??= conversations.facts()), enumerable: false }) as typeof rows & { readonly facts: ConversationFact[] };
}

function rawRows(db: Database, range: Range, f: { teamId?: number; channelId?: number }) {
  const messages = messageFacts(db, range, { teamId: f.teamId, channelId: f.channelId });
  const replies = repliesOf(messages);
  const intervals = responseIntervals(messages);
  return { conversations: ConversationColumns.of(conversationFacts(db, range, { teamId: f.teamId })), credit: creditFrom(replies, intervals, range), replies, intervals };
}

export type PeriodRows = ReturnType<typeof periodRows>;

/** The summary for a query (API or dashboard page): `q(name)` reads one query parameter. */
export function buildSummary(pano: Pano, q: (name: string) => string | undefined) {
  return summaryWithRows(pano, q).summary;
}

/** The summary, with the period and the rows it was computed from (the dashboard's charts use them too). */
export function summaryWithRows(pano: Pano, q: (name: string) => string | undefined, raw = false) {
  const now = Date.now();
  const to = parseTime(q("to"), "to", now);
  const from = parseTime(q("from"), "from", to - 7 * 86400_000);
  if (from >= to) throw new PanoError("validation_failed", "from: must be before to", "from");
  const slaMinutes = Number(q("sla_minutes") ?? 60);
  if (!Number.isFinite(slaMinutes) || slaMinutes <= 0) throw new PanoError("validation_failed", "sla_minutes: must be a positive number", "sla_minutes");
  const filter = { teamId: optionalId(q("team_id"), "team_id"), agentId: optionalId(q("agent_id"), "agent_id") };
  const range = { from, to };
  // The team's conversations; agent_id narrows the conversation figures to the ones assigned to
  // them, while credit (below) always looks at every conversation so a reply is found whoever owns it.
  const rows = periodRows(pano, range, { teamId: filter.teamId }, { raw });
  const { conversations, judge } = rows;
  const ratings = filter.agentId === undefined ? rows.ratings : rows.ratings.filter((r) => r.assigneeId === filter.agentId);
  const ratingsByChannel = groupBy(ratings, (r) => r.channelId);
  const ratingsByAgent = groupBy(ratings, (r) => r.assigneeId);
  // QA scores are credited to the reviewed agent (the one who handled the conversation).
  const qa = filter.agentId === undefined ? rows.qa : rows.qa.filter((q) => q.agentId === filter.agentId);
  const qaByChannel = groupBy(qa, (q) => q.channelId);
  // Surveys are credited like their ratings: to the agent who handled the conversation (store/csat.ts).
  const surveys = filter.agentId === undefined ? rows.surveys : rows.surveys.filter((x) => x.agentId === filter.agentId);
  const surveysByChannel = groupBy(surveys, (x) => x.channelId);
  const sla = slaMinutes * 60_000;
  const users = new Map(pano.users.list().map((u) => [u.id, u.name]));
  const tallies = tally(conversations, range, sla, now, judge, filter.agentId);
  const summary = {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    sla_minutes: slaMinutes,
    ...tallies.total.summary(ratings),
    ...qaFigures(qa),
    ...surveyFigures(surveys),
    by_channel: [...tallies.byChannel].map(([id, ch]) => ({ channel_id: String(id), channel_type: ch.type, name: pano.channels.get(id)?.name ?? null, ...ch.tally.summary(ratingsByChannel.get(id)), ...qaFigures(qaByChannel.get(id) ?? []), ...surveyFigures(surveysByChannel.get(id)) })),
    by_agent: byAgent(tallies, rows.credit, range, sla, now, ratingsByAgent, filter, users, judge, groupBy(rows.qa, (q) => q.agentId), groupBy(rows.surveys, (x) => x.agentId)),
    calls: callsBlock(pano, range, filter, users),
  };
  return { summary, range, rows };
}

/** Phone figures (domain/call-report.ts): in total, per agent and per shop number. */
function callsBlock(pano: Pano, range: Range, filter: { teamId?: number; agentId?: number }, users: Map<number, string>): CallsSummary {
  const later = callFacts(pano.store.sqlite, range.from, { teamId: filter.teamId });
  const inRange = later.filter((c) => c.at < range.to);
  return {
    ...callFigures(inRange, later),
    by_agent: callFiguresByAgent(inRange, later)
      .filter((a) => filter.agentId === undefined || a.agentId === filter.agentId)
      .map(({ agentId, ...a }) => ({ agent_id: String(agentId), name: users.get(agentId) ?? null, ...a })),
    by_number: [...groupBy(inRange, (c) => c.shopNumber)].map(([number, cs]) => ({ number, ...callFigures(cs, later) })),
  };
}

/** A group's figures, summarised with its ratings (Tally, or the columns' GroupFigures). */
type Figures = { summary(ratings?: CsatFact[]): Summary };

interface Tallies {
  /** The conversations agent_id narrows to (all without it). */
  total: Figures;
  byChannel: Map<number, { type: string; tally: Figures }>;
  /** Every assignee's conversations, and how many each user resolved in the range (the assignee when the audit log does not say). */
  assigned: Map<number | null, Figures>;
  resolved: Map<number | null, number>;
}

/**
 * The summary's figures in total, per channel and per agent. Channels and assignees come in the
 * order of their first conversation by id (the order the raw rows give them).
 */
function tally(c: ConversationColumns, range: Range, sla: number, now: number, judge: SlaJudge | undefined, agentId: number | undefined): Tallies {
  const resolved = new Map<number | null, number>();
  const inRange = (t: number) => t >= range.from && t < range.to;
  for (let i = 0; i < c.length; i++) {
    if (!inRange(c.resolvedAt[i])) continue;
    const by = c.resolvedBy[i] || c.assigneeId[i] || null;
    resolved.set(by, (resolved.get(by) ?? 0) + 1);
  }
  if (c.fromObjects) return { ...tallyObjects(c.facts(), range, sla, now, judge, agentId), resolved };
  const mine = (i: number) => agentId === undefined || c.assigneeId[i] === agentId;
  const at = () => Math.min(now, range.to);
  // Each row's group as opened and as resolved in the range, for a grouping (used at once: its arrays are reused).
  const figures = (g: { keys: number[]; of: Int32Array }, together = false) => {
    const [opened, closed] = rowGroups(c.length);
    for (let i = 0; i < c.length; i++) (opened[i] = inRange(c.createdAt[i]) ? g.of[i] : -1), (closed[i] = inRange(c.resolvedAt[i]) ? g.of[i] : -1);
    return { keys: g.keys, figures: groupFigures(c, opened, closed, g.keys.length, sla, at, judge, together) };
  };
  // The total is every channel's conversations (the agent's, with agent_id) together.
  const byChannel = figures(groupsBy(c, (i) => c.channelId[i], mine), true);
  const assigned = figures(groupsBy(c, (i) => c.assigneeId[i]));
  const total = byChannel.figures.all!;
  return {
    total,
    byChannel: new Map(byChannel.keys.map((id, g) => [id, { type: c.types.get(id) ?? "", tally: byChannel.figures[g] }])),
    assigned: new Map(assigned.keys.map((id, g) => [id || null, assigned.figures[g]])),
    resolved,
  };
}

/** tally, one conversation object at a time (the raw rows, listed by id). */
function tallyObjects(facts: ConversationFact[], range: Range, sla: number, now: number, judge: SlaJudge | undefined, agentId: number | undefined): Omit<Tallies, "resolved"> {
  const t = { total: new Tally(range, sla, now, judge), byChannel: new Map<number, { type: string; tally: Tally }>(), assigned: new Map<number | null, Tally>() };
  for (const f of facts) {
    let mine = t.assigned.get(f.assigneeId);
    if (!mine) t.assigned.set(f.assigneeId, (mine = new Tally(range, sla, now, judge)));
    mine.add(f);
    if (agentId !== undefined && f.assigneeId !== agentId) continue;
    t.total.add(f);
    let channel = t.byChannel.get(f.channelId);
    if (!channel) t.byChannel.set(f.channelId, (channel = { type: f.channelType, tally: new Tally(range, sla, now, judge) }));
    channel.tally.add(f);
  }
  return t;
}

/**
 * Per agent: the conversations assigned to them (as before), plus what they are credited with:
 * replies and response times go to the reply's writer, a resolution to whoever resolved it
 * (the assignee when the audit log does not say), a rating to whoever was assigned when it came.
 * `qa_score` is the average of the agent's QA reviews made in the range.
 */
function byAgent({ assigned, resolved }: Tallies, credit: Map<number, AgentCredit>, range: Range, sla: number, now: number,
  ratingsByAgent: Map<number | null, CsatFact[]>, filter: { teamId?: number; agentId?: number }, users: Map<number, string>, judge: SlaJudge | undefined, qaByAgent: Map<number, QaFact[]>,
  surveysByAgent: Map<number | null, SurveyFact[]>) {
  // The assignees in the conversations' order, then everyone else credited by id (whatever order the rows came in).
  const others = [...credit.keys(), ...resolved.keys(), ...ratingsByAgent.keys(), ...qaByAgent.keys(), ...surveysByAgent.keys()].filter((id) => !assigned.has(id));
  const ids = new Set<number | null>([...assigned.keys(), ...others.sort((a, b) => (a ?? -1) - (b ?? -1))]);
  return [...ids]
    .filter((id) => filter.agentId === undefined || id === filter.agentId)
    .map((id) => {
      const c = id === null ? undefined : credit.get(id);
      const base = (assigned.get(id) ?? new Tally(range, sla, now, judge)).summary(ratingsByAgent.get(id));
      return {
        agent_id: id === null ? null : String(id), name: id === null ? null : users.get(id) ?? null,
        ...base,
        conversations_resolved: resolved.get(id) ?? 0,
        replies: c?.replies ?? 0,
        first_responses: c?.first_responses ?? 0,
        first_response_seconds: id === null ? base.first_response_seconds : c?.first_response_seconds.p50p90() ?? p50p90([]),
        response_seconds: c?.response_seconds.p50p90() ?? p50p90([]),
        ...qaFigures(id === null ? [] : qaByAgent.get(id) ?? []),
        ...surveyFigures(surveysByAgent.get(id)),
      };
    });
}

const CSV_COLUMNS: [string, (s: Summary & SurveyFigures) => unknown][] = [
  ["conversations_opened", (s) => s.conversations_opened],
  ["conversations_resolved", (s) => s.conversations_resolved],
  ["first_response_p50_s", (s) => s.first_response_seconds.p50],
  ["first_response_p90_s", (s) => s.first_response_seconds.p90],
  ["resolution_p50_s", (s) => s.resolution_seconds.p50],
  ["resolution_p90_s", (s) => s.resolution_seconds.p90],
  ["handle_p50_s", (s) => s.handle_seconds.p50],
  ["sla_breaches", (s) => s.sla_breaches],
  ["sla_missed_first_response", (s) => s.sla_missed.first_response],
  ["sla_missed_next_response", (s) => s.sla_missed.next_response],
  ["sla_missed_resolution", (s) => s.sla_missed.resolution],
  ["csat_responses", (s) => s.csat.responses],
  ["csat_average", (s) => s.csat.average],
  ["csat_surveys_sent", (s) => s.csat_surveys_sent],
  ["csat_response_rate", (s) => s.csat_response_rate],
];

export function csvResponse(c: Context, r: ReturnType<typeof buildSummary>): Response {
  const values = (s: Summary & SurveyFigures & { qa_reviews: number; qa_score: number | null }) => [...CSV_COLUMNS.map(([, f]) => f(s)), s.qa_reviews, s.qa_score];
  const rows = [
    ["scope", "id", "name", ...CSV_COLUMNS.map(([n]) => n), "qa_reviews", "qa_score"],
    ["all", "", "", ...values(r)],
    ...r.by_channel.map((s) => ["channel", s.channel_id, s.name, ...values(s)]),
    ...r.by_agent.map((s) => ["agent", s.agent_id ?? "", s.name ?? "unassigned", ...values(s)]),
  ];
  return c.body(csvDownload(rows), 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="pano-report.csv"` });
}
