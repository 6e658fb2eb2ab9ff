// Reading the roll-ups (report-rollups.ts, layout in report-rollups-pages.ts): a period's
// conversation facts and credit decoded from the hour pages that cover it, selected with exactly
// the raw queries' rules (store/reports.ts), so the domain code computes the same figures from
// either. Whole hours of credit come from the CREDIT pages; an hour the period cuts (its first or
// last), and whatever needs each reply or wait (the API's time series, SLA policies with a
// next-response target), from the exact WAIT and REPLY records. Conversation and credit pages a
// view read are kept for the next (re-read once their version changes), and the conversations
// are decoded into columns (domain/report-columns.ts), not one object each: see docs/reports.md
// "Reading a period".
import type { Database } from "bun:sqlite";
import { creditFrom, type AgentCredit, type ReplyFact, type ResponseInterval } from "../domain/reports.ts";
import { ConversationColumns } from "../domain/report-columns.ts";
import { CONV, CONV32, WAIT, REPLY, CREDIT, WIDTH, HOUR, LAST_PART, pageId, pageValues, hourOf, decodeInto, addCredit } from "./report-rollups-pages.ts";

export interface RollupRows {
  /** Conversations opened or resolved in the range (the team's), as columns (in page order, not by id). */
  conversations: ConversationColumns;
  /** Per writer: replies, waits answered and first responses in the range (domain creditFrom). */
  credit: Map<number, AgentCredit>;
  /** With `records`: replies written in the range, in message order. */
  replies: ReplyFact[];
  /**
   * With `records`: waits answered in the range. With `records` or `judgeWaits`: also every later
   * wait of the conversations opened in it (their SLA verdicts look at all their waits).
   */
  intervals: ResponseInterval[];
}

// Pages read are kept, decoded, per database (up to KEEP_BYTES, the oldest let go first), with the
// list of each kind's pages the last view read. Every page carries the version of the write that
// made it (v: a counter each batch that rewrites pages bumps, never reset: report-rollups.ts), so
// a change anywhere in a range raises its largest v or changes its count: a view asks SQL for
// those two numbers only, and when they moved, for each page's id and v, and reads the bytes only
// of the pages whose v it has not seen. Reading the bytes of every page each time made ~11 MB of
// fresh memory per 90-day view.
const KEEP_BYTES = 24 << 20;
interface Kept { v: number; hour: number; values: Float64Array | Int32Array }
interface Listed { count: number; top: number; list: Kept[] }
const keptPages = new WeakMap<Database, { pages: Map<number, Kept>; bytes: number; listed: Map<string, Listed> }>();

/** Lets go of what this database's reader keeps (its pages and columns): the next view reads every page, as the first after a start does. */
export function forgetKeptPages(db: Database): void {
  keptPages.delete(db);
  lastColumns.delete(db);
}

function keptOf(db: Database) {
  let k = keptPages.get(db);
  if (!k) keptPages.set(db, (k = { pages: new Map(), bytes: 0, listed: new Map() }));
  return k;
}

function keep(k: ReturnType<typeof keptOf>, id: number, page: Kept) {
  const before = k.pages.get(id);
  if (before) (k.bytes -= before.values.byteLength), k.pages.delete(id);
  k.pages.set(id, page);
  k.bytes += page.values.byteLength;
  for (const [old, p] of k.pages) {
    if (k.bytes <= KEEP_BYTES) break;
    k.pages.delete(old);
    k.bytes -= p.values.byteLength;
    // A list must not hold on to a page let go.
    k.listed.clear();
  }
}

/**
 * The conversation or credit pages of `kind` for the hours [fromHour, toHour], in order: the ones
 * kept when still current, the others read (and kept). The list is shared: not to be changed.
 */
