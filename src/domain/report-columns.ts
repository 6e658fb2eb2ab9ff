// A period's conversations as columns of numbers (one typed array per field), not one object per
// conversation: the dashboard tallies 100,000 of them per view for 90 days, and building an
// object for each cost more than all the figures computed from them (docs/reports.md "Reading a
// period"). A conversation's object (ConversationFact) is made only when something needs it
// whole: an SLA policy's judge, the drill-down, the API's callers that list them.
import type { ConversationFact } from "./reports.ts";
import { CONVERSATION_STATUSES, PRIORITIES } from "./conversation.ts";

let opened = new Float64Array(0);
type Column = Float64Array | Int32Array | Int8Array;
type ColumnName = "id" | "createdAt" | "firstResponseAt" | "resolvedAt" | "waitingSince" | "handleMs" | "channelId" | "teamId" | "assigneeId" | "resolvedBy" | "priority" | "status";
const priorityIndex = (p: string | undefined) => (PRIORITIES as readonly string[]).indexOf(p ?? "normal");
const statusIndex = (s: string | undefined) => (CONVERSATION_STATUSES as readonly string[]).indexOf(s ?? "open");

/**
 * Times are epoch ms (NaN: none); ids are 0 for none (a team, assignee or resolver id is never 0).
 * Rows are in no particular order (the roll-ups give them page by page); `facts()` lists them by id.
 */
export class ConversationColumns {
  private rows = 0;
  // Set when the next period read from the same database took this one's arrays (reusing).
  private handedOn = false;
  id = new Float64Array(0);
  createdAt = new Float64Array(0);
  firstResponseAt = new Float64Array(0);
  resolvedAt = new Float64Array(0);
  waitingSince = new Float64Array(0);
  handleMs = new Float64Array(0);
  channelId = new Int32Array(0);
  teamId = new Int32Array(0);
  assigneeId = new Int32Array(0);
  resolvedBy = new Int32Array(0);
  /** Indexes into PRIORITIES and CONVERSATION_STATUSES (-1: a value outside them). */
  priority = new Int8Array(0);
  status = new Int8Array(0);
  /** The objects the rows were made from (ConversationColumns.of), or made on demand (fact). */
  private made: (ConversationFact | undefined)[] = [];
  /** Made from conversation objects (the raw rows' path), which are then tallied one by one (Tally), the reference the columns' figures are checked against. */
  fromObjects = false;

  /** `types`: each channel's type (a row's channelType); `capacity`: rows expected (more are room made for). */
  constructor(readonly types: ReadonlyMap<number, string>, capacity = 64) {
    this.remake((a) => new (a.constructor as new (n: number) => typeof a)(capacity));
  }

  // Every column made again by `column` from its current array (and name).
  private remake(column: <T extends Column>(a: T, name: ColumnName) => T) {
    this.id = column(this.id, "id");
    this.createdAt = column(this.createdAt, "createdAt");
    this.firstResponseAt = column(this.firstResponseAt, "firstResponseAt");
    this.resolvedAt = column(this.resolvedAt, "resolvedAt");
    this.waitingSince = column(this.waitingSince, "waitingSince");
    this.handleMs = column(this.handleMs, "handleMs");
    this.channelId = column(this.channelId, "channelId");
    this.teamId = column(this.teamId, "teamId");
    this.assigneeId = column(this.assigneeId, "assigneeId");
    this.resolvedBy = column(this.resolvedBy, "resolvedBy");
    this.priority = column(this.priority, "priority");
    this.status = column(this.status, "status");
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

  /** How many rows; throws once the arrays went to the next period (reusing): a stale period must not be read as if it were its successor. */
  get length(): number {
    if (this.handedOn) throw new Error("a period's conversation columns were read after the next period took their arrays");
    return this.rows;
  }

  /**
   * Columns for `capacity` rows made with `previous`'s arrays when they are big enough (previous
   * can no longer be read then): filling fresh memory costs more than anything the dashboard
   * computes from it, so each database's periods take turns in the same arrays.
   */
  static reusing(previous: ConversationColumns | undefined, types: ReadonlyMap<number, string>, capacity: number): ConversationColumns {
    if (!previous || previous.id.length < capacity) return new ConversationColumns(types, capacity);
    const c = new ConversationColumns(types, 0);
    c.remake(<T extends Column>(_: T, name: ColumnName) => previous[name] as T);
    previous.handedOn = true;
    return c;
  }

  private grow() {
    const size = Math.max(64, this.rows * 2);
    this.remake((a) => {
      const b = new (a.constructor as new (n: number) => typeof a)(size);
      b.set(a.subarray(0, this.rows) as never);
      return b;
    });
  }

  /** Adds a row (waitingSince: none) and returns its index. */
  push(id: number, createdAt: number, firstResponseAt: number, resolvedAt: number, resolvedBy: number, teamId: number, channelId: number, assigneeId: number, priority: number, status: number, handleMs: number): number {
    const i = this.rows;
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
    this.rows = i + 1;
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

  /** When each conversation opened in the range was opened (the busy-hours grid): valid until the next call (one array reused). */
  openedIn(range: { from: number; to: number }): Float64Array {
    if (opened.length < this.length) opened = new Float64Array(this.length);
    let n = 0;
    for (let i = 0; i < this.length; i++) if (this.createdAt[i] >= range.from && this.createdAt[i] < range.to) opened[n++] = this.createdAt[i];
    return opened.subarray(0, n);
  }
}
