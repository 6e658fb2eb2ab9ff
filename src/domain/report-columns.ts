// A period's conversations as columns of numbers (one typed array per field), not one object per
// conversation: the dashboard tallies 100,000 of them per view for 90 days, and building an
// object for each cost more than all the figures computed from them (docs/reports.md "Reading a
// period"). A conversation's object (ConversationFact) is made only when something needs it
// whole: an SLA policy's judge, the drill-down, the API's callers that list them.
import type { ConversationFact } from "./reports.ts";
import { CONVERSATION_STATUSES, PRIORITIES } from "./conversation.ts";

const priorityIndex = (p: string | undefined) => (PRIORITIES as readonly string[]).indexOf(p ?? "normal");
const statusIndex = (s: string | undefined) => (CONVERSATION_STATUSES as readonly string[]).indexOf(s ?? "open");

/**
 * Times are epoch ms (NaN: none); ids are 0 for none (a team, assignee or resolver id is never 0).
 * Rows are in no particular order (the roll-ups give them page by page); `facts()` lists them by id.
 */
export class ConversationColumns {
  length = 0;
  id: Float64Array;
  createdAt: Float64Array;
  firstResponseAt: Float64Array;
  resolvedAt: Float64Array;
  waitingSince: Float64Array;
  handleMs: Float64Array;
  channelId: Int32Array;
  teamId: Int32Array;
  assigneeId: Int32Array;
  resolvedBy: Int32Array;
  /** Indexes into PRIORITIES and CONVERSATION_STATUSES (-1: a value outside them). */
  priority: Int8Array;
  status: Int8Array;
  /** The objects the rows were made from (ConversationColumns.of), or made on demand (fact). */
  private made: (ConversationFact | undefined)[] = [];
  /** Made from conversation objects (the raw rows' path), which are then tallied one by one (Tally), the reference the columns' figures are checked against. */
  fromObjects = false;

  /** `types`: each channel's type (a row's channelType); `capacity`: rows expected (more are room made for). */
  constructor(readonly types: ReadonlyMap<number, string>, capacity = 64) {
    this.id = new Float64Array(capacity);
    this.createdAt = new Float64Array(capacity);
    this.firstResponseAt = new Float64Array(capacity);
    this.resolvedAt = new Float64Array(capacity);
    this.waitingSince = new Float64Array(capacity);
    this.handleMs = new Float64Array(capacity);
    this.channelId = new Int32Array(capacity);
    this.teamId = new Int32Array(capacity);
    this.assigneeId = new Int32Array(capacity);
    this.resolvedBy = new Int32Array(capacity);
    this.priority = new Int8Array(capacity);
    this.status = new Int8Array(capacity);
  }

  /** The columns of conversation objects (the raw rows' path): their facts are those very objects. */
  static of(facts: readonly ConversationFact[]): ConversationColumns {
    const c = new ConversationColumns(new Map(facts.map((f) => [f.channelId, f.channelType])), facts.length);
    for (const f of facts) {
      const i = c.push(f.id ?? 0, f.createdAt, f.firstResponseAt ?? NaN, f.resolvedAt ?? NaN, f.resolvedBy ?? 0, f.teamId ?? 0, f.channelId, f.assigneeId ?? 0, priorityIndex(f.priority), statusIndex(f.status), f.handleMs ?? 0);
      c.waitingSince[i] = f.waitingSince ?? NaN;
      c.made[i] = f;
    }
    c.fromObjects = true;
    return c;
  }

  private grow() {
    const size = Math.max(64, this.length * 2);
    const more = <T extends Float64Array | Int32Array | Int8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a as never);
      return b;
    };
    this.id = more(this.id);
    this.createdAt = more(this.createdAt);
    this.firstResponseAt = more(this.firstResponseAt);
    this.resolvedAt = more(this.resolvedAt);
    this.waitingSince = more(this.waitingSince);
    this.handleMs = more(this.handleMs);
    this.channelId = more(this.channelId);
    this.teamId = more(this.teamId);
    this.assigneeId = more(this.assigneeId);
    this.resolvedBy = more(this.resolvedBy);
    this.priority = more(this.priority);
    this.status = more(this.status);
  }

  /** Adds a row (waitingSince: none) and returns its index. */
  push(id: number, createdAt: number, firstResponseAt: number, resolvedAt: number, resolvedBy: number, teamId: number, channelId: number, assigneeId: number, priority: number, status: number, handleMs: number): number {
    const i = this.length;
    if (i === this.id.length) this.grow();
    this.id[i] = id;
    this.createdAt[i] = createdAt;
    this.firstResponseAt[i] = firstResponseAt;
    this.resolvedAt[i] = resolvedAt;
    this.resolvedBy[i] = resolvedBy;
    this.teamId[i] = teamId;
    this.channelId[i] = channelId;
    this.assigneeId[i] = assigneeId;
    this.priority[i] = priority;
    this.status[i] = status;
    this.handleMs[i] = handleMs;
    this.waitingSince[i] = NaN;
    this.length = i + 1;
    return i;
  }

  priorityOf(i: number): string {
    return this.made[i]?.priority ?? PRIORITIES[this.priority[i]] ?? "normal";
  }

  /** Row i as a conversation object (made once, then kept). */
  fact(i: number): ConversationFact {
    const known = this.made[i];
    if (known) return known;
    const n = (v: number) => (Number.isNaN(v) ? null : v);
    const f: ConversationFact = {
      id: this.id[i], createdAt: this.createdAt[i], firstResponseAt: n(this.firstResponseAt[i]), resolvedAt: n(this.resolvedAt[i]),
      resolvedBy: this.resolvedBy[i] || null, teamId: this.teamId[i] || null, channelId: this.channelId[i], channelType: this.types.get(this.channelId[i]) ?? "",
      assigneeId: this.assigneeId[i] || null, priority: PRIORITIES[this.priority[i]] ?? "normal", status: CONVERSATION_STATUSES[this.status[i]] ?? "open",
      waitingSince: n(this.waitingSince[i]), handleMs: this.handleMs[i],
    };
    this.made[i] = f;
    return f;
  }

  /** Every row as an object, by id (the order the raw rows' query gives them). */
  facts(): ConversationFact[] {
    const out: ConversationFact[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.fact(i));
    return out.sort((a, b) => a.id! - b.id!);
  }

  /** The rows `keep` keeps, as new columns. */
  where(keep: (i: number) => boolean): ConversationColumns {
    const c = new ConversationColumns(this.types, this.length);
    for (let i = 0; i < this.length; i++) {
      if (!keep(i)) continue;
      const j = c.push(this.id[i], this.createdAt[i], this.firstResponseAt[i], this.resolvedAt[i], this.resolvedBy[i], this.teamId[i], this.channelId[i], this.assigneeId[i], this.priority[i], this.status[i], this.handleMs[i]);
      c.waitingSince[j] = this.waitingSince[i];
      c.made[j] = this.made[i];
    }
    c.fromObjects = this.fromObjects;
    return c;
  }

  /** When each conversation opened in the range was opened (the busy-hours grid). */
  openedIn(range: { from: number; to: number }): Float64Array {
    const out = new Float64Array(this.length);
    let n = 0;
    for (let i = 0; i < this.length; i++) if (this.createdAt[i] >= range.from && this.createdAt[i] < range.to) out[n++] = this.createdAt[i];
    return out.subarray(0, n);
  }
}
