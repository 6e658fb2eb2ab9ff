// Stories of who gets credit: a reply counts for the agent who wrote it, not whoever is assigned,
// and every customer message that waited is measured until the next agent reply. Times are set by
// the story's clock (tests/support/clocked-store.ts), so every figure is checked exactly.
import { expect, test } from "bun:test";
import type { Pano } from "../src/pano.ts";
import { buildSummary } from "../src/web/report-summary.ts";
import { responseIntervals } from "../src/domain/reports.ts";
import { clockedStore, HOUR, MIN } from "./support/clocked-store.ts";

test("every waiting customer message is answered by the next agent reply; automatic and customer-only runs are not answers", () => {
  const m = (conversationId: number, direction: "in" | "out", at: number, authorId: number | null = null, automatic = false) => ({ conversationId, direction, at: at * MIN, authorId, automatic });
  const r = responseIntervals([m(1, "in", 0), m(1, "out", 1, null, true), m(1, "in", 2), m(1, "out", 5, 7), m(1, "out", 6, 8), m(1, "in", 10), m(1, "out", 13, 8), m(2, "in", 0)]);
  expect(r.map((i) => [i.askedAt / MIN, i.answeredAt / MIN, i.authorId, i.first])).toEqual([[0, 5, 7, true], [2, 5, 7, false], [10, 13, 8, false]]);
});

test("two agents: the writer of a reply is credited, with exact response and first-response percentiles", async () => {
  const s = clockedStore(Date.parse("2026-03-02T01:00:00Z"));
  const from = s.clock.t;
  const ch = s.channel();
  const lan = s.user("Lan");
  const minh = s.user("Minh");

  // A: assigned to Lan, but Minh answers first (4 min); Lan answers the next two messages (10 and 8 min).
  const a = (await s.customer(ch, "khach-1", "Áo còn size M không?")).conversationId!;
  await s.update(a, { assigneeId: lan });
  s.advance(4 * MIN); await s.reply(a, minh);
  s.advance(6 * MIN); await s.customer(ch, "khach-1", "Giá bao nhiêu ạ?");
  s.advance(2 * MIN); await s.customer(ch, "khach-1", "Có giao Hà Nội không?");
  s.advance(8 * MIN); await s.reply(a, lan);
  s.advance(10 * MIN); await s.update(a, { status: "resolved" }, lan);

  // B: Minh's own: first response 2 min, then a 6-minute wait; Minh resolves.
  s.at("2026-03-02T02:00:00Z");
  const b = (await s.customer(ch, "khach-2", "Đơn hàng của mình đâu rồi?")).conversationId!;
  await s.update(b, { assigneeId: minh });
  s.advance(2 * MIN); await s.reply(b, minh);
  s.advance(3 * MIN); await s.customer(ch, "khach-2", "Mã đơn 12345");
  s.advance(6 * MIN); await s.reply(b, minh);
  await s.update(b, { status: "resolved" }, minh);

  // C: Lan's, first response 6 min, still open.
  s.at("2026-03-02T03:00:00Z");
  const c = (await s.customer(ch, "khach-3", "Shop ơi")).conversationId!;
  await s.update(c, { assigneeId: lan });
  s.advance(6 * MIN); await s.reply(c, lan);

  const pano = { store: s.store, users: { list: () => [{ id: lan, name: "Lan" }, { id: minh, name: "Minh" }] }, channels: { get: () => ({ name: "Shop Zalo" }) } } as unknown as Pano;
  const range: Record<string, string> = { from: new Date(from).toISOString(), to: new Date(from + 6 * HOUR).toISOString() };
  const r = buildSummary(pano, (n) => range[n]);
  const agent = (id: number) => r.by_agent.find((x) => x.agent_id === String(id))!;
  expect(agent(lan)).toMatchObject({
    name: "Lan", replies: 2, first_responses: 1, conversations_resolved: 1,
    response_seconds: { p50: 480, p90: 600 }, first_response_seconds: { p50: 360, p90: 360 }, qa_score: null,
  });
  expect(agent(minh)).toMatchObject({
    name: "Minh", replies: 3, first_responses: 2, conversations_resolved: 1,
    response_seconds: { p50: 240, p90: 360 }, first_response_seconds: { p50: 120, p90: 240 },
  });
  // The team's figures per conversation: first responses 4, 2 and 6 minutes.
  expect(r.conversations_opened).toBe(3);
  expect(r.conversations_resolved).toBe(2);
  expect(r.first_response_seconds).toEqual({ p50: 240, p90: 360 });
  expect(r.resolution_seconds).toEqual({ p50: 11 * 60, p90: 30 * 60 });

  // agent_id narrows to one agent's row; credit still comes from every conversation.
  const only = buildSummary(pano, (n) => ({ ...range, agent_id: String(minh) })[n]);
  expect(only.by_agent.map((x) => x.agent_id)).toEqual([String(minh)]);
  expect(only.by_agent[0].replies).toBe(3);
});
