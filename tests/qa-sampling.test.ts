// Stories of the review queue's sampling rules over the real store, with a clock the story sets:
// N conversations per agent per week, every complaint, every CSAT 1–2, resolved ones only, never a
// conversation twice, each credited to the agent who handled it (wrote most of its replies).
import { expect, test } from "bun:test";
import { clockedStore, HOUR, MIN } from "./support/clocked-store.ts";
import { sampleQueue, openQueue } from "../src/store/qa-queue.ts";
import { recordCsat } from "../src/store/reports.ts";
import { weekStart, handledBy, weightedScore, type Criterion } from "../src/domain/qa.ts";

const ZONE = "Asia/Ho_Chi_Minh";

function shop() {
  const s = clockedStore(Date.parse("2026-03-02T02:00:00Z")); // Monday 09:00 in Hà Nội
  const ch = s.channel();
  const lan = s.user("Lan");
  const minh = s.user("Minh");
  let n = 0;
  /** A customer asks, `by` answers (several replies when asked), the conversation is resolved. */
  const handled = async (by: number[], opts: { assignee?: number; resolve?: boolean } = {}) => {
    const id = (await s.customer(ch, `khach-${++n}`, "Đơn hàng của mình sao rồi shop?")).conversationId!;
    if (opts.assignee) await s.update(id, { assigneeId: opts.assignee });
    for (const who of by) {
      s.advance(MIN);
      await s.reply(id, who);
    }
    if (opts.resolve !== false) await s.update(id, { status: "resolved" }, by[by.length - 1] ?? 1);
    s.advance(MIN);
    return id;
  };
  const sample = (perAgentWeek: number, opts: { complaints?: boolean; lowCsat?: boolean } = {}) =>
    s.writer.submit((tx) => sampleQueue(tx, { per_agent_week: perAgentWeek, complaints: opts.complaints ?? true, low_csat: opts.lowCsat ?? true }, ZONE, () => 0.5));
  const queue = () => openQueue(s.db, {}, 100);
  return { s, ch, lan, minh, handled, sample, queue };
}

test("N per agent per week: each agent's week gets exactly N of their resolved conversations, no more on a second look", async () => {
  const { s, lan, minh, handled, sample, queue } = shop();
  const lans = [await handled([lan]), await handled([lan]), await handled([lan]), await handled([lan])];
  const minhs = [await handled([minh]), await handled([minh])];
  const open = await handled([lan], { resolve: false });

  expect(await sample(2)).toBe(4);
  const q = queue();
  expect(q.filter((i) => i.agent_id === lan).length).toBe(2);
  expect(q.filter((i) => i.agent_id === minh).map((i) => i.conversation_id).sort()).toEqual(minhs.sort());
  expect(q.every((i) => i.reason === "sample")).toBe(true);
  expect(q.every((i) => lans.includes(i.conversation_id) || minhs.includes(i.conversation_id))).toBe(true);
  expect(q.some((i) => i.conversation_id === open)).toBe(false);

  // The same week again: the quota is filled, nothing is added, nothing is queued twice.
  await handled([lan]);
  expect(await sample(2)).toBe(0);
  // Raising N fills the rest of the week from conversations not yet queued.
  expect(await sample(3)).toBe(1);
  expect(new Set(queue().map((i) => i.conversation_id)).size).toBe(queue().length);

  // The next week has its own quota.
  s.at("2026-03-09T03:00:00Z");
  await handled([lan]);
  await handled([lan]);
  await handled([lan]);
  expect(await sample(2)).toBe(2);
  const weeks = new Set(queue().filter((i) => i.agent_id === lan).map((i) => i.week_start));
  expect([...weeks].sort()).toEqual([Date.parse("2026-03-01T17:00:00Z"), Date.parse("2026-03-08T17:00:00Z")]);
});

