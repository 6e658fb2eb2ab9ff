// Stories of a manager reading figures over time: every summary metric per hour or day, in the
// Vietnamese day (Asia/Ho_Chi_Minh, UTC+7) unless another zone is asked for. Known timings come
// from the story's clock (tests/support/clocked-store.ts); the API's shape from a real Pano.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Pano } from "../src/pano.ts";
import { buildSeries } from "../src/web/report-series.ts";
import { buildSummary } from "../src/web/report-summary.ts";
import { bucketStart, weekdayHourCounts, SERIES_METRICS } from "../src/domain/report-series.ts";
import { clockedStore, MIN } from "./support/clocked-store.ts";
import { startPano, type PanoProcess } from "./support/pano.ts";

const VN = "Asia/Ho_Chi_Minh";

test("buckets start at the local hour and the local midnight", () => {
  expect(new Date(bucketStart(Date.parse("2026-03-02T16:59:00Z"), "day", VN)).toISOString()).toBe("2026-03-01T17:00:00.000Z");
  expect(new Date(bucketStart(Date.parse("2026-03-02T17:00:00Z"), "day", VN)).toISOString()).toBe("2026-03-02T17:00:00.000Z");
  expect(new Date(bucketStart(Date.parse("2026-03-02T17:00:00Z"), "day", "UTC")).toISOString()).toBe("2026-03-02T00:00:00.000Z");
  expect(new Date(bucketStart(Date.parse("2026-03-02T02:41:13Z"), "hour", VN)).toISOString()).toBe("2026-03-02T02:00:00.000Z");
  // Monday 08:30 and 09:10 local; Wednesday 01:00 local (Tuesday 18:00 UTC).
  const grid = weekdayHourCounts([Date.parse("2026-03-02T01:30:00Z"), Date.parse("2026-03-02T02:10:00Z"), Date.parse("2026-03-03T18:00:00Z")], VN);
  expect([grid[0][8], grid[0][9], grid[2][1], grid[1][18]]).toEqual([1, 1, 1, 0]);
});

test("each metric per hour and per local day, adding up to the summary", async () => {
  const s = clockedStore();
  const ch = s.channel();
  const lan = s.user("Lan");
  const opened: number[] = [];
  const talk = async (iso: string, who: string, firstResponseMin: number, resolveMin: number | null) => {
    s.at(iso);
    const id = (await s.customer(ch, who, "Cho mình hỏi")).conversationId!;
    opened.push(id);
    s.advance(firstResponseMin * MIN);
    await s.reply(id, lan);
    if (resolveMin !== null) {
      s.advance((resolveMin - firstResponseMin) * MIN);
      await s.update(id, { status: "resolved" }, lan);
    }
  };
  await talk("2026-03-02T01:30:00Z", "k1", 4, 20); // Mon 08:30 local
  await talk("2026-03-02T02:10:00Z", "k2", 2, 30); // Mon 09:10
  await talk("2026-03-02T02:40:00Z", "k3", 10, null); // Mon 09:40, still open
  await talk("2026-03-03T18:00:00Z", "k4", 6, 60); // Wed 01:00 local
  const pano = { store: s.store, users: { list: () => [{ id: lan, name: "Lan" }] }, channels: { get: () => ({ name: "Zalo" }) } } as unknown as Pano;
  const q = (extra: Record<string, string>) => (n: string) => ({ from: "2026-03-01T17:00:00Z", to: "2026-03-04T17:00:00Z", ...extra })[n];
  const day = (metric: string) => buildSeries(pano, q({ metric, interval: "day" }), VN).points.map((p) => p.value);
  expect(buildSeries(pano, q({ metric: "conversations_opened", interval: "day" }), VN).points.map((p) => p.t)).toEqual(["2026-03-01T17:00:00.000Z", "2026-03-02T17:00:00.000Z", "2026-03-03T17:00:00.000Z"]);
  expect(day("conversations_opened")).toEqual([3, 0, 1]);
  expect(day("conversations_resolved")).toEqual([2, 0, 1]);
  expect(day("first_response_seconds")).toEqual([240, null, 360]);
  expect(day("first_response_seconds.p90")).toEqual([600, null, 360]);
  expect(day("resolution_seconds")).toEqual([20 * 60, null, 60 * 60]);
  expect(day("replies")).toEqual([3, 0, 1]);
  expect(day("response_seconds")).toEqual([240, null, 360]);
  expect(day("csat")).toEqual([null, null, null]);
  // The same day in UTC: Wednesday 01:00 local is Tuesday in UTC.
  const utc = buildSeries(pano, (n) => ({ metric: "conversations_opened", interval: "day", from: "2026-03-02T00:00:00Z", to: "2026-03-05T00:00:00Z", tz: "UTC" })[n], VN);
  expect(utc.points.map((p) => p.value)).toEqual([3, 1, 0]);
  // Hours of Monday morning, local.
  const hours = buildSeries(pano, (n) => ({ metric: "conversations_opened", interval: "hour", from: "2026-03-02T01:00:00Z", to: "2026-03-02T04:00:00Z" })[n], VN);
  expect(hours.points).toEqual([{ t: "2026-03-02T01:00:00.000Z", value: 1 }, { t: "2026-03-02T02:00:00.000Z", value: 2 }, { t: "2026-03-02T03:00:00.000Z", value: 0 }]);
  // Every summary metric answers, and counts add up to the summary's.
  const sum = buildSummary(pano, q({}));
  for (const m of SERIES_METRICS) expect(buildSeries(pano, q({ metric: m, interval: "hour" }), VN).points).toHaveLength(72);
  expect(day("conversations_opened").reduce((a, b) => a! + b!, 0)).toBe(sum.conversations_opened);
  expect(day("sla_breaches").reduce((a, b) => a! + b!, 0)).toBe(sum.sla_breaches);
});

let pano: PanoProcess;
beforeAll(async () => {
  pano = await startPano();
});
afterAll(async () => {
  await pano.stop();
});

test("GET /api/v1/reports/timeseries answers the contract's shape; bad input is 422 naming the field", async () => {
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Web" } });
  await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "x", external_message_id: "x-1", text: "Xin chào" } });
  const r = await pano.json("/api/v1/reports/timeseries?metric=conversations_opened&interval=day");
  expect(r).toMatchObject({ metric: "conversations_opened", interval: "day", time_zone: VN });
  expect(r.points.length).toBeGreaterThanOrEqual(7);
  expect(r.points.reduce((a: number, p: any) => a + p.value, 0)).toBe(1);
  expect(Object.keys(r.points[0]).sort()).toEqual(["t", "value"]);
  for (const [query, field] of [["metric=nope", "metric"], ["metric=replies&interval=week", "interval"], ["metric=replies&tz=Mars/Base", "tz"], ["interval=day", "metric"]]) {
    const res = await pano.api(`/api/v1/reports/timeseries?${query}`);
    expect([query, res.status]).toEqual([query, 422]);
    expect((await res.json()).error.message).toContain(field);
  }
});
