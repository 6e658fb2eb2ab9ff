// The dashboard's roll-ups (docs/reports.md "Roll-ups"): every conversation's report records,
// packed per UTC hour, kept in the same transaction as the writes that change them.
//
// What a conversation contributes is a pure function of its raw rows, worked out by the same code
// as the raw report (conversationFactsWhere, messageFactsWhere, responseIntervals): one
// conversation record at the hour it was opened (and the hour it was resolved), one record per
// answered customer wait at the hour of the reply that ended it, one per reply at its hour.
// Triggers (migrations/0020) and the message writers (markForReports) mark each conversation whose rows changed in report_dirty; once per
// batch the writer's hook works the marked ones out again, compares with what they contributed
// before (report_conversations) and rewrites only the hour pages that changed, one write per page
// per batch. The records keep exact times, so every figure, percentile and SLA verdict is computed
// from them exactly as from the raw rows, for any range and time zone.
import type { Database } from "bun:sqlite";
import type { Tx } from "./tx.ts";
import type { Logger } from "../log.ts";
import { conversationFactsWhere, messageFactsWhere } from "./reports.ts";
import { prepared } from "./prepared.ts";
import { responseIntervals, repliesOf, type ConversationFact, type MessageFact } from "../domain/reports.ts";
import { WAIT, REPLY, CREDIT, WIDTH, hourOf, partOf, pageId, conversationRecord, pageValues, pageBytes, creditOf, applyCredit, type CreditDelta } from "./report-rollups-pages.ts";

/** [kind, hour, ...fields] for each record `f` and its public messages contribute (none when it is gone). */
export function recordsOf(f: ConversationFact | undefined, msgs: MessageFact[]): number[] {
  if (!f || f.id === undefined) return [];
  const out: number[] = [];
  const team = f.teamId ?? NaN;
  for (const i of responseIntervals(msgs)) {
    out.push(WAIT, hourOf(i.answeredAt), f.id, i.askedAt, i.answeredAt, i.authorId, i.first ? 1 : 0, team, f.channelId);
  }
  for (const r of repliesOf(msgs)) out.push(REPLY, hourOf(r.at), f.id, r.at, r.authorId, team, f.channelId);
  const conv = conversationRecord(f);
  out.push(conv.kind, hourOf(f.createdAt), ...conv.fields);
  if (f.resolvedAt !== null && hourOf(f.resolvedAt) !== hourOf(f.createdAt)) out.push(conv.kind, hourOf(f.resolvedAt), ...conv.fields);
  return out;
}

const stateBytes = (a: number[]) => new Uint8Array(new Float64Array(a).buffer);
const stateValues = (b: Uint8Array) => new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Visits [kind, hour, offset] of each record in a packed [kind, hour, ...fields] list. */
function eachRecord(a: ArrayLike<number>, visit: (kind: number, hour: number, at: number) => void) {
  for (let o = 0; o < a.length; o += 2 + WIDTH[a[o]]) visit(a[o], a[o + 1], o + 2);
}

/**
 * Works out again the conversations `where` selects (SQL over `c`, the same selection over the
 * messages' `m.conversation_id` in `msgWhere`) and rewrites the pages whose records changed.
 * `ids` are every conversation to look at (also the ones that are gone); `force` rewrites their
 * pages even when their records look unchanged (rebuild, after pages were emptied).
 */