test("every complaint and every CSAT 1–2 is queued, on top of the weekly sample; a rating of 3 is not", async () => {
  const { s, lan, minh, handled, sample, queue } = shop();
  const complaints = [await handled([lan]), await handled([lan]), await handled([minh])];
  for (const c of complaints) await s.update(c, { intent: "complaint" });
  const rated = [await handled([lan]), await handled([lan]), await handled([minh])];
  await s.writer.submit((tx) => recordCsat(tx, rated[0], 1, "Chậm quá"));
  await s.writer.submit((tx) => recordCsat(tx, rated[1], 2, null));
  await s.writer.submit((tx) => recordCsat(tx, rated[2], 3, null));
  // The customer changed their mind: the latest rating counts.
  const changed = await handled([minh]);
  await s.writer.submit((tx) => recordCsat(tx, changed, 1, null));
  await s.writer.submit((tx) => recordCsat(tx, changed, 5, "Ổn rồi"));
  // A complaint still open is not reviewed yet.
  const openComplaint = await handled([lan], { resolve: false });
  await s.update(openComplaint, { intent: "complaint" });

  await sample(0);
  const q = queue();
  expect(q.filter((i) => i.reason === "complaint").map((i) => i.conversation_id).sort()).toEqual(complaints.sort());
  expect(q.filter((i) => i.reason === "low_csat").map((i) => i.conversation_id).sort()).toEqual([rated[0], rated[1]].sort());
  expect(q.length).toBe(5);
  // Bad ratings come first, then complaints.
  expect(q.slice(0, 2).every((i) => i.reason === "low_csat")).toBe(true);

  // A rating that arrives later is picked up on the next look; turned-off rules add nothing.
  const late = await handled([minh]);
  const lateComplaint = await handled([minh]);
  await s.update(lateComplaint, { intent: "complaint" });
  await s.writer.submit((tx) => recordCsat(tx, late, 2, null));
  expect(await sample(0, { complaints: false, lowCsat: false })).toBe(0);
  expect(await sample(0)).toBe(2);
});

test("a conversation is credited to the agent who wrote most of its replies, not to whoever is assigned", async () => {
  const { lan, minh, handled, sample, queue } = shop();
  const c = await handled([minh, lan, lan], { assignee: minh });
  const tie = await handled([lan, minh], { assignee: lan });
  await sample(5);
  const q = queue();
  expect(q.find((i) => i.conversation_id === c)?.agent_id).toBe(lan);
  // On a tie, the latest writer.
  expect(q.find((i) => i.conversation_id === tie)?.agent_id).toBe(minh);
  // Without replies: whoever resolved it, else the assignee.
  expect(handledBy([], 7, 8)).toBe(7);
  expect(handledBy([], null, 8)).toBe(8);
  expect(handledBy([], null, null)).toBe(null);
});

test("a conversation already reviewed or resolved more than a week before last is not queued", async () => {
  const { s, lan, minh, handled, sample, queue } = shop();
  const old = await handled([lan]);
  s.advance(15 * 24 * HOUR);
  const reviewed = await handled([lan]);
  const card = Number(s.db.query("INSERT INTO qa_scorecards (name, criteria, created_at, updated_at) VALUES ('A', '[]', 0, 0)").run().lastInsertRowid);
  s.db.query("INSERT INTO qa_reviews (conversation_id, agent_id, reviewer_id, scorecard_id, scorecard_version, criteria, scores, created_at, updated_at) VALUES (?, ?, ?, ?, 1, '[]', '{}', 0, 0)").run(reviewed, lan, minh, card);
  const fresh = await handled([lan]);
  await sample(5);
  expect(queue().map((i) => i.conversation_id)).toEqual([fresh]);
  expect(queue().some((i) => i.conversation_id === old)).toBe(false);
});

test("weeks start on Monday 00:00 local time", () => {
  const ict = 420;
  expect(new Date(weekStart(Date.parse("2026-03-08T16:59:00Z"), ict)).toISOString()).toBe("2026-03-01T17:00:00.000Z"); // Sunday 23:59 ICT
  expect(new Date(weekStart(Date.parse("2026-03-08T17:00:00Z"), ict)).toISOString()).toBe("2026-03-08T17:00:00.000Z"); // Monday 00:00 ICT
  expect(new Date(weekStart(Date.parse("2026-03-04T12:00:00Z"), 0)).toISOString()).toBe("2026-03-02T00:00:00.000Z");
});

test("the weighted score: weights, scales, not-applicable criteria left out, a failed critical criterion fails the review", () => {
  const c = (id: string, weight: number, scale: number, critical = false): Criterion => ({ id, name: id, guidance: "", weight, scale, critical });
  const card = [c("greeting", 1, 5), c("correct", 3, 5), c("tone", 2, 4), c("policy", 2, 1, true)];
  const s = (score: number | null) => ({ score, note: "" });
  // (1*4/5 + 3*5/5 + 2*2/4 + 2*1/1) / 8 = (0.8 + 3 + 1 + 2) / 8 = 85 %
  expect(weightedScore(card, { greeting: s(4), correct: s(5), tone: s(2), policy: s(1) })).toBe(85);
  // tone not applicable: (0.8 + 3 + 2) / 6 = 96.7 %
  expect(weightedScore(card, { greeting: s(4), correct: s(5), tone: s(null), policy: s(1) })).toBe(96.7);
  expect(weightedScore(card, { greeting: s(5), correct: s(5), tone: s(4), policy: s(0) })).toBe(0);
  expect(weightedScore(card, { greeting: s(null), correct: s(null), tone: s(null), policy: s(null) })).toBe(null);
});
