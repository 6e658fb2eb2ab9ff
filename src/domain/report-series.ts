// Figures over time: the summary's metrics per hour or day in a time zone, and busy hours by
// weekday. Pure; every bucket is computed with the same rules as the summary (domain/reports.ts).
import { averageScore } from "./qa.ts";
import { ConversationColumns } from "./report-columns.ts";
import { groupFigures, rowGroups } from "./report-groups.ts";
import { surveyFigures } from "./csat.ts";
import { Tally, responseIntervals, repliesOf, percentile, type ConversationFact, type CsatFact, type MessageFact, type ReplyFact, type ResponseInterval, type Summary, type SlaJudge } from "./reports.ts";

export const SERIES_METRICS = [
  "conversations_opened", "conversations_resolved", "first_response_seconds", "resolution_seconds",
  "handle_seconds", "sla_breaches", "csat", "replies", "response_seconds", "qa_score",
] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];
export type Interval = "hour" | "day";

/** `first_response_seconds` (the p50), `first_response_seconds.p90`, `csat` (the average), `csat.responses`, `csat.response_rate`. */
function parseMetric(s: string): { name: SeriesMetric; stat: "p50" | "p90" | "average" | "responses" | "response_rate" | null } | null {
  const [name, stat = null] = s.split(".");
  if (!(SERIES_METRICS as readonly string[]).includes(name)) return null;
  const durations = ["first_response_seconds", "resolution_seconds", "handle_seconds", "response_seconds"];
  if (durations.includes(name)) return stat === null || stat === "p50" || stat === "p90" ? { name: name as SeriesMetric, stat: (stat ?? "p50") as "p50" | "p90" } : null;
  if (name === "csat") return stat === null || stat === "average" || stat === "responses" || stat === "response_rate" ? { name, stat: (stat ?? "average") as "average" | "responses" | "response_rate" } : null;
  return stat === null ? { name: name as SeriesMetric, stat: null } : null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
// Offsets change at most on the quarter hour (zone rules): one Intl call per zone and quarter
// hour, not per row, keeps bucketing a million rows cheap (numeric keys: no string per row).
const offsets = new Map<string, Map<number, number>>();
let cached = 0;
const QUARTER = 15 * 60_000;

/** Minutes the zone is ahead of UTC at instant t (+420 for Asia/Ho_Chi_Minh). */
export function zoneOffsetMinutes(t: number, timeZone: string): number {
  const q = Math.floor(t / QUARTER) * QUARTER;
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  const known = zone.get(q);
  if (known !== undefined) return known;
  let f = formatters.get(timeZone);
  if (!f) formatters.set(timeZone, (f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" })));
  const parts = f.formatToParts(q);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  const off = Math.round((local - q) / 60_000);
  if (++cached > 100_000) (offsets.clear(), (cached = 0));
  let into = offsets.get(timeZone);
  if (!into) offsets.set(timeZone, (into = new Map()));
  into.set(q, off);
  return off;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The start (UTC ms) of the local hour or day containing t. */
export function bucketStart(t: number, interval: Interval, timeZone: string): number {
  const off = zoneOffsetMinutes(t, timeZone) * 60_000;
  const local = t + off;
  const floored = local - (((local % (interval === "hour" ? HOUR : DAY)) + (interval === "hour" ? HOUR : DAY)) % (interval === "hour" ? HOUR : DAY));
  return floored - zoneOffsetMinutes(floored - off, timeZone) * 60_000;
}

/** Bucket starts covering [from, to). */
export function bucketStarts(range: { from: number; to: number }, interval: Interval, timeZone: string): number[] {
  const out: number[] = [];
  let b = bucketStart(range.from, interval, timeZone);
  while (b < range.to) {
    out.push(b);
    // A day is not always 24 h where clocks change: re-floor past the next boundary.
    b = bucketStart(b + (interval === "hour" ? HOUR : DAY + 2 * HOUR), interval, timeZone);
  }
  return out;
}

export interface SeriesInput {
  /** The period's conversations: as columns (the dashboard), or as objects. */
  conversations?: ConversationColumns;
  facts?: ConversationFact[];
  ratings: CsatFact[];
  messages?: MessageFact[];
  /** The replies and response intervals of `messages`, when already worked out (the roll-ups keep them). */
  replies?: ReplyFact[];
  intervals?: ResponseInterval[];
  slaMs: number;
  now: number;
  /** Replies and response times of this writer only (agent_id). */
  authorId?: number;
  /** SLA policies' verdicts, as the summary uses them. */
  judge?: SlaJudge;
  /** QA reviews' scores (qa_score: their average per bucket, by when the review was made). */
  qa?: { score: number; at: number }[];
  /** Surveys sent (csat.response_rate: answered over sent per bucket, by when each went out). */
  surveys?: { answered: boolean; at: number }[];
}

export interface Point { t: number; value: number | null }

/** One value per bucket, each computed exactly as the summary would for that bucket's range. */
export function series(metric: string, interval: Interval, range: { from: number; to: number }, timeZone: string, d: SeriesInput): Point[] | null {
  return seriesOf([metric], interval, range, timeZone, d)[0];
}

/**
 * Several metrics' series at once (the dashboard's charts): the conversations are put in their
 * buckets once and each bucket summarised once for all the summary metrics asked for.
 */
export function seriesOf(metrics: string[], interval: Interval, range: { from: number; to: number }, timeZone: string, d: SeriesInput): (Point[] | null)[] {
  const parsed = metrics.map(parseMetric);
  const summaryMetric = (m: Metric | null) => !!m && !["replies", "response_seconds", "qa_score"].includes(m.name) && !(m.name === "csat" && m.stat === "response_rate");
  let summaries: BucketSummary[] | undefined;
  return parsed.map((m) => {
    if (!m) return null;
    if (!summaryMetric(m)) return seriesOne(m, interval, range, timeZone, d);
    summaries ??= bucketSummaries(interval, range, timeZone, d);
    return summaries.map((s) => ({ t: s.t, value: pick(s, m.name, m.stat) }));
  });
}

type Metric = NonNullable<ReturnType<typeof parseMetric>>;
type BucketSummary = Summary & { t: number };

const seriesOne = (m: Metric, interval: Interval, range: { from: number; to: number }, timeZone: string, d: SeriesInput) => bucketed(interval, range, timeZone, d, m) as Point[];
const bucketSummaries = (interval: Interval, range: { from: number; to: number }, timeZone: string, d: SeriesInput) => bucketed(interval, range, timeZone, d, null) as BucketSummary[];

/** One metric's points (m), or each bucket's whole summary (null: the summary metrics all at once). */
function bucketed(interval: Interval, range: { from: number; to: number }, timeZone: string, d: SeriesInput, m: Metric | null): (Point | BucketSummary)[] {
  const starts = bucketStarts(range, interval, timeZone);
  // The buckets follow each other without gaps: the one holding t is the last starting at or before it.
  const bucketOf = (t: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    if (t < starts[0]) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const slot = <T>() => starts.map(() => [] as T[]);
  const place = <T>(into: T[][], t: number | null | undefined, v: T) => {
    if (t === null || t === undefined || t < range.from || t >= range.to) return;
    const i = bucketOf(t);
    if (i >= 0) into[i].push(v);
  };
  const ends = starts.map((s, i) => Math.min(starts[i + 1] ?? range.to, range.to));
  const bucketRange = (i: number) => ({ from: Math.max(starts[i], range.from), to: ends[i] });

  if (m && (m.name === "replies" || m.name === "response_seconds")) {
    const values = slot<number>();
    const mine = (author: number | null) => author !== null && (d.authorId === undefined || author === d.authorId);
    if (m.name === "replies") for (const x of d.replies ?? repliesOf(d.messages ?? [])) if (mine(x.authorId)) place(values, x.at, 1);
    if (m.name === "response_seconds") for (const i of d.intervals ?? responseIntervals(d.messages ?? [])) if (mine(i.authorId)) place(values, i.answeredAt, Math.round((i.answeredAt - i.askedAt) / 1000));
    return starts.map((t, i) => ({ t, value: m.name === "replies" ? values[i].length : percentile(values[i], m.stat === "p90" ? 90 : 50) }));
  }
  if (m && m.name === "csat" && m.stat === "response_rate") {
    const sent = slot<{ answered: boolean }>();
    for (const x of d.surveys ?? []) place(sent, x.at, x);
    return starts.map((t, i) => ({ t, value: surveyFigures(sent[i]).csat_response_rate }));
  }
  if (m && m.name === "qa_score") {
    const scores = slot<number>();
    for (const q of d.qa ?? []) place(scores, q.at, q.score);
    return starts.map((t, i) => ({ t, value: averageScore(scores[i]) }));
  }
  // A conversation belongs to the bucket it was opened in and the one it was resolved in (each
  // bucket's figures gathered as the conversations go by). Breaches are judged at the bucket's
  // end (or now), as each bucket's own summary would judge them.
  const at = Math.min(d.now, range.to);
  const within = (t: number) => t >= range.from && t < range.to;
  const c = d.conversations ?? ConversationColumns.of(d.facts ?? []);
  let tallies: { summary(ratings?: CsatFact[]): Summary }[];
  if (c.fromObjects) {
    // The raw rows: one object at a time (Tally), the reference the columns are checked against.
    const objects = starts.map((_, i) => new Tally(bucketRange(i), d.slaMs, at, d.judge));
    for (const f of d.facts ?? c.facts()) {
      const opened = within(f.createdAt) ? bucketOf(f.createdAt) : -1;
      if (opened >= 0) objects[opened].add(f);
      if (f.resolvedAt === null || !within(f.resolvedAt)) continue;
      const resolved = bucketOf(f.resolvedAt);
      if (resolved >= 0 && resolved !== opened) objects[resolved].add(f);
    }
    tallies = objects;
  } else {
    const [opened, resolved] = rowGroups(c.length);
    for (let i = 0; i < c.length; i++) {
      opened[i] = within(c.createdAt[i]) ? bucketOf(c.createdAt[i]) : -1;
      resolved[i] = within(c.resolvedAt[i]) ? bucketOf(c.resolvedAt[i]) : -1;
    }
    tallies = groupFigures(c, opened, resolved, starts.length, d.slaMs, (i) => Math.min(at, bucketRange(i).to), d.judge);
  }
  const ratings = slot<CsatFact>();
  for (const r of d.ratings) place(ratings, r.at, r);
  return starts.map((t, i) => {
    const s = tallies[i].summary(ratings[i]);
    return m ? { t, value: pick(s, m.name, m.stat) } : { ...s, t };
  });
}

function pick(s: Summary, name: SeriesMetric, stat: string | null): number | null {
  switch (name) {
    case "conversations_opened": return s.conversations_opened;
    case "conversations_resolved": return s.conversations_resolved;
    case "sla_breaches": return s.sla_breaches;
    case "csat": return stat === "responses" ? s.csat.responses : s.csat.average;
    case "first_response_seconds": case "resolution_seconds": case "handle_seconds": return s[name][stat === "p90" ? "p90" : "p50"];
    default: return null;
  }
}

/** Conversations opened per local weekday (0 = Monday) and hour: where staffing is needed. */
export function weekdayHourCounts(times: ArrayLike<number>, timeZone: string): number[][] {
  const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  // Arithmetic on the local time (no Date per conversation); the offset looked up once per quarter hour in a row.
  let quarter = NaN;
  let off = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    const q = Math.floor(t / QUARTER);
    if (q !== quarter) (quarter = q), (off = zoneOffsetMinutes(t, timeZone) * 60_000);
    const local = t + off;
    const day = Math.floor(local / DAY);
    // 1970-01-01 was a Thursday (3, counting from Monday).
    grid[(((day + 3) % 7) + 7) % 7][Math.floor((local - day * DAY) / HOUR)]++;
  }
  return grid;
}
