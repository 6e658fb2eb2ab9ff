// Stories of a manager reading the team's performance.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { summarise, percentile, type ConversationFact } from "../src/domain/reports.ts";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";

const MIN = 60_000;
const fact = (createdMin: number, firstMin: number | null, resolvedMin: number | null, assigneeId: number | null = 1, handleMin = 0): ConversationFact => ({
  channelId: 1, channelType: "zalo", assigneeId, createdAt: createdMin * MIN, firstResponseAt: firstMin === null ? null : firstMin * MIN, resolvedAt: resolvedMin === null ? null : resolvedMin * MIN,
  handleMs: handleMin * MIN,
});

test("first response and resolution medians come from the conversations in the range", () => {
  const facts = [fact(0, 2, 30, 1, 5), fact(10, 14, 70, 1, 12), fact(20, 21, null, 1, 3), fact(30, null, null)];
  const s = summarise(facts, { from: 0, to: 1000 * MIN }, 60 * MIN, 200 * MIN);
  expect(s.conversations_opened).toBe(4);
  expect(s.conversations_resolved).toBe(2);
  expect(s.first_response_seconds.p50).toBe(2 * 60); // 1, 2, 4 minutes -> median 2
  expect(s.first_response_seconds.p90).toBe(4 * 60);
  expect(s.resolution_seconds).toEqual({ p50: 30 * 60, p90: 60 * 60 });
  // Handle time is the work measured on the resolved ones (5 and 12 minutes), not the wall clock.
  expect(s.handle_seconds).toEqual({ p50: 5 * 60, p90: 12 * 60 });
  // The unanswered one has waited 170 minutes at "now": past the 60-minute SLA.
  expect(s.sla_breaches).toBe(1);
});

test("an empty range reports nulls, not invented zeros", () => {
  const s = summarise([], { from: 0, to: MIN }, MIN, MIN);
  expect(s.first_response_seconds.p50).toBeNull();
  expect(percentile([], 50)).toBeNull();
});

let pano: PanoProcess;
beforeAll(async () => {
  pano = await startPano();
});
afterAll(async () => {
  await pano.stop();
});

test("the summary counts what the team did today, by channel and by agent, also as CSV", async () => {
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Cửa hàng Online" } });
  for (const who of ["a", "b", "c"]) {
    const ids = await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: who, external_message_id: `${who}-1`, text: "Cho mình hỏi" } });
    if (who !== "c") {
      await pano.json(`/api/v1/conversations/${ids.conversation_id}/messages`, { method: "POST", json: { text: "Dạ shop nghe ạ" } });
      await pano.json(`/api/v1/conversations/${ids.conversation_id}`, { method: "PATCH", json: { status: "resolved", assignee_id: "1" } });
    }
  }
  const rated = (await pano.json("/api/v1/conversations?status=resolved")).data[0].id;
  await pano.json(`/api/v1/conversations/${rated}/csat`, { method: "POST", json: { rating: 4, comment: "Nhân viên nhiệt tình" } });
  await pano.json(`/api/v1/conversations/${rated}/csat`, { method: "POST", json: { rating: 5 } });
  expect((await pano.api(`/api/v1/conversations/${rated}/csat`, { method: "POST", json: { rating: 9 } })).status).toBe(422);
  const r = await eventually(async () => {
    const r = await pano.json("/api/v1/reports/summary");
    return r.conversations_resolved === 2 && r;
  });
  expect(r.conversations_opened).toBe(3);
  expect(r.first_response_seconds.p50).toBeGreaterThanOrEqual(0);
  expect(r.csat).toEqual({ responses: 2, average: 4.5 });
  expect(r.by_channel).toHaveLength(1);
  expect(r.by_channel[0]).toMatchObject({ channel_id: ch.id, name: "Cửa hàng Online", conversations_opened: 3 });
  expect(r.by_agent.find((a: any) => a.agent_id === "1")?.conversations_resolved).toBe(2);
  const raw = new Uint8Array(await (await pano.api("/api/v1/reports/summary.csv")).arrayBuffer());
  // A UTF-8 byte-order mark first, so Excel keeps "Cửa hàng" intact.
  expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = new TextDecoder().decode(raw);
  const lines = csv.trim().split("\n");
  expect(lines[0]).toStartWith("scope,id,name,conversations_opened");
  expect(lines[1]).toStartWith("all,,,3,2,");
  expect(lines.some((l) => l.startsWith(`channel,${ch.id},Cửa hàng Online,3,`))).toBe(true);
});

test("a bad date is 422 naming the field", async () => {
  const r = await pano.api("/api/v1/reports/summary?from=yesterday");
  expect(r.status).toBe(422);
  expect((await r.json()).error.message).toContain("from");
});
