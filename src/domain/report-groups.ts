// summarise's figures for many groups of a period's conversations at once, column by column: the
// dashboard's total, each channel, each agent and each chart bucket. Tally (reports.ts) gathers the
// same figures one conversation object at a time; this does it in two passes over the columns
// (count per group, then each group's seconds laid out side by side in one array), with no list
// per group and no object per conversation. Same rules, same numbers: the raw rows' path keeps
// Tally, and tests/report-rollups-exact.test.ts compares the two.
import { csatOf, p50p90Reordering, type CsatFact, type SlaJudge, type Summary } from "./reports.ts";
import type { ConversationColumns } from "./report-columns.ts";

const seconds = (ms: number) => Math.round(ms / 1000);
const FIRST = 1;
const NEXT = 2;
const RESOLUTION = 4;

type Percentiles = { p50: number | null; p90: number | null };

/** One group's figures: Tally's, ready to summarise. */
export class GroupFigures {
  constructor(
    private readonly opened: number,
    private readonly resolved: number,
    private readonly breaches: number,
    private readonly missed: Summary["sla_missed"],
    private readonly firstResponse: Percentiles,
    private readonly resolution: Percentiles,
    private readonly handle: Percentiles,
  ) {}

  summary(ratings: CsatFact[] = []): Summary {
    return {
      conversations_opened: this.opened,
      conversations_resolved: this.resolved,
      first_response_seconds: { ...this.firstResponse },
      resolution_seconds: { ...this.resolution },
      handle_seconds: { ...this.handle },
      sla_breaches: this.breaches,
      sla_missed: { ...this.missed },
      csat: csatOf(ratings),
    };
  }
}

// Working arrays, reused from view to view: arrays this size are fresh memory each time
// otherwise, and touching fresh memory costs more than the counting done in it.
const scratch = { of: new Int32Array(0), opened: new Int32Array(0), resolved: new Int32Array(0), fr: new Float64Array(0), res: new Float64Array(0), handle: new Float64Array(0) };
const room = <T extends Int32Array | Float64Array>(a: T, n: number, make: new (n: number) => T): T => (a.length >= n ? a : new make(Math.max(n, a.length * 2)));

/** Two arrays of n groups per row (opened, resolved) for groupFigures: valid until the next call. */
export function rowGroups(n: number): [Int32Array, Int32Array] {
  scratch.opened = room(scratch.opened, n, Int32Array);
  scratch.resolved = room(scratch.resolved, n, Int32Array);
  return [scratch.opened, scratch.resolved];
}

/**
 * The figures of `groups` groups: row i counts as opened in group opened[i] and as resolved in
 * group resolved[i] (-1: not in any; the caller checks the times are in the group's range). SLA
 * verdicts are judged at `at(group)` (Tally's min(now, range end)), by the policy's `judge` when one
 * covers the conversation, else by the `slaMs` threshold on its first response. With `together`,
 * `all` is the groups' figures together (when they share one `at`).
 */
