// How the roll-ups' hour pages are laid out (report-rollups.ts writes them, report-rollups-read.ts
// reads them). Each page is one hour (UTC, epoch ms of its start) of one kind of record:
//   WAIT, REPLY (Float64, exact times): every answered wait and every reply, to cut a period
//     exactly where it does not start or end on the hour, and for the API's time series;
//   CREDIT (Int32): the same hour's waits and replies summed up per writer, team and channel:
//     reply count and exact histograms of the waits' and first responses' rounded seconds, kept
//     by adding and taking back each change; what the dashboard's credit reads for every whole hour;
//   CONV32 (Int32) or, when a value does not fit 32 bits, CONV (Float64): one record per
//     conversation at the hour it was opened and again at the hour it was resolved.
import { noCredit, type AgentCredit, type ConversationFact, type SecondsCount } from "../domain/reports.ts";
import { CONVERSATION_STATUSES, PRIORITIES } from "../domain/conversation.ts";
import type { ConversationColumns } from "../domain/report-columns.ts";

export const HOUR = 3600_000;
export const CONV = 1;
export const WAIT = 2;
export const REPLY = 3;
export const CREDIT = 4;
export const CONV32 = 5;
/** Fields per record, by kind (CREDIT's groups vary in length); the first field is always the conversation id. */
export const WIDTH: Record<number, number> = { [CONV]: 11, [WAIT]: 7, [REPLY]: 5, [CONV32]: 10 };
export const INT_KINDS = new Set([CREDIT, CONV32]);
export const hourOf = (t: number) => Math.floor(t / HOUR) * HOUR;
/**
 * Records are kept in parts of a few conversations per hour and kind, so a batch rewrites only the
 * parts of the conversations it changed, however busy the hour: 8 conversations per part for
 * waits and replies (rewritten with every reply, read only for an hour a period cuts), 64 for
 * conversation records (read for every hour of a period). CREDIT pages have one part, 0.
 */
export const partOf = (kind: number, conversationId: number) => Math.floor(conversationId / (kind === WAIT || kind === REPLY ? 8 : 64));
/** A page's rowid: kind, hour (since 1970, to 2089) and part (< 2^28) in one integer, in that order. */
export const pageId = (kind: number, hour: number, part: number) => kind * 2 ** 48 + (hour / HOUR) * 2 ** 28 + part;
export const LAST_PART = 2 ** 28 - 1;

