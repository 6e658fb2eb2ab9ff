// Handle time is the time agents actually spent: writing replies (from the composer's first typing
// signal to its last, a pause of over a minute ending a span) and talking on calls, summed per
// conversation; a conversation nobody worked on counts for nothing. Times are set by the story's
// clock (tests/support/clocked-store.ts); the call story goes through a real Pano and a PBX sender.
import { afterAll, expect, test } from "bun:test";
import type { Pano } from "../src/pano.ts";
import { buildSummary } from "../src/web/report-summary.ts";
import { WorkTime } from "../src/pipeline/work-time.ts";
import { workByAgent } from "../src/store/work-spans.ts";
import { clockedStore, HOUR, MIN } from "./support/clocked-store.ts";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { pbxSender } from "./sim/pbx.ts";

const SEC = 1000;

test("typing spans: each burst from its first signal to its last, a long pause starts another; summed per conversation", async () => {
  const s = clockedStore(Date.parse("2026-03-02T01:00:00Z"));
  const from = s.clock.t;
  const ch = s.channel();
  const lan = s.user("Lan");
  const minh = s.user("Minh");
  const work = new WorkTime(s.writer, () => {}, () => s.clock.t);

  const a = (await s.customer(ch, "khach-1", "Áo còn size M không?")).conversationId!;
  await s.update(a, { assigneeId: lan });
  // Lan writes for 45 s (a signal every 3 s), reads for a while, then writes 20 s more.
  for (let i = 0; i <= 15; i++) { work.typing(a, lan); s.advance(3 * SEC); }
  s.advance(-3 * SEC);
  await s.reply(a, lan);
  s.advance(5 * MIN);
  for (let i = 0; i <= 20 / 3; i++) { work.typing(a, lan); s.advance(3 * SEC); }
  // Minh helps with one short line: a lone signal counts for the composer's 3 s.
  work.typing(a, minh);
  s.advance(2 * MIN);
  await work.sweep();
  await s.update(a, { status: "resolved" }, lan);

  // B was resolved without anyone writing: no measured work, so it does not pull the median down.
  const b = (await s.customer(ch, "khach-2", "Ok shop")).conversationId!;
  await s.update(b, { status: "resolved" }, lan);

  const spans = s.db.query<{ user_id: number; ms: number }, []>("SELECT user_id, ended_at - started_at AS ms FROM work_spans ORDER BY id").all();
  expect(spans).toEqual([{ user_id: lan, ms: 45 * SEC }, { user_id: lan, ms: 18 * SEC }, { user_id: minh, ms: 3 * SEC }]);
  expect(s.db.query<{ handle_ms: number }, [number]>("SELECT handle_ms FROM conversations WHERE id = ?").get(a)!.handle_ms).toBe(66 * SEC);

  const pano = { store: s.store, users: { list: () => [{ id: lan, name: "Lan" }, { id: minh, name: "Minh" }] }, channels: { get: () => ({ name: "Shop Zalo" }) } } as unknown as Pano;
  const range: Record<string, string> = { from: new Date(from).toISOString(), to: new Date(from + HOUR).toISOString() };
  const r = buildSummary(pano, (n) => range[n]);
  expect(r.handle_seconds).toEqual({ p50: 66, p90: 66 });
  const byAgent = workByAgent(s.db, { from, to: from + HOUR });
  expect(byAgent.map((w) => [w.user_id, w.ms])).toEqual([[lan, 63 * SEC], [minh, 3 * SEC]]);
});

let pano: PanoProcess;
afterAll(() => pano?.stop());

test("a call's talk time is handle time, counted once however often the PBX says it ended", async () => {
  pano = await startPano();
  const SHOP = "842873000077";
  const SECRET = "khoa-ky-tong-dai-handle-time-01";
  const TOKEN = "tong-dai-handle-time-token-01";
  await pano.json("/api/v1/channels", { method: "POST", json: { type: "phone", name: "Tổng đài", config: { provider: "generic", numbers: [SHOP], signing_secret: SECRET, webhook_token: TOKEN } } });
  const pbx = pbxSender(`${pano.url}/webhooks/phone/${TOKEN}/events`, SECRET);
  const t = (s: number) => new Date(Date.now() - 10 * MIN + s * SEC).toISOString();
  const ended = { call_id: "handle-1", direction: "inbound" as const, status: "ended" as const, from: "0912000555", to: SHOP, agent: "admin@pano.test", started_at: t(0), answered_at: t(5), ended_at: t(95), duration_s: 90 };
  await pbx.post(ended);
  await pbx.post(ended);
  await pbx.post({ ...ended, status: "answered" });
  const contact = (await pano.json("/api/v1/contacts?q=0912000555")).data[0];
  const conv = (await pano.json(`/api/v1/contacts/${contact.id}`)).conversation_ids[0];
  await pano.json(`/api/v1/conversations/${conv}`, { method: "PATCH", json: { status: "resolved" } });
  const summary = await pano.json(`/api/v1/reports/summary?from=${encodeURIComponent(t(-60))}&to=${encodeURIComponent(new Date(Date.now() + MIN).toISOString())}`);
  expect(summary.handle_seconds).toEqual({ p50: 90, p90: 90 });
});
