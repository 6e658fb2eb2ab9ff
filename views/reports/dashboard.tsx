// The manager's one screen: the queue as it stands now, then the period's figures overall,
// by channel and by agent. Server-rendered; the period form is a plain GET.
import type { ViewContext } from "../context.ts";
import { Layout, Avatar } from "../layout.tsx";
import { formatDuration } from "./format.ts";
import { formatWait } from "../i18n/index.ts";
import type { Summary } from "../../src/domain/reports.ts";
import type { SurveyFigures } from "../../src/domain/csat.ts";
import { BarChart, LineChart, Heatmap, type ChartPoint } from "./charts.tsx";
import { CallFiguresSection } from "./calls.tsx";
import type { CallsSummary } from "../../src/domain/call-report.ts";

export interface DashboardData {
  period: "today" | "7d" | "30d";
  teamId: string;
  slaMinutes: number;
  teams: { id: number; name: string }[];
  queue: { open: number; unassigned: number; urgent: number; pending: number; waiting: number; oldestWaitingSince: number | null };
  summary: Summary & Partial<SurveyFigures>;
  byChannel: (Summary & Partial<SurveyFigures> & { name: string | null; channel_type: string })[];
  byAgent: (Summary & Partial<SurveyFigures> & { agent_id: string | null; name: string | null; online: boolean; openNow: number; replies: number; first_responses: number; response_seconds: { p50: number | null; p90: number | null } } & QaFigures)[];
  csvHref: string;
  calls?: CallsSummary;
  /** The period over time (hours for today, days otherwise) and busy hours by weekday. */
  charts?: { interval: "hour" | "day"; volume: ChartPoint[]; firstResponse: ChartPoint[]; resolution: ChartPoint[]; breaches: ChartPoint[]; heatmap: number[][] };
}

function Charts(props: { c: ViewContext; d: NonNullable<DashboardData["charts"]> }) {
  const { c, d } = props;
  const { t } = c;
  const fmt = new Intl.DateTimeFormat(c.lang === "vi" ? "vi-VN" : "en-GB", d.interval === "hour" ? { timeZone: c.timeZone, hour: "2-digit", hourCycle: "h23" } : { timeZone: c.timeZone, day: "2-digit", month: "2-digit" });
  const label = (ms: number) => fmt.format(ms).replace(/\s*giờ$/, "");
  const count = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
  const minutes = (v: number) => formatDuration(Math.round(v), t);
  const days = t("reports.weekdays").split(",");
  return (
    <section aria-labelledby="trends" class="report-charts">
      <h2 id="trends">{t("reports.trends")}</h2>
      <BarChart id="chart-volume" title={t(d.interval === "hour" ? "reports.chart.volume_hour" : "reports.chart.volume_day")} points={d.volume} label={label} format={count} />
      <LineChart id="chart-first-response" title={t("reports.chart.first_response")} points={d.firstResponse} label={label} format={minutes} />
      <LineChart id="chart-resolution" title={t("reports.chart.resolution")} points={d.resolution} label={label} format={minutes} />
      <BarChart id="chart-breaches" title={t(d.interval === "hour" ? "reports.chart.breaches_hour" : "reports.chart.breaches_day")} points={d.breaches} label={label} format={count} />
      <Heatmap id="chart-heatmap" title={t("reports.chart.heatmap")} grid={d.heatmap} days={days} c={c} />
    </section>
  );
}

/** `href`: the conversations behind the figure (/reports/drill), with the same period and team. */
function Figure(props: { label: string; value: string | number; tone?: "alert"; href?: string }) {
  return (
    <div class={`figure ${props.tone === "alert" ? "figure-alert" : ""}`}>
      <dt>{props.label}</dt>
      <dd>{props.href ? <a href={props.href} title={props.label}>{props.value}</a> : props.value}</dd>
    </div>
  );
}

