// Reading the roll-ups (report-rollups.ts, layout in report-rollups-pages.ts): a period's
// conversation facts and credit decoded from the hour pages that cover it, selected with exactly
// the raw queries' rules (store/reports.ts), so the domain code computes the same figures from
// either. Whole hours of credit come from the CREDIT pages; an hour the period cuts (its first or
// last), and whatever needs each reply or wait (the API's time series, SLA policies with a
// next-response target), from the exact WAIT and REPLY records.
import type { Database } from "bun:sqlite";
import { creditFrom, type AgentCredit, type ReplyFact, type ResponseInterval } from "../domain/reports.ts";
import { ConversationColumns } from "../domain/report-columns.ts";
import { CONV, CONV32, WAIT, REPLY, CREDIT, WIDTH, HOUR, LAST_PART, INT_KINDS, pageId, hourOf, decodeInto, addCredit } from "./report-rollups-pages.ts";

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

// Pages are copied into one scratch buffer to be read as numbers: taking each blob's own
// `.buffer` makes the engine allocate and copy a new ArrayBuffer per page (~7,500 for 90 days).
let scratch = new ArrayBuffer(1 << 16);
let scratchBytes = new Uint8Array(scratch);

/** The pages of `kind` for the hours [fromHour, toHour], in order: [hour, bytes]. */
const pageRows = (db: Database, kind: number, fromHour: number, toHour: number) =>
  db.query<unknown, [number, number]>("SELECT hour, data FROM report_pages WHERE id BETWEEN ? AND ? ORDER BY id").values(pageId(kind, fromHour, 0), pageId(kind, toHour, LAST_PART)) as [number, Uint8Array][];

/** Visits pages of `kind` as numbers; `a` is valid only during the call (the next page reuses it). */
function visitPages(kind: number, rows: [number, Uint8Array][], visit: (a: Float64Array | Int32Array, hour: number) => void) {
  const size = INT_KINDS.has(kind) ? 4 : 8;
  for (const [hour, data] of rows) {
    if (data.byteLength > scratch.byteLength) (scratch = new ArrayBuffer(data.byteLength * 2)), (scratchBytes = new Uint8Array(scratch));
    scratchBytes.set(data);
    visit(size === 4 ? new Int32Array(scratch, 0, data.byteLength / 4) : new Float64Array(scratch, 0, data.byteLength / 8), hour);
  }
}

/** Visits the pages of `kind` for the hours [fromHour, toHour], in order (visitPages). */
const pages = (db: Database, kind: number, fromHour: number, toHour: number, visit: (a: Float64Array | Int32Array, hour: number) => void) => visitPages(kind, pageRows(db, kind, fromHour, toHour), visit);

export function rollupRows(db: Database, range: { from: number; to: number }, f: { teamId?: number; channelId?: number }, need: { records?: boolean; judgeWaits?: boolean } = {}): RollupRows {
  const first = hourOf(range.from);
  const last = hourOf(range.to - 1);
  const inRange = (t: number) => t >= range.from && t < range.to;
  const team = (v: number | null) => f.teamId === undefined || v === f.teamId;
  const channel = (v: number) => f.channelId === undefined || v === f.channelId;
  const types = new Map(db.query<{ id: number; type: string }, []>("SELECT id, type FROM channels").all().map((c) => [c.id, c.type]));

  const read = [CONV32, CONV].map((kind) => [kind, pageRows(db, kind, first, last)] as const);
  // Room for every record read, made once.
  let records = 0;
  for (const [kind, rows] of read) for (const [, data] of rows) records += data.byteLength / (WIDTH[kind] * (INT_KINDS.has(kind) ? 4 : 8));
  const conversations = new ConversationColumns(types, records);
  const opened = new Set<number>();
  const keepOpened = need.records || need.judgeWaits;
  for (const [kind, rows] of read) {
    visitPages(kind, rows, (a, hour) =>
      decodeInto(conversations, kind, a, (id, at, resolved, teamId, channelId) => {
        // A conversation has a record at the hour it was opened and at the hour it was resolved:
        // the second counts only when the first is on a page not read.
        const openedAt = hourOf(at);
        const ours = openedAt === hour ? inRange(at) || inRange(resolved) : (openedAt < first || openedAt > last) && inRange(resolved);
        // conversationFacts joins channels: a conversation whose channel is gone is in no report.
        if (!ours || !team(teamId || null) || !types.has(channelId)) return false;
        if (keepOpened && inRange(at)) opened.add(id);
        return true;
      }),
    );
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
