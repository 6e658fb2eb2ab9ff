// A manager opens a dashboard figure and sees the conversations behind it: the same rows and rules
// the figure was counted with, so the list always adds up to the number (times set by the story's clock).
import { afterAll, expect, test } from "bun:test";
import type { Pano } from "../src/pano.ts";
import { summaryWithRows } from "../src/web/report-summary.ts";
import { drillDown } from "../src/domain/report-drill.ts";
import { clockedStore, HOUR, MIN } from "./support/clocked-store.ts";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { signIn } from "./settings-session.ts";
import { addAgent } from "./support/agents.ts";

test("each figure's list holds exactly the conversations it counted, the slow and late ones first", async () => {
  const s = clockedStore(Date.parse("2026-03-02T01:00:00Z"));
  const from = s.clock.t;
  const ch = s.channel();
  const lan = s.user("Lan");
  const a = (await s.customer(ch, "khach-a", "Áo còn size M không?")).conversationId!;
  s.advance(4 * MIN); await s.reply(a, lan);
  s.advance(20 * MIN); await s.update(a, { status: "resolved" }, lan);
  s.at("2026-03-02T02:00:00Z");
  const b = (await s.customer(ch, "khach-b", "Đơn hàng của mình đâu rồi?")).conversationId!;
  s.at("2026-03-02T03:00:00Z");
  const c = (await s.customer(ch, "khach-c", "Shop ơi")).conversationId!;
  s.advance(2 * MIN); await s.reply(c, lan);

  const pano = { store: s.store, users: { list: () => [{ id: lan, name: "Lan" }] }, channels: { get: () => ({ name: "Shop Zalo" }) } } as unknown as Pano;
  const q: Record<string, string> = { from: new Date(from).toISOString(), to: new Date(from + 4 * HOUR).toISOString(), sla_minutes: "60" };
  const { summary, range, rows } = summaryWithRows(pano, (n) => q[n]);
  const list = (m: Parameters<typeof drillDown>[1]) => drillDown(rows.facts, m, range, 60 * MIN, range.to, rows.judge).map((r) => r.fact.id);

  expect(list("opened")).toEqual([c, b, a]);
  expect(list("opened")).toHaveLength(summary.conversations_opened);
  expect(list("resolved")).toEqual([a]);
  expect(list("first_response")).toEqual([a, c]);
  expect(list("unanswered")).toEqual([b]);
  // B waited over the hour with no answer: the one breach the summary counted.
  expect(list("sla_breaches")).toEqual([b]);
  expect(list("sla_breaches")).toHaveLength(summary.sla_breaches);
  const late = drillDown(rows.facts, "sla_breaches", range, 60 * MIN, range.to, rows.judge)[0];
  expect(late.missed).toEqual(["first_response"]);
  expect(late.firstResponseS).toBeNull();
});

let pano: PanoProcess;
afterAll(() => pano?.stop());

test("the drill-down page lists each conversation with its customer and opens it in the inbox; agents cannot see it", async () => {
  pano = await startPano();
  const api = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Đơn hàng" } })).id;
  const r = await (await pano.api(`/api/v1/channels/${api}/inbound`, { method: "POST", json: { external_contact_id: "kh-1", contact_name: "Phạm Thị Hồng", external_message_id: "m-1", text: "Còn hàng không shop?" } })).json();
  const admin = await signIn(pano, ADMIN.email, ADMIN.password);
  const page = await admin.get("/reports/drill?metric=unanswered&period=7d");
  expect(page.status).toBe(200);
  expect(page.html).toContain("Hội thoại chưa được phản hồi");
  expect(page.html).toContain(`href="/inbox?c=${r.conversation_id}"`);
  expect(page.html).toContain("Phạm Thị Hồng");
  expect(page.html).toContain("1 hội thoại");
  expect((await admin.get("/reports/drill?metric=nonsense")).status).toBe(400);
  // The dashboard's figures open these lists, with the same period and team.
  const dashboard = await admin.get("/reports?period=7d");
  expect(dashboard.html).toContain('href="/reports/drill?metric=opened&amp;period=7d&amp;sla_minutes=60"');
  expect(dashboard.html).toContain('href="/reports/drill?metric=sla_breaches&amp;period=7d&amp;sla_minutes=60"');
  const agent = await addAgent(pano, "an@shop.vn", []);
  const asAgent = await signIn(pano, agent.email, "mat-khau-dai-du-8");
  expect((await asAgent.get("/reports/drill?metric=opened")).status).toBe(403);
});
