// The dashboard's fast paths give exactly what the plain computations give: credit percentiles
// from counted seconds (SecondsCount) against p50p90 over the values listed out, and the busy-hours
// grid by arithmetic against Date in a zone with its offset.
import { test, expect } from "bun:test";
import { SecondsCount, p50p90 } from "../src/domain/reports.ts";
import { weekdayHourCounts, zoneOffsetMinutes } from "../src/domain/report-series.ts";

test("counted seconds give the nearest-rank p50 and p90 of the values, whatever their spread", () => {
  let x = 12345;
  const rand = () => ((x = (x * 1103515245 + 12345) >>> 0), x / 2 ** 32);
  const shapes: (() => number)[] = [
    () => Math.round(30 + rand() * 600),
    () => Math.round(rand() * 3 * 86400), // past the counted array: in the map
    () => Math.round((rand() - 0.3) * 200), // a few negative (a late-delivered message)
    () => (rand() < 0.5 ? 7 : 9),
    () => rand() * 100, // fractions
  ];
  for (const shape of shapes) {
    for (const n of [1, 2, 3, 10, 99, 1000, 5000]) {
      const values = Array.from({ length: n }, shape);
      const c = new SecondsCount();
      // Added one by one and in runs, and merged from two halves, as the roll-ups do.
      const half = new SecondsCount();
      values.forEach((v, i) => (i % 2 ? c.add(v) : half.add(v)));
      c.addAll(half);
      expect(c.count).toBe(n);
      expect(c.p50p90()).toEqual(p50p90(values));
    }
  }
  expect(new SecondsCount().p50p90()).toEqual({ p50: null, p90: null });
  const runs = new SecondsCount();
  runs.add(60, 9);
  runs.add(3600, 1);
  expect(runs.p50p90()).toEqual(p50p90([...Array(9).fill(60), 3600]));
});

test("the busy-hours grid counts each time at its local weekday and hour", () => {
  const byDate = (times: number[], tz: string) => {
    const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    for (const t of times) {
      const local = new Date(t + zoneOffsetMinutes(t, tz) * 60_000);
      grid[(local.getUTCDay() + 6) % 7][local.getUTCHours()]++;
    }
    return grid;
  };
  const start = Date.UTC(2026, 2, 1);
  // Every 7 minutes for 30 days across a change of clocks (Europe/Berlin, 29 March), and before 1970.
  const times = [...Array.from({ length: 30 * 24 * 60 / 7 }, (_, i) => start + i * 7 * 60_000), -86400_000 * 3 - 1, -1, 0];
  for (const tz of ["Asia/Ho_Chi_Minh", "Europe/Berlin", "America/St_Johns", "UTC"]) expect(weekdayHourCounts(times, tz)).toEqual(byDate(times, tz));
});
