// Service-level targets: business hours (a week of opening times in the team's zone, minus
// holidays), when a target falls due, how much time is left, and whether it was missed. Pure.
import { zoneOffsetMinutes } from "./report-series.ts";
import { responseIntervals, type ConversationFact, type MessageFact, type ResponseInterval, type SlaJudge } from "./reports.ts";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Opening times per local weekday (minutes after midnight, [start, end) pairs), and closed dates. */
export interface BusinessHours {
  timeZone: string;
  week: Record<Weekday, [number, number][]>;
  /** Local dates (YYYY-MM-DD) the team is closed: public holidays (Tết, Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9), edited per year. */
  holidays: string[];
}

/** What a team stores: {"time_zone": "...", "hours": {"mon": "08:00-12:00,13:30-17:30", ...}, "holidays": ["2026-04-27"]}. */
export interface BusinessHoursInput {
  time_zone?: string;
  hours: Partial<Record<Weekday, string>>;
  holidays?: string[];
}

const CLOCK = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** Validates the stored form; a problem is returned as a sentence naming the part. */
export function parseBusinessHours(input: BusinessHoursInput, defaultZone = "Asia/Ho_Chi_Minh"): BusinessHours | string {
  const timeZone = input.time_zone ?? defaultZone;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    return `time_zone: ${timeZone} is not a known time zone`;
  }
  const week = Object.fromEntries(WEEKDAYS.map((d) => [d, [] as [number, number][]])) as Record<Weekday, [number, number][]>;
  for (const [day, spec] of Object.entries(input.hours ?? {})) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) return `hours.${day}: not a weekday (mon..sun)`;
    for (const range of String(spec).split(",").map((s) => s.trim()).filter(Boolean)) {
      const [a, b] = range.split("-").map((s) => CLOCK.exec(s.trim()));
      if (!a || !b) return `hours.${day}: "${range}" is not HH:MM-HH:MM`;
      const start = Number(a[1]) * 60 + Number(a[2]);
      const end = Number(b[1]) * 60 + Number(b[2]);
      if (end <= start || end > 24 * 60) return `hours.${day}: "${range}" must end after it starts, by 24:00`;
      week[day as Weekday].push([start, end]);
    }
    week[day as Weekday].sort((x, y) => x[0] - y[0]);
  }
  const holidays = input.holidays ?? [];
  for (const h of holidays) if (!/^\d{4}-\d\d-\d\d$/.test(h) || Number.isNaN(Date.parse(`${h}T00:00:00Z`))) return `holidays: "${h}" is not a date (YYYY-MM-DD)`;
  return { timeZone, week, holidays: [...new Set(holidays)].sort() };
}

const DAY = 86400_000;

/** Local midnight (UTC ms) of the local day containing t, its weekday and date. */
function localDay(t: number, tz: string): { start: number; weekday: Weekday; date: string } {
  const off = zoneOffsetMinutes(t, tz) * 60_000;
  const local = t + off;
  const midnight = local - (((local % DAY) + DAY) % DAY);
  const d = new Date(midnight);
  return { start: midnight - zoneOffsetMinutes(midnight - off, tz) * 60_000, weekday: WEEKDAYS[(d.getUTCDay() + 6) % 7], date: d.toISOString().slice(0, 10) };
}

/** The open intervals (UTC ms) of one local day. */
function openOn(dayStart: number, weekday: Weekday, date: string, bh: BusinessHours): [number, number][] {
  if (bh.holidays.includes(date)) return [];
  return bh.week[weekday].map(([s, e]) => [dayStart + s * 60_000, dayStart + e * 60_000]);
}

/** How far to look for opening time before giving up (a team with no hours at all). */
const HORIZON_DAYS = 400;

/** Business milliseconds in [from, to): wall-clock time when the team keeps no hours. */
export function businessMs(from: number, to: number, bh: BusinessHours | null): number {
  if (to <= from) return 0;
  if (!bh) return to - from;
  let total = 0;
  let t = from;
  for (let i = 0; i < HORIZON_DAYS && t < to; i++) {
    const day = localDay(t, bh.timeZone);
    for (const [s, e] of openOn(day.start, day.weekday, day.date, bh)) total += Math.max(0, Math.min(e, to) - Math.max(s, from));
    t = localDay(day.start + DAY + 3 * 3600_000, bh.timeZone).start;
  }
  return total;
}

/** The moment `ms` of business time after `from` has passed (the due time of a target). */
export function addBusinessMs(from: number, ms: number, bh: BusinessHours | null): number {
  if (!bh) return from + ms;
  let left = ms;
  let t = from;
  for (let i = 0; i < HORIZON_DAYS; i++) {
    const day = localDay(t, bh.timeZone);
    for (const [s, e] of openOn(day.start, day.weekday, day.date, bh)) {
      const a = Math.max(s, from);
      if (e <= a) continue;
      if (e - a >= left) return a + left;
      left -= e - a;
    }
    t = localDay(day.start + DAY + 3 * 3600_000, bh.timeZone).start;
  }
  return Number.POSITIVE_INFINITY;
}

