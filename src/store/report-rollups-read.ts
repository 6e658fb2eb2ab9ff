// Reading the roll-ups (report-rollups.ts): a period's conversation facts, replies and response
// intervals decoded from the hour pages that cover it, selected with exactly the raw queries'
// rules (store/reports.ts), so the domain code computes the same figures from either.
import type { Database } from "bun:sqlite";
import type { ConversationFact, ReplyFact, ResponseInterval } from "../domain/reports.ts";
import { CONV, WAIT, REPLY, WIDTH, hourOf, factOf, floats } from "./report-rollups.ts";

export interface RollupRows {
  /** Conversations opened or resolved in the range (the team's), in id order as the raw query gives them. */
  facts: ConversationFact[];
  /** Replies written in the range, in message order. */
  replies: ReplyFact[];
  /** Waits answered in the range, and every later one of the conversations opened in it (their SLA verdicts look at all their waits). */
  intervals: ResponseInterval[];
}

function pages(db: Database, kind: number, fromHour: number, toHour: number, visit: (a: Float64Array) => void) {
  const rows = db.query<{ data: Uint8Array }, [number, number, number]>("SELECT data FROM report_pages WHERE kind = ? AND hour >= ? AND hour <= ? ORDER BY hour").all(kind, fromHour, toHour);
  for (const r of rows) visit(floats(r.data));
}

export function rollupRows(db: Database, range: { from: number; to: number }, f: { teamId?: number; channelId?: number }): RollupRows {
  const first = hourOf(range.from);
  const last = hourOf(range.to - 1);
  const inRange = (t: number) => t >= range.from && t < range.to;
  const team = (v: number) => f.teamId === undefined || v === f.teamId;
  const channel = (v: number) => f.channelId === undefined || v === f.channelId;
  // conversationFacts joins channels: a conversation whose channel is gone is in no report.
  const types = new Map(db.query<{ id: number; type: string }, []>("SELECT id, type FROM channels").all().map((c) => [c.id, c.type]));

  const facts: ConversationFact[] = [];
  const seen = new Set<number>();
  let lastWait = 0;
  const opened = new Set<number>();
  const w = WIDTH[CONV];
  pages(db, CONV, first, last, (a) => {
    for (let o = 0; o < a.length; o += w) {
      const id = a[o];
      const created = a[o + 1];
      const resolved = a[o + 3];
      if (!(inRange(created) || inRange(resolved)) || !team(a[o + 5]) || seen.has(id)) continue;
      const type = types.get(a[o + 6]);
      if (type === undefined) continue;
      seen.add(id);
      facts.push(factOf(a, o, type));
      if (inRange(created)) {
        opened.add(id);
        if (a[o + 12] > lastWait) lastWait = a[o + 12];
      }
    }
  });
  facts.sort((x, y) => x.id! - y.id!);

  const replies: (ReplyFact & { k: number })[] = [];
  pages(db, REPLY, first, last, (a) => {
    for (let o = 0; o < a.length; o += WIDTH[REPLY]) {
      if (inRange(a[o + 1]) && team(a[o + 3]) && channel(a[o + 4])) replies.push({ conversationId: a[o], at: a[o + 1], authorId: a[o + 2], k: replies.length });
    }
  });
  replies.sort((x, y) => x.conversationId - y.conversationId || x.at - y.at || x.k - y.k);

  // Waits answered in the range, and the later waits of the conversations opened in it, answered
  // after it (a period in the past): their SLA verdicts look at every wait, as with the raw rows.
  const intervals: ResponseInterval[] = [];
  const readWaits = (a: Float64Array) => {
    for (let o = 0; o < a.length; o += WIDTH[WAIT]) {
      const answered = a[o + 2];
      const keep = inRange(answered) ? team(a[o + 5]) : answered >= range.to && a[o + 4] !== 1 && opened.has(a[o]);
      if (keep && channel(a[o + 6])) intervals.push({ conversationId: a[o], askedAt: a[o + 1], answeredAt: answered, authorId: a[o + 3], first: a[o + 4] === 1 });
    }
  };
  pages(db, WAIT, first, Math.max(last, hourOf(lastWait)), readWaits);
  return { facts, replies, intervals };
}
