// /reports: the manager's dashboard (admins and supervisors), and its CSV.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import { pageSession, pageErrorHandler, renderError, type PageEnv } from "../../view-context.ts";
import { buildSummary, csvResponse, summaryWithRows, type PeriodRows } from "../../report-summary.ts";
import { teamNames } from "../../../store/teams.ts";
import { queueNow } from "../../../store/reports.ts";
import { conversationsCsv, messagesCsv, exportFilter } from "../../report-export.ts";
import { seriesOf, weekdayHourCounts, type Interval } from "../../../domain/report-series.ts";
import { Dashboard, type DashboardData } from "../../../../views/reports/dashboard.tsx";
import { drillPage } from "./report-drill.ts";

const DAY = 86400_000;

/** Midnight in the viewer's time zone, so "today" means their day, not UTC's. */
function startOfDay(now: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const sinceMidnight = ((get("hour") * 60 + get("minute")) * 60 + get("second")) * 1000 + (now % 1000);
  return now - sinceMidnight;
}

export function reportPages(pano: Pano) {
  const app = new Hono<PageEnv>();
  app.onError(pageErrorHandler(pano));
  app.use("*", pageSession(pano));
  app.use("*", async (c, next) => {
    const v = c.get("view");
    if (v.user.role !== "admin" && v.user.role !== "supervisor") return renderError(c, v, 403, v.t("error.forbidden"));
    await next();
  });

  const query = (c: { req: { query(n: string): string | undefined } }, tz: string) => {
    const period = (["today", "7d", "30d"] as const).find((p) => p === c.req.query("period")) ?? "7d";
    const now = Date.now();
    const from = period === "today" ? startOfDay(now, tz) : now - (period === "7d" ? 7 : 30) * DAY;
    const params: Record<string, string | undefined> = {
      from: new Date(from).toISOString(), to: new Date(now).toISOString(),
      team_id: c.req.query("team_id") || undefined, sla_minutes: c.req.query("sla_minutes") || undefined,
    };
    return { period, params };
  };

  app.get("/", (c) => {
    const view = c.get("view");
    const { period, params } = query(c, view.timeZone);
    // The summary and the charts from one read of the period's rows.
    const { summary: r, range, rows } = summaryWithRows(pano, (n) => params[n]);
    const teamId = params.team_id ? Number(params.team_id) : undefined;
    const queue = queueNow(pano.store.sqlite, { teamId });
    const csv = new URLSearchParams({ period, ...(params.team_id ? { team_id: params.team_id } : {}), sla_minutes: String(r.sla_minutes) });
    const data: DashboardData = {
      period, teamId: params.team_id ?? "", slaMinutes: r.sla_minutes,
      teams: teamNames(pano.store.sqlite),
      queue, summary: r, byChannel: r.by_channel,
      byAgent: r.by_agent.map((a) => ({
        ...a,
        online: a.agent_id !== null && pano.presence.isConnected(Number(a.agent_id)),
        openNow: a.agent_id === null ? queue.unassigned : queue.openByAgent.get(Number(a.agent_id)) ?? 0,
      })),
      csvHref: `/reports/summary.csv?${csv}`,
      calls: r.calls,
      charts: charts(rows, range, period === "today" ? "hour" : "day", view.timeZone, r.sla_minutes),
    };
    return c.html(Dashboard({ c: view, d: data }));
  });

  // The conversations behind one figure of the dashboard (its links carry the same period and team).
  app.get("/drill", (c) => {
    const { period, params } = query(c, c.get("view").timeZone);
    return drillPage(pano, c, params, period);
  });

  app.get("/summary.csv", (c) => {
    const { params } = query(c, c.get("view").timeZone);
    return csvResponse(c, buildSummary(pano, (n) => params[n]));
  });
  // The rows behind the period's figures, streamed (web/report-export.ts).
  app.get("/conversations.csv", (c) => {
    const { params } = query(c, c.get("view").timeZone);
    return conversationsCsv(c, pano, exportFilter((n) => params[n]), c.get("view").timeZone);
  });
  app.get("/messages.csv", (c) => {
    const { params } = query(c, c.get("view").timeZone);
    return messagesCsv(c, pano, exportFilter((n) => params[n]), c.get("view").timeZone);
  });
  return app;
}

/** The dashboard's charts, from the rows the summary was computed from, in the viewer's time zone. */
function charts(rows: PeriodRows, range: { from: number; to: number }, interval: Interval, tz: string, slaMinutes: number): DashboardData["charts"] {
  const input = { ...rows, slaMs: slaMinutes * 60_000, now: Date.now() };
  // The four charts from one pass over the period's conversations.
  const [volume, firstResponse, resolution, breaches] = seriesOf(["conversations_opened", "first_response_seconds", "resolution_seconds", "sla_breaches"], interval, range, tz, input).map((p) => p ?? []);
  return {
    interval, volume, firstResponse, resolution, breaches,
    heatmap: weekdayHourCounts(rows.conversations.openedIn(range), tz),
  };
}