export interface SlaPolicy {
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
}

export type SlaTarget = "first_response" | "next_response" | "resolution";

export interface SlaConversation {
  createdAt: number;
  firstResponseAt: number | null;
  /** The oldest customer message not yet answered; null when answered. */
  waitingSince: number | null;
  resolvedAt: number | null;
  status: string;
}

export interface SlaDue { target: SlaTarget; dueAt: number; budgetMs: number }

/** The target that falls due first for a conversation still being worked, or null (none pending). */
export function nextDue(c: SlaConversation, p: SlaPolicy, bh: BusinessHours | null): SlaDue | null {
  if (c.status === "resolved") return null;
  const due: SlaDue[] = [];
  const add = (target: SlaTarget, from: number, minutes: number | null) => {
    if (minutes !== null) due.push({ target, dueAt: addBusinessMs(from, minutes * 60_000, bh), budgetMs: minutes * 60_000 });
  };
  if (c.firstResponseAt === null) add("first_response", c.createdAt, p.firstResponseMinutes);
  else if (c.waitingSince !== null) add("next_response", c.waitingSince, p.nextResponseMinutes);
  add("resolution", c.createdAt, p.resolutionMinutes);
  return due.sort((a, b) => a.dueAt - b.dueAt)[0] ?? null;
}

export type SlaLevel = "ok" | "amber" | "red";

/** Red once due; amber in the last quarter of the target's business time. */
export function slaLevel(d: SlaDue, now: number, bh: BusinessHours | null): SlaLevel {
  if (now >= d.dueAt) return "red";
  return businessMs(now, d.dueAt, bh) <= d.budgetMs / 4 ? "amber" : "ok";
}

/** Which targets a conversation missed (as of `now` for those still open). `replyWaits` are its next-response waits [askedAt, answeredAt|null]. */
export function missedTargets(c: SlaConversation, p: SlaPolicy, bh: BusinessHours | null, now: number, replyWaits: [number, number | null][] = []): SlaTarget[] {
  const missed: SlaTarget[] = [];
  const over = (from: number, until: number | null, minutes: number | null) => minutes !== null && (until ?? now) > addBusinessMs(from, minutes * 60_000, bh);
  if (over(c.createdAt, c.firstResponseAt, p.firstResponseMinutes)) missed.push("first_response");
  if (replyWaits.some(([a, b]) => over(a, b, p.nextResponseMinutes))) missed.push("next_response");
  if (over(c.createdAt, c.resolvedAt, p.resolutionMinutes)) missed.push("resolution");
  return missed;
}

/**
 * The report's judge: each conversation against its own policy (team and priority) in its team's
 * hours. Next-response waits come from the messages: every customer message after the first
 * reply until the next agent reply, plus the one still waiting now.
 */
export function policyJudge(lookup: (teamId: number | null, priority: string) => { policy: SlaPolicy; hours: BusinessHours | null } | null, messages: MessageFact[]): SlaJudge {
  return policyJudgeOf(lookup, responseIntervals(messages));
}

/** policyJudge from the response intervals already worked out (the report roll-ups keep them). */
export function policyJudgeOf(lookup: (teamId: number | null, priority: string) => { policy: SlaPolicy; hours: BusinessHours | null } | null, intervals: Iterable<ResponseInterval>): SlaJudge {
  const waits = new Map<number, [number, number | null][]>();
  for (const i of intervals) {
    if (i.first) continue;
    const list = waits.get(i.conversationId);
    if (list) list.push([i.askedAt, i.answeredAt]);
    else waits.set(i.conversationId, [[i.askedAt, i.answeredAt]]);
  }
  const judge: SlaJudge = (f: ConversationFact, now: number) => {
    const scope = lookup(f.teamId ?? null, f.priority ?? "normal");
    if (!scope) return null;
    const own = [...(f.id !== undefined ? waits.get(f.id) ?? [] : [])];
    if (f.firstResponseAt !== null && f.waitingSince && f.status !== "resolved" && f.waitingSince >= f.firstResponseAt) own.push([f.waitingSince, null]);
    return missedTargets({ createdAt: f.createdAt, firstResponseAt: f.firstResponseAt, waitingSince: f.waitingSince ?? null, resolvedAt: f.resolvedAt, status: f.status ?? "open" }, scope.policy, scope.hours, now, own);
  };
  judge.covers = (teamId, priority) => lookup(teamId, priority) !== null;
  return judge;
}