function pageList(db: Database, kind: number, fromHour: number, toHour: number): readonly Kept[] {
  const lo = pageId(kind, fromHour, 0);
  const hi = pageId(kind, toHour, LAST_PART);
  const k = keptOf(db);
  const key = `${lo}:${hi}`;
  const last = k.listed.get(key);
  if (last) {
    const now = db.query<unknown, [number, number]>("SELECT count(*), coalesce(max(v), -1) FROM report_pages WHERE id BETWEEN ? AND ?").values(lo, hi)[0] as [number, number];
    if (now[0] === last.count && now[1] === last.top) return last.list;
  }
  const list: Kept[] = [];
  let top = -1;
  const heads = k.pages.size ? (db.query<unknown, [number, number]>("SELECT id, v FROM report_pages WHERE id BETWEEN ? AND ? ORDER BY id").values(lo, hi) as [number, number][]) : [];
  let stale = 0;
  for (const [id, v] of heads) if (k.pages.get(id)?.v !== v) stale++;
  if (!k.pages.size || stale > heads.length / 4) {
    // Mostly not kept (a first view, or a period not read lately): one read of the whole range.
    const rows = db.query<unknown, [number, number]>("SELECT id, hour, v, data FROM report_pages WHERE id BETWEEN ? AND ? ORDER BY id").values(lo, hi) as [number, number, number, Uint8Array][];
    for (const [id, hour, v, data] of rows) {
      const page = { v, hour, values: pageValues(kind, data) };
      keep(k, id, page);
      list.push(page);
      top = Math.max(top, v);
    }
  } else {
    const one = db.query<unknown, [number]>("SELECT hour, v, data FROM report_pages WHERE id = ?");
    for (const [id, v] of heads) {
      let page = k.pages.get(id);
      if (page?.v !== v) {
        const row = one.values(id)[0] as [number, number, Uint8Array] | undefined;
        // Written since the list was read (another process): this list is not one state of the table.
        if (row?.[1] !== v) top = NaN;
        if (!row) continue;
        keep(k, id, (page = { hour: row[0], v: row[1], values: pageValues(kind, row[2]) }));
      }
      list.push(page);
      top = Math.max(top, v);
    }
  }
  if (Number.isNaN(top)) return list;
  // A few ranges remembered (the dashboard's periods), the oldest forgotten first.
  k.listed.delete(key);
  k.listed.set(key, { count: list.length, top, list });
  for (const old of k.listed.keys()) if (k.listed.size > 8) k.listed.delete(old);
  return list;
}

/**
 * Visits the pages of `kind` for the hours [fromHour, toHour], in order, as numbers: conversation
 * and credit pages from pageList; waits and replies (read whole only by the API's time series,
 * ~50 MB for 90 days) read each time, not kept.
 */
function pages(db: Database, kind: number, fromHour: number, toHour: number, visit: (a: Float64Array | Int32Array, hour: number) => void) {
  if (kind === WAIT || kind === REPLY) {
    const rows = db.query<unknown, [number, number]>("SELECT hour, data FROM report_pages WHERE id BETWEEN ? AND ? ORDER BY id").values(pageId(kind, fromHour, 0), pageId(kind, toHour, LAST_PART)) as [number, Uint8Array][];
    for (const [hour, data] of rows) visit(pageValues(kind, data), hour);
    return;
  }
  for (const page of pageList(db, kind, fromHour, toHour)) visit(page.values, page.hour);
}

// The columns of the last period read from each database, whose arrays the next one takes.
const lastColumns = new WeakMap<Database, ConversationColumns>();