const drill = (d: DashboardData, metric: string) =>
  `/reports/drill?${new URLSearchParams({ metric, period: d.period, ...(d.teamId ? { team_id: d.teamId } : {}), sla_minutes: String(d.slaMinutes) })}`;

function pair(s: { p50: number | null; p90: number | null }, c: ViewContext) {
  return `${formatDuration(s.p50, c.t)} / ${formatDuration(s.p90, c.t)}`;
}

function csat(s: Summary, c: ViewContext) {
  return s.csat.average === null ? c.t("duration.none") : c.t("reports.csat_value", { avg: s.csat.average.toFixed(1), n: s.csat.responses });
}

/** Surveys answered over sent (docs/csat.md). */
function csatRate(s: Partial<SurveyFigures>, c: ViewContext) {
  if (!s.csat_surveys_sent || s.csat_response_rate === null || s.csat_response_rate === undefined) return c.t("duration.none");
  return c.t("reports.csat_rate_value", { rate: Math.round(s.csat_response_rate * 100), answered: s.csat_surveys_answered ?? 0, sent: s.csat_surveys_sent });
}

type QaFigures = { qa_score?: number | null; qa_reviews?: number };

/** The average QA review score in the period (docs/quality-reviews.md). */
function qa(s: QaFigures, c: ViewContext) {
  return s.qa_score === null || s.qa_score === undefined ? c.t("duration.none") : c.t("qa.reports.value", { score: s.qa_score, n: s.qa_reviews ?? 0 });
}

