// An SLA that acts: when a conversation misses its policy's target, the breach is recorded once
// (the timeline and the reports list it) and the policy's actions apply — the priority is raised,
// never lowered, and the conversation goes to the person or queue the policy names. Times are set
// by the story's clock (tests/support/clocked-store.ts).
import { expect, test } from "bun:test";
import { clockedStore, MIN } from "./support/clocked-store.ts";
import { saveSlaPolicy } from "../src/store/sla-policies.ts";
import { findBreaches, recordBreaches } from "../src/pipeline/sla-breach.ts";
import { getConversation } from "../src/store/conversations.ts";

test("a missed first response escalates to urgent and goes to the team lead, once", async () => {
  const s = clockedStore(Date.parse("2026-03-02T02:00:00Z"));
  const ch = s.channel();
  const lan = s.user("Lan");
  const minh = s.user("Minh");
  const team = s.team("CSKH");
  await saveSlaPolicy(s.db, s.writer, { team_id: team, priority: null, first_response_minutes: 30, next_response_minutes: null, resolution_minutes: null, on_breach: { priority: "urgent", assignee_id: minh } }, null, 1);
  const id = (await s.customer(ch, "khach-1", "Đơn hàng của mình đâu rồi?")).conversationId!;
  await s.update(id, { teamId: team, assigneeId: lan });

  s.advance(29 * MIN);
  expect(findBreaches(s.db, s.clock.t)).toEqual([]);
  s.advance(2 * MIN);
  const found = findBreaches(s.db, s.clock.t);
  expect(found.map((b) => [b.row.id, b.target])).toEqual([[id, "first_response"]]);
  expect(await recordBreaches(s.writer, found)).toBe(1);

  const conv = getConversation(s.db, id)!;
  expect(conv.priority).toBe("urgent");
  expect(conv.assignee_id).toBe(minh);
  const audit = s.db.query<{ actor_type: string; data: string }, [number]>("SELECT actor_type, data FROM audit_log WHERE conversation_id = ? AND action = 'sla.breached'").all(id);
  expect(audit).toHaveLength(1);
  expect(audit[0].actor_type).toBe("system");
  expect(JSON.parse(audit[0].data)).toEqual({ target: "first_response", due_at: "2026-03-02T02:30:00.000Z", actions: ["priority", "assigneeId"], to: "first_response" });

  // Looked at again, nothing new: a breach is recorded and acted on once.
  s.advance(5 * MIN);
  expect(findBreaches(s.db, s.clock.t)).toEqual([]);
});

test("a breach never lowers a priority and can send the conversation back to the team's queue", async () => {
  const s = clockedStore(Date.parse("2026-03-02T02:00:00Z"));
  const ch = s.channel();
  const lan = s.user("Lan");
  const team = s.team("Kho");
  await saveSlaPolicy(s.db, s.writer, { team_id: team, priority: null, first_response_minutes: null, next_response_minutes: null, resolution_minutes: 60, on_breach: { priority: "high", assignee_id: null } }, null, 1);
  const id = (await s.customer(ch, "khach-2", "Hàng bị vỡ, shop xử lý gấp giúp em")).conversationId!;
  await s.update(id, { teamId: team, assigneeId: lan, priority: "urgent" });
  s.advance(4 * MIN);
  await s.reply(id, lan);
  s.advance(60 * MIN);
  expect(await recordBreaches(s.writer, findBreaches(s.db, s.clock.t))).toBe(1);
  const conv = getConversation(s.db, id)!;
  expect(conv.priority).toBe("urgent");
  expect(conv.assignee_id).toBeNull();
  expect(conv.team_id).toBe(team);
});

test("without actions a breach is still recorded once; a resolved conversation is never judged", async () => {
  const s = clockedStore(Date.parse("2026-03-02T02:00:00Z"));
  const ch = s.channel();
  const lan = s.user("Lan");
  await saveSlaPolicy(s.db, s.writer, { team_id: null, priority: null, first_response_minutes: 10, next_response_minutes: null, resolution_minutes: null }, null, 1);
  const open = (await s.customer(ch, "khach-3", "Alo shop")).conversationId!;
  const done = (await s.customer(ch, "khach-4", "Cảm ơn shop")).conversationId!;
  await s.update(done, { status: "resolved" }, lan);
  s.advance(11 * MIN);
  const found = findBreaches(s.db, s.clock.t);
  expect(found.map((b) => b.row.id)).toEqual([open]);
  await recordBreaches(s.writer, found);
  expect(getConversation(s.db, open)!.priority).toBe("normal");
});
