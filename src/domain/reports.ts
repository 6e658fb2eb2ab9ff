// Team performance from conversation facts: pure computations, no database.

export interface ConversationFact {
  channelId: number;
  channelType: string;
  assigneeId: number | null;
  createdAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  /** Conversation id and who resolved it (the user whose change set it resolved), when known: for credit. */
  id?: number;
  resolvedBy?: number | null;
  /** For SLA policies: the conversation's team, priority, status and oldest unanswered message. */
  teamId?: number | null;
  priority?: string;
  status?: string;
  waitingSince?: number | null;
  /** Time agents spent on it: writing replies and talking on calls (0 when none was measured). */
  handleMs?: number;
}

/**
 * Which SLA targets a conversation missed under its policy, or null when no policy applies (the
 * report's own threshold then judges its first response).
 */
export type SlaJudge = ((f: ConversationFact, now: number) => ("first_response" | "next_response" | "resolution")[] | null) & {
  /** Whether a policy applies to a team and priority at all (false: the judge says null), asked before a conversation's object is made. */
  covers?: (teamId: number | null, priority: string) => boolean;
};

export interface CsatFact {
  channelId: number;
  assigneeId: number | null;
  rating: number;
  /** When the rating came (for series). */
  at?: number;
}

export interface Summary {
  conversations_opened: number;
  conversations_resolved: number;
  first_response_seconds: { p50: number | null; p90: number | null };
  resolution_seconds: { p50: number | null; p90: number | null };
  /**
   * Wall-clock time from the first reply to resolution. Not the time agents actually spent (Pano
   * does not measure composer or call time yet); docs/reports.md says so.
   */
  handle_seconds: { p50: number | null; p90: number | null };
  sla_breaches: number;
  /** Conversations that missed each target (a policy's; the threshold counts as first response). */
  sla_missed: { first_response: number; next_response: number; resolution: number };
  csat: { responses: number; average: number | null };
}

/** Nearest-rank percentile; null for no data (a report must not invent a zero). */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const a = new Float64Array(values);
  return select(a, rankOf(a.length, p), 0, a.length - 1);
}

const rankOf = (n: number, p: number) => Math.max(0, Math.ceil((p / 100) * n) - 1);

/**
 * The k-th smallest of a[lo..hi] (quickselect: the value a full sort would put at k, in linear
 * time; a 90-day period has hundreds of thousands of waits). Leaves a[lo..k] <= a[k] <= a[k..hi].
 */