function refresh(db: Database, ids: number[], where: string, msgWhere: string, args: number[], force: boolean): number {
  if (!ids.length) return 0;
  const facts = new Map(conversationFactsWhere(db, where, args).map((f) => [f.id!, f]));
  const msgs = new Map<number, MessageFact[]>();
  for (const m of messageFactsWhere(db, msgWhere, args)) {
    const list = msgs.get(m.conversationId);
    if (list) list.push(m);
    else msgs.set(m.conversationId, [m]);
  }
  const getState = prepared(db, "SELECT data FROM report_conversations WHERE conversation_id = ?");
  const pages = new Map<string, { kind: number; hour: number; part: number; add: number[] }>();
  const page = (kind: number, hour: number, id: number) => {
    const part = partOf(kind, id);
    const key = `${kind}:${hour}:${part}`;
    let p = pages.get(key);
    if (!p) pages.set(key, (p = { kind, hour, part, add: [] }));
    return p;
  };
  // Each hour's CREDIT page: what the changed conversations' waits and replies add and take back.
  const credit = new Map<number, CreditDelta[]>();
  const creditDelta = (sign: 1 | -1, kind: number, hour: number, a: ArrayLike<number>, at: number) => {
    if (kind !== WAIT && kind !== REPLY) return;
    let list = credit.get(hour);
    if (!list) credit.set(hour, (list = []));
    list.push(creditOf(sign, kind, a, at));
  };
  const changed = new Set<number>();
  const states: [number, Uint8Array | null][] = [];
  for (const id of ids) {
    const recs = recordsOf(facts.get(id), msgs.get(id) ?? []);
    const next = stateBytes(recs);
    const old = (getState.get(id) as { data: Uint8Array } | null)?.data;
    if (!force && (old ? sameBytes(old, next) : !recs.length)) continue;
    changed.add(id);
    if (old) {
      const o = stateValues(old);
      eachRecord(o, (kind, hour, at) => (page(kind, hour, id), creditDelta(-1, kind, hour, o, at)));
    }
    eachRecord(recs, (kind, hour, at) => {
      page(kind, hour, id).add.push(...recs.slice(at, at + WIDTH[kind]));
      creditDelta(1, kind, hour, recs, at);
    });
    states.push([id, recs.length ? next : null]);
  }
  if (!changed.size) return 0;
  // The pages this batch writes say so (a reader's kept copy of one is stale once its v differs).
  const version = (prepared(db, "INSERT INTO report_page_version (id, v) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET v = report_page_version.v + 1 RETURNING v").get() as { v: number }).v;
  const readPage = prepared(db, "SELECT data FROM report_pages WHERE id = ?");
  const writePage = prepared(db, "INSERT OR REPLACE INTO report_pages (id, kind, hour, part, n, data, v) VALUES (?, ?, ?, ?, ?, ?, ?)");
  const dropPage = prepared(db, "DELETE FROM report_pages WHERE id = ?");
  const read = (kind: number, hour: number, part: number) => readPage.get(pageId(kind, hour, part));
  const write = { run: (kind: number, hour: number, part: number, n: number, data: Uint8Array) => writePage.run(pageId(kind, hour, part), kind, hour, part, n, data, version) };
  const drop = { run: (kind: number, hour: number, part: number) => dropPage.run(pageId(kind, hour, part)) };
  for (const p of pages.values()) {
    const w = WIDTH[p.kind];
    const row = read(p.kind, p.hour, p.part) as { data: Uint8Array } | null;
    const kept: number[] = [];
    if (row) {
      const a = pageValues(p.kind, row.data);
      for (let o = 0; o < a.length; o += w) if (!changed.has(a[o])) for (let k = 0; k < w; k++) kept.push(a[o + k]);
    }
    for (const v of p.add) kept.push(v);
    if (kept.length) write.run(p.kind, p.hour, p.part, kept.length / w, pageBytes(p.kind, kept));
    else drop.run(p.kind, p.hour, p.part);
  }
  for (const [hour, deltas] of credit) {
    const row = read(CREDIT, hour, 0) as { data: Uint8Array } | null;
    const next = applyCredit(row ? (pageValues(CREDIT, row.data) as Int32Array) : null, deltas);
    if (next.length) write.run(CREDIT, hour, 0, 0, pageBytes(CREDIT, next));
    else drop.run(CREDIT, hour, 0);
  }
  const put = prepared(db, "INSERT OR REPLACE INTO report_conversations (conversation_id, data) VALUES (?, ?)");
  const del = prepared(db, "DELETE FROM report_conversations WHERE conversation_id = ?");
  for (const [id, data] of states) data ? put.run(id, data) : del.run(id);
  return changed.size;
}

/**
 * Marks a conversation for the next batch's refresh. The two writers of messages call it (a trigger
 * on messages would give every message insert a statement journal: ~20 µs of ingest each); the
 * other changes are marked by the triggers of migrations/0020.
 */
export function markForReports(tx: Tx, conversationId: number): void {
  prepared(tx.db, "INSERT OR IGNORE INTO report_dirty (conversation_id) VALUES (?)").run(conversationId);
}

/** At most this many marked conversations per batch: a bulk change outside Pano is worked off over the next batches instead of stalling one. */
const MARKED_PER_BATCH = 2000;