/** A page's bytes as numbers (a view when aligned, else a copy) and back. */
export function pageValues(kind: number, b: Uint8Array): Float64Array | Int32Array {
  const size = INT_KINDS.has(kind) ? 4 : 8;
  const buffer = b.byteOffset % size === 0 ? (b.buffer as ArrayBuffer) : (b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  const offset = b.byteOffset % size === 0 ? b.byteOffset : 0;
  return size === 4 ? new Int32Array(buffer, offset, b.byteLength / 4) : new Float64Array(buffer, offset, b.byteLength / 8);
}
export const pageBytes = (kind: number, values: number[]) => new Uint8Array((INT_KINDS.has(kind) ? new Int32Array(values) : new Float64Array(values)).buffer);

const num = (v: number | null | undefined) => (v === null || v === undefined ? NaN : v);
const NULL32 = -2147483648;
const EPOCH = Date.UTC(2020, 0, 1);
const fits = (v: number) => Number.isInteger(v) && v > NULL32 && v <= 2147483647;

/**
 * The conversation record: 10 Int32 fields when every value fits, else 11 Float64 (kind CONV).
 * Not in it: waiting_since (it moves with every customer message; the report reads it from the
 * conversation when an SLA policy has a next-response target, report-rollups-read.ts).
 */
export function conversationRecord(f: ConversationFact): { kind: number; fields: number[] } {
  const prio = (PRIORITIES as readonly string[]).indexOf(f.priority ?? "normal");
  const status = (CONVERSATION_STATUSES as readonly string[]).indexOf(f.status ?? "open");
  const delta = (t: number | null | undefined) => (t === null || t === undefined ? NULL32 : t - f.createdAt);
  const ms = ((f.createdAt % 1000) + 1000) % 1000;
  const small = [
    f.id!, (f.createdAt - ms - EPOCH) / 1000, ms | (prio << 10) | (status << 13), delta(f.firstResponseAt), delta(f.resolvedAt), f.resolvedBy ?? 0,
    f.teamId ?? 0, f.channelId, f.assigneeId ?? 0, f.handleMs ?? 0,
  ];
  const ok = prio >= 0 && status >= 0 && small.every((v, i) => (i === 3 || i === 4 ? v === NULL32 || fits(v) : fits(v) && v >= 0));
  if (ok) return { kind: CONV32, fields: small };
  return {
    kind: CONV,
    fields: [f.id!, f.createdAt, num(f.firstResponseAt), num(f.resolvedAt), num(f.resolvedBy), num(f.teamId), f.channelId, num(f.assigneeId), prio, status, f.handleMs ?? 0],
  };
}

/**
 * Decodes the records of an hour's conversation page (`hour`, kind CONV32 or CONV) that `keep`
 * keeps (id, opened, resolved, team and channel given as numbers: NaN for not resolved, 0 for no team)
 * into the period's columns: one tight loop, no object per record.
 */
export function decodeInto(c: ConversationColumns, kind: number, a: Float64Array | Int32Array, keep: (id: number, openedAt: number, resolvedAt: number, team: number, channel: number) => boolean): void {
  if (kind === CONV) {
    for (let o = 0; o < a.length; o += 11) {
      const team = Number.isNaN(a[o + 5]) ? 0 : a[o + 5];
      if (!keep(a[o], a[o + 1], a[o + 3], team, a[o + 6])) continue;
      const id = (v: number) => (Number.isNaN(v) ? 0 : v);
      c.push(a[o], a[o + 1], a[o + 2], a[o + 3], id(a[o + 4]), team, a[o + 6], id(a[o + 7]), a[o + 8], a[o + 9], a[o + 10]);
    }
    return;
  }
  for (let o = 0; o < a.length; o += 10) {
    const packed = a[o + 2];
    const createdAt = EPOCH + a[o + 1] * 1000 + (packed & 1023);
    const first = a[o + 3];
    const resolved = a[o + 4];
    const resolvedAt = resolved === NULL32 ? NaN : createdAt + resolved;
    if (!keep(a[o], createdAt, resolvedAt, a[o + 6], a[o + 7])) continue;
    c.push(a[o], createdAt, first === NULL32 ? NaN : createdAt + first, resolvedAt, a[o + 5], a[o + 6], a[o + 7], a[o + 8], (packed >> 10) & 7, (packed >> 13) & 7, a[o + 9]);
  }
}

const seconds = (ms: number) => Math.round(ms / 1000);

/** One wait or reply added to (1) or taken back from (-1) an hour's CREDIT page. */
export interface CreditDelta { sign: 1 | -1; author: number; team: number; channel: number; reply: boolean; seconds: number; first: boolean }

/** The CREDIT delta of a WAIT or REPLY record (its fields at `o`). */
export function creditOf(sign: 1 | -1, kind: number, a: ArrayLike<number>, o: number): CreditDelta {
  if (kind === REPLY) return { sign, author: a[o + 2], team: Number.isNaN(a[o + 3]) ? 0 : a[o + 3], channel: a[o + 4], reply: true, seconds: 0, first: false };
  return { sign, author: a[o + 3], team: Number.isNaN(a[o + 5]) ? 0 : a[o + 5], channel: a[o + 6], reply: false, seconds: seconds(a[o + 2] - a[o + 1]), first: a[o + 4] === 1 };
}

/**
 * An hour's CREDIT page with `deltas` applied. The page holds, per writer, team (0: none) and
 * channel, [author, team, channel, replies, w, f, w tokens of waits, f tokens of first responses]
 * (a token is a value seen once, or -count followed by the value):
 * the reply count and exact histograms of the waits' and first responses' rounded seconds, so a
 * change is added or taken back without reading the hour's waits.
 */
export function applyCredit(page: Int32Array | null, deltas: CreditDelta[]): number[] {
  type Group = { key: number[]; replies: number; waits: Map<number, number>; firsts: Map<number, number> };
  const groups = new Map<string, Group>();
  const group = (author: number, team: number, channel: number) => {
    const k = `${author}:${team}:${channel}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { key: [author, team, channel], replies: 0, waits: new Map(), firsts: new Map() }));
    return g;
  };
  const bump = (m: Map<number, number>, v: number, by: number) => m.set(v, (m.get(v) ?? 0) + by);
  for (let o = 0; page && o < page.length; ) {
    const g = group(page[o], page[o + 1], page[o + 2]);
    g.replies += page[o + 3];
    const start = o + 6;
    const end = start + page[o + 4];
    o = end + page[o + 5];
    eachValue(page, start, end, (v, n) => bump(g.waits, v, n));
    eachValue(page, end, o, (v, n) => bump(g.firsts, v, n));
  }
  for (const d of deltas) {
    const g = group(d.author, d.team, d.channel);
    if (d.reply) g.replies += d.sign;
    else {
      bump(g.waits, d.seconds, d.sign);
      if (d.first) bump(g.firsts, d.seconds, d.sign);
    }
  }
  const out: number[] = [];
  for (const g of groups.values()) {
    const waits = tokens(g.waits);
    const firsts = tokens(g.firsts);
    if (g.replies <= 0 && !waits.length && !firsts.length) continue;
    out.push(...g.key, Math.max(0, g.replies), waits.length, firsts.length, ...waits, ...firsts);
  }
  return out;
}

// A histogram as tokens: a value seen once is itself (when not negative); else -count, value.
function tokens(m: Map<number, number>): number[] {
  const out: number[] = [];
  for (const [v, n] of m) {
    if (n <= 0) continue;
    if (n === 1 && v >= 0) out.push(v);
    else out.push(-n, v);
  }
  return out;
}

function eachValue(a: ArrayLike<number>, from: number, to: number, visit: (value: number, count: number) => void) {
  for (let i = from; i < to; i++) {
    if (a[i] >= 0) visit(a[i], 1);
    else visit(a[++i], -a[i - 1]);
  }
}

/** Adds a CREDIT page's groups that pass `keep(team, channel)` to `credit` (creditFrom's figures, summed per writer). */
export function addCredit(credit: Map<number, AgentCredit>, a: Int32Array | Float64Array, keep: (team: number | null, channel: number) => boolean) {
  for (let o = 0; o < a.length; ) {
    const author = a[o];
    const team = a[o + 1];
    const channel = a[o + 2];
    const replies = a[o + 3];
    const start = o + 6;
    const end = start + a[o + 4];
    o = end + a[o + 5];
    if (!keep(team || null, channel)) continue;
    let c = credit.get(author);
    if (!c) credit.set(author, (c = noCredit()));
    c.replies += replies;
    addTokens(c.response_seconds, a, start, end);
    c.first_responses += addTokens(c.first_response_seconds, a, end, o);
  }
}

/** Adds a histogram's tokens (a[from..to]) to `into`; how many values they held. (eachValue without a call per value: 90 days hold ~500,000.) */
function addTokens(into: SecondsCount, a: Int32Array | Float64Array, from: number, to: number): number {
  let added = 0;
  for (let i = from; i < to; i++) {
    const v = a[i];
    if (v >= 0) (into.add(v, 1), added++);
    else (into.add(a[++i], -v), (added -= v));
  }
  return added;
}