export function rollupRows(db: Database, range: { from: number; to: number }, f: { teamId?: number; channelId?: number }, need: { records?: boolean; judgeWaits?: boolean } = {}): RollupRows {
  const first = hourOf(range.from);
  const last = hourOf(range.to - 1);
  const inRange = (t: number) => t >= range.from && t < range.to;
  const team = (v: number | null) => f.teamId === undefined || v === f.teamId;
  const channel = (v: number) => f.channelId === undefined || v === f.channelId;
  const types = new Map(db.query<{ id: number; type: string }, []>("SELECT id, type FROM channels").all().map((c) => [c.id, c.type]));

  const read = [CONV32, CONV].map((kind) => [kind, pageList(db, kind, first, last)] as const);
  // Room for every record read, made once.
  let records = 0;
  for (const [kind, list] of read) for (const page of list) records += page.values.length / WIDTH[kind];
  const conversations = ConversationColumns.reusing(lastColumns.get(db), types, records);
  lastColumns.set(db, conversations);
  const opened = new Set<number>();
  const keepOpened = need.records || need.judgeWaits;
  for (const [kind, list] of read) for (const { values: a, hour } of list) {
    decodeInto(conversations, kind, a, (id, at, resolved, teamId, channelId) => {
      // A conversation has a record at the hour it was opened and at the hour it was resolved:
      // the second counts only when the first is on a page not read.
      const openedAt = hourOf(at);
      const ours = openedAt === hour ? inRange(at) || inRange(resolved) : (openedAt < first || openedAt > last) && inRange(resolved);
      // conversationFacts joins channels: a conversation whose channel is gone is in no report.
      if (!ours || !team(teamId || null) || !types.has(channelId)) return false;
      if (keepOpened && inRange(at)) opened.add(id);
      return true;
    });
  }
  // The last hour a wait of a conversation opened in the range can have been answered in: now, or
  // for a period in the past, its conversations' last message.
  const lastWaitHour = () => {
    if (range.to >= hourOf(Date.now())) return last;
    const r = db.query<{ t: number | null }, [number, number]>("SELECT max(last_message_at) AS t FROM conversations WHERE created_at >= ? AND created_at < ?").get(range.from, range.to);
    return Math.max(last, hourOf(r?.t ?? 0));
  };

  // Hours the period covers whole: their CREDIT pages; the cut ones: their exact records.
  const whole = (h: number) => h >= range.from && h + HOUR <= range.to;
  const credit = new Map<number, AgentCredit>();
  const replies: (ReplyFact & { k: number })[] = [];
  const intervals: ResponseInterval[] = [];
  const edges = [...new Set([first, last])].filter((h) => !whole(h));
  const readReplies = (from: number, to: number) =>
    pages(db, REPLY, from, to, (a) => {
      for (let o = 0; o < a.length; o += WIDTH[REPLY]) {
        if (inRange(a[o + 1]) && team(Number.isNaN(a[o + 3]) ? null : a[o + 3]) && channel(a[o + 4])) replies.push({ conversationId: a[o], at: a[o + 1], authorId: a[o + 2], k: replies.length });
      }
    });
  // Waits answered in the range, and (`later`) the later waits of the conversations opened in it,
  // answered after it (a period in the past): their SLA verdicts look at every wait, as with the raw rows.
  const readWaits = (from: number, to: number, answeredIn: boolean, later: boolean) =>
    pages(db, WAIT, from, to, (a) => {
      for (let o = 0; o < a.length; o += WIDTH[WAIT]) {
        const answered = a[o + 2];
        const keep = inRange(answered) ? answeredIn && team(Number.isNaN(a[o + 5]) ? null : a[o + 5]) : later && answered >= range.to && a[o + 4] !== 1 && opened.has(a[o]);
        if (keep && channel(a[o + 6])) intervals.push({ conversationId: a[o], askedAt: a[o + 1], answeredAt: answered, authorId: a[o + 3], first: a[o + 4] === 1 });
      }
    });
  if (need.records || need.judgeWaits) waitingSince(db, range, conversations);
  if (need.records) {
    readReplies(first, last);
    readWaits(first, lastWaitHour(), true, true);
    const sorted = replies.sort((x, y) => x.conversationId - y.conversationId || x.at - y.at || x.k - y.k);
    return { conversations, credit: creditFrom(sorted, intervals, range), replies: sorted, intervals };
  }
  pages(db, CREDIT, first, last, (a, hour) => void (whole(hour) && addCredit(credit, a, (t, c) => team(t) && channel(c))));
  for (const h of edges) {
    const before = replies.length;
    const waitsBefore = intervals.length;
    readReplies(h, h);
    readWaits(h, h, true, false);
    const cut = creditFrom(replies.slice(before), intervals.slice(waitsBefore), range);
    intervals.length = waitsBefore;
    for (const [author, c] of cut) {
      const into = credit.get(author);
      if (!into) credit.set(author, c);
      else {
        into.replies += c.replies;
        into.first_responses += c.first_responses;
        into.response_seconds.addAll(c.response_seconds);
        into.first_response_seconds.addAll(c.first_response_seconds);
      }
    }
  }
  // SLA policies with a next-response target judge each opened conversation by its waits.
  if (need.judgeWaits) {
    intervals.length = 0;
    pages(db, WAIT, first, lastWaitHour(), (a) => {
      for (let o = 0; o < a.length; o += WIDTH[WAIT]) {
        if (a[o + 4] !== 1 && opened.has(a[o]) && channel(a[o + 6])) intervals.push({ conversationId: a[o], askedAt: a[o + 1], answeredAt: a[o + 2], authorId: a[o + 3], first: false });
      }
    });
  }
  return { conversations, credit, replies: [], intervals };
}

/** The oldest unanswered message of the conversations opened in the range that still wait (not kept in the roll-ups: it moves with every message). */
function waitingSince(db: Database, range: { from: number; to: number }, facts: ConversationColumns) {
  const rows = db
    .query<{ id: number; w: number }, [number, number]>("SELECT id, waiting_since AS w FROM conversations WHERE status != 'resolved' AND waiting_since IS NOT NULL AND created_at >= ? AND created_at < ?")
    .all(range.from, range.to);
  if (!rows.length) return;
  const byId = new Map(rows.map((r) => [r.id, r.w]));
  for (let i = 0; i < facts.length; i++) facts.waitingSince[i] = byId.get(facts.id[i]) ?? NaN;
}