/** The writer's hook: the conversations marked since the last batch, worked out again in this one. */
export function refreshMarked(tx: Tx): void {
  const ids = prepared(tx.db, `SELECT conversation_id FROM report_dirty ORDER BY conversation_id LIMIT ${MARKED_PER_BATCH}`).values().map((r) => r[0] as number);
  if (!ids.length) return;
  const last = ids[ids.length - 1];
  const marked = "IN (SELECT conversation_id FROM report_dirty WHERE conversation_id <= ?)";
  refresh(tx.db, ids, `c.id ${marked}`, `m.conversation_id ${marked}`, [last], false);
  prepared(tx.db, "DELETE FROM report_dirty WHERE conversation_id <= ?").run(last);
}

export interface RebuildResult { conversations: number; changed: number; pages: number }

/**
 * Works every conversation (or those with something in [from, to)) out again from the raw rows,
 * CHUNK conversations per transaction (`inTx` runs one). Without a period the roll-ups are emptied
 * first, so nothing stale survives; with one, the conversations in it are rewritten whatever they held.
 */
export async function rebuildRollups(db: Database, inTx: (work: (db: Database) => void) => Promise<void> | void, opts: { from?: number; to?: number; chunk?: number } = {}): Promise<RebuildResult> {
  const chunk = opts.chunk ?? 500;
  const whole = opts.from === undefined && opts.to === undefined;
  if (whole) await inTx((d) => d.run("DELETE FROM report_pages; DELETE FROM report_conversations; DELETE FROM report_dirty"));
  const from = opts.from ?? -Infinity;
  const to = opts.to ?? Infinity;
  let after = 0;
  let conversations = 0;
  let changed = 0;
  for (;;) {
    const ids = db
      .query<{ id: number }, [number, number, number, number, number, number]>(
        `SELECT id FROM conversations WHERE id > ? AND created_at < ? AND (created_at >= ? OR resolved_at >= ? OR last_message_at >= ?) ORDER BY id LIMIT ?`,
      )
      .all(after, Math.min(to, Number.MAX_SAFE_INTEGER), Math.max(from, -Number.MAX_SAFE_INTEGER), Math.max(from, -Number.MAX_SAFE_INTEGER), Math.max(from, -Number.MAX_SAFE_INTEGER), chunk)
      .map((r) => r.id);
    if (!ids.length) break;
    after = ids[ids.length - 1];
    const span = [ids[0], after];
    await inTx((d) => void (changed += refresh(d, ids, "c.id BETWEEN ? AND ?", "m.conversation_id BETWEEN ? AND ?", span, true)));
    conversations += ids.length;
  }
  if (whole) await inTx(markBuilt);
  const pages = db.query<{ n: number }, []>("SELECT count(*) AS n FROM report_pages WHERE id > 0").get()?.n ?? 0;
  return { conversations, changed, pages };
}

// A page of kind 0 says the roll-ups were built whole once (or the database started empty): a
// start interrupted mid-build, with some conversations kept since, still builds them again.
const BUILT = "INSERT OR REPLACE INTO report_pages (id, kind, hour, part, n, data) VALUES (0, 0, 0, 0, 0, x'')";
const markBuilt = (db: Database) => void db.run(BUILT);

/** An upgraded database: conversations but roll-ups never built whole (the start builds them once). */
export function rollupsMissing(db: Database): boolean {
  return !db.query("SELECT 1 FROM report_pages WHERE id = 0").get() && !!db.query("SELECT 1 FROM conversations LIMIT 1").get();
}

/**
 * Builds the roll-ups once for a database that has conversations but none yet (an upgrade), in
 * the background, one chunk per batch (the writer keeps them from then on: Writer's constructor).
 */
export function buildMissingRollups(writer: { submit<T>(run: (tx: Tx) => T): Promise<T> }, db: Database, log: Logger): void {
  if (!rollupsMissing(db)) {
    // A new database: nothing to build, ever (the writer keeps them from its first conversation).
    if (!db.query("SELECT 1 FROM report_pages WHERE id = 0").get()) void writer.submit((tx) => markBuilt(tx.db)).catch(() => {});
    return;
  }
  const started = Date.now();
  rebuildRollups(db, (work) => writer.submit((tx) => work(tx.db)))
    .then((r) => log("info", "report roll-ups built", { ...r, ms: Date.now() - started }))
    .catch((err) => log("error", "report roll-ups not built; run pano reports rebuild", { error: String(err) }));
}
