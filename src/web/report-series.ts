// GET /api/v1/reports/timeseries and the dashboard's charts: one metric per hour or day, in a time
// zone (the caller's own, Asia/Ho_Chi_Minh by default; `tz=` overrides), from the same rows and
// rules as the summary.
import type { Pano } from "../pano.ts";
import { PanoError } from "../domain/errors.ts";
import { series, bucketStarts, SERIES_METRICS, type Interval } from "../domain/report-series.ts";
import { optionalId } from "./routes/api/input.ts";
import { parseTime, periodRows } from "./report-summary.ts";

const MAX_POINTS = 2000;

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function buildSeries(pano: Pano, q: (name: string) => string | undefined, defaultZone: string) {
  const now = Date.now();
  const metric = q("metric") ?? "";
  if (!metric) throw new PanoError("validation_failed", `metric: required, one of ${SERIES_METRICS.join(", ")}`, "metric");
  const interval = (q("interval") ?? "day") as Interval;
  if (interval !== "hour" && interval !== "day") throw new PanoError("validation_failed", "interval: must be hour or day", "interval");
  const to = parseTime(q("to"), "to", now);
  const from = parseTime(q("from"), "from", to - 7 * 86400_000);
  if (from >= to) throw new PanoError("validation_failed", "from: must be before to", "from");
  const tz = q("tz") || defaultZone || "Asia/Ho_Chi_Minh";
  if (!validZone(tz)) throw new PanoError("validation_failed", "tz: not a known time zone", "tz");
  const range = { from, to };
  if (bucketStarts(range, interval, tz).length > MAX_POINTS) throw new PanoError("validation_failed", `interval: more than ${MAX_POINTS} points; use day or a shorter range`, "interval");
  const slaMinutes = Number(q("sla_minutes") ?? 60);
  if (!Number.isFinite(slaMinutes) || slaMinutes <= 0) throw new PanoError("validation_failed", "sla_minutes: must be a positive number", "sla_minutes");
  const f = { teamId: optionalId(q("team_id"), "team_id"), agentId: optionalId(q("agent_id"), "agent_id"), channelId: optionalId(q("channel_id"), "channel_id") };
  const points = series(metric, interval, range, tz, { ...periodRows(pano, range, f, { records: true }), slaMs: slaMinutes * 60_000, now, authorId: f.agentId });
  if (!points) throw new PanoError("validation_failed", `metric: one of ${SERIES_METRICS.join(", ")} (durations take .p50 or .p90, csat .average, .responses or .response_rate)`, "metric");
  return { metric, interval, time_zone: tz, from: new Date(from).toISOString(), to: new Date(to).toISOString(), points: points.map((p) => ({ t: new Date(p.t).toISOString(), value: p.value })) };
}