export function Dashboard(props: { c: ViewContext; d: DashboardData }) {
  const { c, d } = props;
  const { t } = c;
  const s = d.summary;
  return (
    <Layout ctx={c} title={t("reports.title")} area={"reports" as never}>
      <div class="reports">
        <h1>{t("reports.title")}</h1>
        <section aria-labelledby="queue-now">
          <h2 id="queue-now">{t("reports.now")}</h2>
          <dl class="figures">
            <Figure label={t("reports.open")} value={d.queue.open} />
            <Figure label={t("reports.unassigned")} value={d.queue.unassigned} tone={d.queue.unassigned ? "alert" : undefined} />
            <Figure label={t("reports.urgent")} value={d.queue.urgent} tone={d.queue.urgent ? "alert" : undefined} />
            <Figure label={t("reports.waiting")} value={d.queue.waiting} />
            <Figure label={t("reports.pending")} value={d.queue.pending} />
            <Figure label={t("reports.oldest_wait")} value={d.queue.oldestWaitingSince ? formatWait(d.queue.oldestWaitingSince, c.now, t) : t("duration.none")} />
          </dl>
        </section>

        <form class="report-filters" method="get" action="/reports">
          <label>
            {t("reports.period")}
            <select name="period">
              {(["today", "7d", "30d"] as const).map((p) => <option value={p} selected={d.period === p}>{t(`reports.period.${p}`)}</option>)}
            </select>
          </label>
          <label>
            {t("reports.team")}
            <select name="team_id">
              <option value="">{t("reports.all_teams")}</option>
              {d.teams.map((tm) => <option value={String(tm.id)} selected={d.teamId === String(tm.id)}>{tm.name}</option>)}
            </select>
          </label>
          <label>
            {t("reports.sla")}
            <input type="number" name="sla_minutes" min="1" value={String(d.slaMinutes)} />
          </label>
          <button type="submit">{t("reports.apply")}</button>
          <a class="button-secondary" href={d.csvHref} download="">{t("reports.csv")}</a>
          <a class="button-secondary" href={d.csvHref.replace("/summary.csv", "/conversations.csv")} download="">{t("reports.csv_conversations")}</a>
          <a class="button-secondary" href={d.csvHref.replace("/summary.csv", "/messages.csv")} download="">{t("reports.csv_messages")}</a>
        </form>

        <section aria-label={t("reports.title")}>
          <dl class="figures">
            <Figure label={t("reports.opened")} value={s.conversations_opened} href={drill(d, "opened")} />
            <Figure label={t("reports.resolved")} value={s.conversations_resolved} href={drill(d, "resolved")} />
            <Figure label={t("reports.first_response")} value={pair(s.first_response_seconds, c)} href={drill(d, "first_response")} />
            <Figure label={t("reports.resolution")} value={pair(s.resolution_seconds, c)} href={drill(d, "resolution")} />
            <Figure label={t("reports.handle")} value={formatDuration(s.handle_seconds.p50, c.t)} />
            <Figure label={t("reports.breaches")} value={s.sla_breaches} tone={s.sla_breaches ? "alert" : undefined} href={drill(d, "sla_breaches")} />
            <Figure label={t("reports.csat")} value={csat(s, c)} />
            <Figure label={t("reports.csat_rate")} value={csatRate(s, c)} />
            <Figure label={t("qa.reports.qa_score")} value={qa(s as QaFigures, c)} />
          </dl>
        </section>

        {d.charts ? <Charts c={c} d={d.charts} /> : null}

        <section aria-labelledby="by-channel">
          <h2 id="by-channel">{t("reports.by_channel")}</h2>
          {d.byChannel.length === 0 ? <p>{t("reports.no_data")}</p> : (
            <table class="report-table">
              <thead><tr><th scope="col">{t("reports.channel")}</th><th scope="col">{t("reports.opened")}</th><th scope="col">{t("reports.resolved")}</th><th scope="col">{t("reports.first_response")}</th><th scope="col">{t("reports.breaches")}</th><th scope="col">{t("reports.csat")}</th><th scope="col">{t("reports.csat_rate")}</th></tr></thead>
              <tbody>
                {d.byChannel.map((r) => (
                  <tr><th scope="row"><span class={`channel-badge channel-${r.channel_type}`}>{r.channel_type}</span> {r.name}</th><td>{r.conversations_opened}</td><td>{r.conversations_resolved}</td><td>{pair(r.first_response_seconds, c)}</td><td>{r.sla_breaches}</td><td>{csat(r, c)}</td><td>{csatRate(r, c)}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section aria-labelledby="by-agent">
          <h2 id="by-agent">{t("reports.by_agent")}</h2>
          {d.byAgent.length === 0 ? <p>{t("reports.no_data")}</p> : (
            <table class="report-table">
              <thead><tr><th scope="col">{t("reports.agent")}</th><th scope="col">{t("reports.open_now")}</th><th scope="col">{t("reports.replies")}</th><th scope="col">{t("reports.first_responses")}</th><th scope="col">{t("reports.response_time")}</th><th scope="col">{t("reports.resolved")}</th><th scope="col">{t("reports.first_response")}</th><th scope="col">{t("reports.handle")}</th><th scope="col">{t("reports.csat")}</th><th scope="col">{t("reports.csat_rate")}</th><th scope="col">{t("qa.reports.qa_score")}</th></tr></thead>
              <tbody>
                {d.byAgent.map((r) => (
                  <tr>
                    <th scope="row">
                      {r.agent_id === null ? t("reports.unassigned_agent") : <><Avatar name={r.name} /> {r.name} <span class={r.online ? "presence-on" : "presence-off"}>{r.online ? t("reports.online") : t("reports.offline")}</span></>}
                    </th>
                    <td>{r.openNow}</td><td>{r.replies}</td><td>{r.first_responses}</td><td>{pair(r.response_seconds, c)}</td><td>{r.conversations_resolved}</td><td>{pair(r.first_response_seconds, c)}</td><td>{formatDuration(r.handle_seconds.p50, c.t)}</td><td>{csat(r, c)}</td><td>{csatRate(r, c)}</td>
                    <td class="qa-score">{r.agent_id === null ? qa(r, c) : <a href={`/qa/reviews?agent_id=${r.agent_id}`}>{qa(r, c)}</a>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <CallFiguresSection c={c} calls={d.calls} />
      </div>
    </Layout>
  );
}
