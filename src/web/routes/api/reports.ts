// /api/v1/reports/summary(.csv) and /timeseries: the manager's view of the team, overall, by channel and by agent.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { requireRole } from "../../auth.ts";
import { buildSummary, csvResponse } from "../../report-summary.ts";
import { buildSeries } from "../../report-series.ts";
import { conversationsCsv, messagesCsv, exportFilter } from "../../report-export.ts";

export function reportRoutes(pano: Pano) {
  const app = new Hono<Env>();
  app.use("*", requireRole("admin", "supervisor"));
  app.get("/summary", (c) => c.json(buildSummary(pano, (n) => c.req.query(n))));
  app.get("/summary.csv", (c) => csvResponse(c, buildSummary(pano, (n) => c.req.query(n))));
  // Buckets in the caller's own time zone unless tz= names another.
  app.get("/timeseries", (c) => c.json(buildSeries(pano, (n) => c.req.query(n), c.get("user").timezone)));
  // The rows behind the figures, streamed, times in the caller's zone.
  app.get("/conversations.csv", (c) => conversationsCsv(c, pano, exportFilter((n) => c.req.query(n)), c.get("user").timezone));
  app.get("/messages.csv", (c) => messagesCsv(c, pano, exportFilter((n) => c.req.query(n)), c.get("user").timezone));
  return app;
}