function select(a: Float64Array, k: number, lo: number, hi: number): number {
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as the pivot, then Hoare's partition around it.
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number) {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

const seconds = (ms: number) => Math.round(ms / 1000);

/** A conversation breaches the first-response SLA if nobody answered within `slaMs` (answered late, or still waiting past it at `now`). */
export function breachesSla(f: ConversationFact, slaMs: number, now: number): boolean {
  const answeredAfter = (f.firstResponseAt ?? now) - f.createdAt;
  return answeredAfter > slaMs;
}

export function summarise(facts: ConversationFact[], range: { from: number; to: number }, slaMs: number, now: number, ratings: CsatFact[] = [], judge?: SlaJudge): Summary {
  const t = new Tally(range, slaMs, now, judge);
  for (const f of facts) t.add(f);
  return t.summary(ratings);
}

/**
 * summarise's figures gathered one conversation at a time, so the dashboard gathers the total,
 * each channel's and each agent's in one pass over a period's 100,000 conversations.
 */
export class Tally {
  private opened = 0;
  private breaches = 0;
  private readonly firstResponse: number[] = [];
  private readonly resolution: number[] = [];
  private readonly handle: number[] = [];
  private readonly missed = { first_response: 0, next_response: 0, resolution: 0 };
  private readonly at: number;

  constructor(private readonly range: { from: number; to: number }, private readonly slaMs: number, now: number, private readonly judge?: SlaJudge) {
    this.at = Math.min(now, range.to);
  }

  add(f: ConversationFact): void {
    const { from, to } = this.range;
    if (f.createdAt >= from && f.createdAt < to) {
      this.opened++;
      if (f.firstResponseAt !== null) this.firstResponse.push(seconds(f.firstResponseAt - f.createdAt));
      this.breaches += slaVerdict(f, this.slaMs, this.at, this.missed, this.judge);
    }
    if (f.resolvedAt !== null && f.resolvedAt >= from && f.resolvedAt < to) {
      this.resolution.push(seconds(f.resolvedAt - f.createdAt));
      // Measured work only: a conversation nobody wrote or talked in counts for nothing, not for zero.
      if ((f.handleMs ?? 0) > 0) this.handle.push(seconds(f.handleMs!));
    }
  }

  summary(ratings: CsatFact[] = []): Summary {
    return {
      conversations_opened: this.opened,
      conversations_resolved: this.resolution.length,
      first_response_seconds: p50p90(this.firstResponse),
      resolution_seconds: p50p90(this.resolution),
      handle_seconds: p50p90(this.handle),
      sla_breaches: this.breaches,
      sla_missed: { ...this.missed },
      csat: csatOf(ratings),
    };
  }
}

/** The ratings' count and average (two decimals), as every summary gives them. */
export const csatOf = (ratings: CsatFact[]): Summary["csat"] => ({ responses: ratings.length, average: ratings.length ? Math.round((ratings.reduce((a, r) => a + r.rating, 0) / ratings.length) * 100) / 100 : null });

/** Counts the targets an opened conversation missed into `missed`; 1 when it missed any. */
function slaVerdict(f: ConversationFact, slaMs: number, now: number, missed: Summary["sla_missed"], judge?: SlaJudge): number {
  const targets = judge ? judge(f, now) : null;
  if (targets === null) {
    if (!breachesSla(f, slaMs, now)) return 0;
    missed.first_response++;
    return 1;
  }
  for (const t of targets) missed[t]++;
  return targets.length ? 1 : 0;
}

export function groupBy<F, K>(facts: F[], key: (f: F) => K): Map<K, F[]> {
  const m = new Map<K, F[]>();
  for (const f of facts) {
    const k = key(f);
    const list = m.get(k);
    if (list) list.push(f);
    else m.set(k, [f]);
  }
  return m;
}

/** One public message of a conversation, in order: what response times and credit are computed from. */
export interface MessageFact {
  conversationId: number;
  direction: "in" | "out";
  /** The user who wrote an outgoing message; null for a customer, an automatic or an echoed one. */
  authorId: number | null;
  /** Auto-replies, bounces, automatic sends: neither a wait nor an answer. */
  automatic: boolean;
  at: number;
}

export interface AgentCredit {
  replies: number;
  first_responses: number;
  /** Every customer message that waited, until the next agent reply, credited to that reply's writer. */
  response_seconds: SecondsCount;
  /** Conversations' first response times, credited to the writer of the first reply. */
  first_response_seconds: SecondsCount;
}

/** An empty AgentCredit. */
export const noCredit = (): AgentCredit => ({ replies: 0, first_responses: 0, response_seconds: new SecondsCount(), first_response_seconds: new SecondsCount() });

const DENSE_MAX = 1 << 17;

/**
 * A multiset of whole seconds, kept as counts: a 90-day period credits hundreds of thousands of
 * waits of a few thousand distinct lengths. Its percentiles are the nearest-rank ones of the
 * values listed out (p50p90), exactly. Counts of 0 to 36 hours in an array grown as needed,
 * the rest (negative, longer, fractional) in a map.
 */
export class SecondsCount {
  private dense = new Float64Array(0);
  private other = new Map<number, number>();
  count = 0;

  add(value: number, n = 1): void {
    this.count += n;
    if (value >= 0 && value < DENSE_MAX && Number.isInteger(value)) {
      if (value >= this.dense.length) {
        let size = Math.max(1024, this.dense.length);
        while (size <= value) size *= 2;
        const grown = new Float64Array(Math.min(size, DENSE_MAX));
        grown.set(this.dense);
        this.dense = grown;
      }
      this.dense[value] += n;
    } else this.other.set(value, (this.other.get(value) ?? 0) + n);
  }

  addAll(from: SecondsCount): void {
    for (let v = 0; v < from.dense.length; v++) if (from.dense[v]) this.add(v, from.dense[v]);
    for (const [v, n] of from.other) this.add(v, n);
  }

  /** The median and 90th percentile (nearest rank), as p50p90 gives them for the values listed out. */
  p50p90(): { p50: number | null; p90: number | null } {
    if (!this.count) return { p50: null, p90: null };
    const k50 = rankOf(this.count, 50);
    const k90 = rankOf(this.count, 90);
    const out: { p50: number | null; p90: number | null } = { p50: null, p90: null };
    const others = [...this.other.keys()].sort((a, b) => a - b);
    let seen = 0;
    let i = 0;
    const visit = (v: number, n: number) => {
      if (out.p50 === null && seen + n > k50) out.p50 = v;
      if (seen + n > k90) out.p90 = v;
      seen += n;
    };
    for (; i < others.length && others[i] < 0; i++) visit(others[i], this.other.get(others[i])!);
    for (let v = 0; v < this.dense.length && out.p90 === null; v++) {
      if (!this.dense[v]) continue;
      while (i < others.length && others[i] < v) (visit(others[i], this.other.get(others[i])!), i++);
      visit(v, this.dense[v]);
    }
    for (; i < others.length && out.p90 === null; i++) visit(others[i], this.other.get(others[i])!);
    return out;
  }
}

/** One response interval: which customer message waited, how long, and who answered it. */
export interface ResponseInterval {
  conversationId: number;
  askedAt: number;
  answeredAt: number;
  authorId: number;
  first: boolean;
}

/**
 * Walks each conversation's messages in order: every customer message waits until the next reply
 * by an agent (a message a user wrote), and that wait is credited to the reply's writer. The first
 * such reply of a conversation is its first response. `msgs` must be ordered by conversation, then time.
 */
export function responseIntervals(msgs: MessageFact[]): ResponseInterval[] {
  const out: ResponseInterval[] = [];
  let conv = -1;
  let waiting: number[] = [];
  let answered = false;
  for (const m of msgs) {
    if (m.conversationId !== conv) {
      conv = m.conversationId;
      waiting = [];
      answered = false;
    }
    if (m.automatic) continue;
    if (m.direction === "in") waiting.push(m.at);
    else if (m.authorId !== null) {
      waiting.forEach((askedAt, k) => out.push({ conversationId: conv, askedAt, answeredAt: m.at, authorId: m.authorId!, first: !answered && k === 0 }));
      if (waiting.length) answered = true;
      waiting = [];
    }
  }
  return out;
}

/** One public reply a user wrote (not automatic): what `replies` counts. */
export interface ReplyFact {
  conversationId: number;
  authorId: number;
  at: number;
}

/** The replies users wrote among `msgs` (automatic sends and echoes without an author are nobody's). */
export function repliesOf(msgs: MessageFact[]): ReplyFact[] {
  const out: ReplyFact[] = [];
  for (const m of msgs) if (m.direction === "out" && m.authorId !== null && !m.automatic) out.push({ conversationId: m.conversationId, authorId: m.authorId, at: m.at });
  return out;
}

/** Per writer: replies written in the range, and the waits their replies ended in the range. */
export function creditByAgent(msgs: MessageFact[], range: { from: number; to: number }): Map<number, AgentCredit> {
  return creditFrom(repliesOf(msgs), responseIntervals(msgs), range);
}

/** creditByAgent from replies and response intervals already worked out (the roll-ups keep them). */
export function creditFrom(replies: Iterable<ReplyFact>, intervals: Iterable<ResponseInterval>, range: { from: number; to: number }): Map<number, AgentCredit> {
  const credit = new Map<number, AgentCredit>();
  const of = (id: number) => {
    let c = credit.get(id);
    if (!c) credit.set(id, (c = noCredit()));
    return c;
  };
  const inRange = (t: number) => t >= range.from && t < range.to;
  for (const r of replies) if (inRange(r.at)) of(r.authorId).replies++;
  for (const i of intervals) {
    if (!inRange(i.answeredAt)) continue;
    const c = of(i.authorId);
    c.response_seconds.add(seconds(i.answeredAt - i.askedAt));
    // A conversation's first response runs from its first customer message to the first reply.
    if (i.first) {
      c.first_responses++;
      c.first_response_seconds.add(seconds(i.answeredAt - i.askedAt));
    }
  }
  return credit;
}

/** The median and 90th percentile, sorting once. */
export function p50p90(v: number[]): { p50: number | null; p90: number | null } {
  return p50p90Reordering(new Float64Array(v));
}

/** p50p90 of the values in `a`, reordering them (no copy). */
export function p50p90Reordering(a: Float64Array): { p50: number | null; p90: number | null } {
  if (!a.length) return { p50: null, p90: null };
  const k90 = rankOf(a.length, 90);
  const p90 = select(a, k90, 0, a.length - 1);
  // Everything below rank 90 is now left of it: the median is found among those.
  return { p50: select(a, rankOf(a.length, 50), 0, k90), p90 };
}