export function groupFigures(c: ConversationColumns, opened: Int32Array, resolved: Int32Array, groups: number, slaMs: number, at: (group: number) => number, judge?: SlaJudge, together = false): GroupFigures[] & { all?: GroupFigures } {
  const { createdAt, firstResponseAt, resolvedAt, handleMs } = c;
  const openedN = new Int32Array(groups);
  const breaches = new Int32Array(groups);
  const missed = [new Int32Array(groups), new Int32Array(groups), new Int32Array(groups)];
  const frN = new Int32Array(groups + 1);
  const resN = new Int32Array(groups + 1);
  const handleN = new Int32Array(groups + 1);
  const when = Float64Array.from({ length: groups }, (_, g) => at(g));
  for (let i = 0; i < c.length; i++) {
    const g = opened[i];
    if (g >= 0) {
      openedN[g]++;
      const fr = firstResponseAt[i];
      if (fr === fr) frN[g + 1]++;
      // The report's own threshold on the first response (breachesSla), unless a policy judges it.
      const mask = judge ? verdict(c, i, slaMs, when[g], judge) : (fr === fr ? fr : when[g]) - createdAt[i] > slaMs ? FIRST : 0;
      if (mask) {
        breaches[g]++;
        if (mask & FIRST) missed[0][g]++;
        if (mask & NEXT) missed[1][g]++;
        if (mask & RESOLUTION) missed[2][g]++;
      }
    }
    const h = resolved[i];
    if (h >= 0) {
      resN[h + 1]++;
      if (handleMs[i] > 0) handleN[h + 1]++;
    }
  }
  // Each group's seconds side by side: where each group starts, then each value put in its place.
  for (let g = 0; g < groups; g++) (frN[g + 1] += frN[g]), (resN[g + 1] += resN[g]), (handleN[g + 1] += handleN[g]);
  const frValues = (scratch.fr = room(scratch.fr, frN[groups], Float64Array));
  const resValues = (scratch.res = room(scratch.res, resN[groups], Float64Array));
  const handleValues = (scratch.handle = room(scratch.handle, handleN[groups], Float64Array));
  const frAt = frN.slice(0, groups);
  const resAt = resN.slice(0, groups);
  const handleAt = handleN.slice(0, groups);
  for (let i = 0; i < c.length; i++) {
    const g = opened[i];
    const created = createdAt[i];
    const fr = firstResponseAt[i];
    if (g >= 0 && fr === fr) frValues[frAt[g]++] = seconds(fr - created);
    const h = resolved[i];
    if (h < 0) continue;
    resValues[resAt[h]++] = seconds(resolvedAt[i] - created);
    // Measured work only: a conversation nobody wrote or talked in counts for nothing, not for zero.
    const handle = handleMs[i];
    if (handle > 0) handleValues[handleAt[h]++] = seconds(handle);
  }
  // Each group's percentiles (reordering its values), then all of them together's.
  const percentiles = (values: Float64Array, start: Int32Array, g: number) => p50p90Reordering(values.subarray(start[g], start[g + 1]));
  const out: GroupFigures[] = [];
  for (let g = 0; g < groups; g++) {
    out.push(new GroupFigures(
      openedN[g], resN[g + 1] - resN[g], breaches[g], { first_response: missed[0][g], next_response: missed[1][g], resolution: missed[2][g] },
      percentiles(frValues, frN, g), percentiles(resValues, resN, g), percentiles(handleValues, handleN, g),
    ));
  }
  if (!together) return out;
  const sum = (a: Int32Array) => a.reduce((x, y) => x + y, 0);
  const whole = (values: Float64Array, start: Int32Array) => p50p90Reordering(values.subarray(0, start[groups]));
  const all = new GroupFigures(sum(openedN), resN[groups], sum(breaches), { first_response: sum(missed[0]), next_response: sum(missed[1]), resolution: sum(missed[2]) }, whole(frValues, frN), whole(resValues, resN), whole(handleValues, handleN));
  return Object.assign(out, { all });
}

/** The targets row i missed (bits: first response, next response, resolution), as Tally judges them: by the policy that covers it, else by the threshold. */
function verdict(c: ConversationColumns, i: number, slaMs: number, at: number, judge: SlaJudge): number {
  if (!judge.covers || judge.covers(c.teamId[i] || null, c.priorityOf(i))) {
    const targets = judge(c.fact(i), at);
    if (targets !== null) {
      let mask = 0;
      for (const t of targets) mask |= t === "first_response" ? FIRST : t === "next_response" ? NEXT : RESOLUTION;
      return mask;
    }
  }
  const fr = c.firstResponseAt[i];
  return (Number.isNaN(fr) ? at : fr) - c.createdAt[i] > slaMs ? FIRST : 0;
}

/**
 * Groups rows by `key` (rows where `include` is false are in none), numbered in the order of
 * each key's smallest conversation id: the order in which the raw rows, listed by id, meet them.
 * `of` (each row's group) is valid until the next call.
 */
export function groupsBy(c: ConversationColumns, key: (i: number) => number, include: (i: number) => boolean = () => true): { keys: number[]; of: Int32Array } {
  // Keys (ids) are numbered as met, through an array for small ones (no hashing per row).
  const small = new Int32Array(SMALL).fill(-1);
  const large = new Map<number, number>();
  const keys: number[] = [];
  const firstId: number[] = [];
  const of = (scratch.of = room(scratch.of, c.length, Int32Array));
  for (let i = 0; i < c.length; i++) {
    if (!include(i)) {
      of[i] = -1;
      continue;
    }
    const k = key(i);
    let g = k >= 0 && k < SMALL ? small[k] : large.get(k) ?? -1;
    if (g < 0) {
      g = keys.length;
      keys.push(k);
      firstId.push(c.id[i]);
      if (k >= 0 && k < SMALL) small[k] = g;
      else large.set(k, g);
    } else if (c.id[i] < firstId[g]) firstId[g] = c.id[i];
    of[i] = g;
  }
  const order = keys.map((_, g) => g).sort((a, b) => firstId[a] - firstId[b]);
  const renumber = new Int32Array(keys.length);
  order.forEach((g, n) => (renumber[g] = n));
  for (let i = 0; i < c.length; i++) if (of[i] >= 0) of[i] = renumber[of[i]];
  return { keys: order.map((g) => keys[g]), of };
}

const SMALL = 1 << 12;
