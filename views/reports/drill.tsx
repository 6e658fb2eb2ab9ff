// The conversations behind one dashboard figure, each opening in the inbox: the same rows and rules
// the figure was counted with, so a manager can see why "12 breaches" is 12 and which ones they are.
import type { ViewContext } from "../context.ts";
import type { MessageKey } from "../i18n/index.ts";
import { Layout } from "../layout.tsx";
import { formatDuration } from "./format.ts";
import { formatDateTime } from "../inbox/time.ts";
import type { DrillMetric } from "../../src/domain/report-drill.ts";

export interface DrillItem {
  id: number;
  contact: string | null;
  channelType: string;
  channelName: string | null;
  assignee: string | null;
  status: string | null;
  createdAt: number;
  firstResponseS: number | null;
  resolutionS: number | null;
  missed: string[];
}

export interface DrillData {
  metric: DrillMetric;
  /** What the list is narrowed to, as the dashboard's link said (period, team, channel, agent). */
  scope: string;
  backHref: string;
  total: number;
  items: DrillItem[];
}

export function DrillPage(props: { c: ViewContext; d: DrillData }) {
  const { c, d } = props;
  const t = (k: MessageKey, vars?: Record<string, string | number>) => c.t(k, vars);
  const title = t(`drill.${d.metric}` as MessageKey);
  return (
    <Layout ctx={c} title={title} area="reports">
      <div class="reports drill">
        <p><a href={d.backHref}>← {t("reports.title")}</a></p>
        <h1>{title}</h1>
        <p class="muted">{d.scope} · {t("drill.count", { n: d.total })}{d.items.length < d.total ? ` · ${t("drill.first_n", { n: d.items.length })}` : ""}</p>
        {d.items.length === 0 ? <p>{t("reports.no_data")}</p> : (
          <table class="report-table drill-table">
            <thead><tr>
              <th scope="col">{t("drill.conversation")}</th><th scope="col">{t("reports.channel")}</th><th scope="col">{t("reports.agent")}</th>
              <th scope="col">{t("drill.created")}</th><th scope="col">{t("drill.first_response_col")}</th><th scope="col">{t("drill.resolution_col")}</th><th scope="col">{t("drill.sla")}</th>
            </tr></thead>
            <tbody>
              {d.items.map((r) => (
                <tr data-conversation={String(r.id)}>
                  <th scope="row"><a href={`/inbox?c=${r.id}`}>#{r.id} {r.contact ?? ""}</a>{r.status ? <span class="tag"> {t(`status.${r.status}` as MessageKey)}</span> : null}</th>
                  <td><span class={`channel-badge channel-${r.channelType}`}>{r.channelType}</span> {r.channelName ?? ""}</td>
                  <td>{r.assignee ?? t("reports.unassigned_agent")}</td>
                  <td><time datetime={new Date(r.createdAt).toISOString()}>{formatDateTime(r.createdAt, c.lang, c.timeZone)}</time></td>
                  <td>{r.firstResponseS === null ? t("drill.none_yet") : formatDuration(r.firstResponseS, c.t)}</td>
                  <td>{r.resolutionS === null ? "—" : formatDuration(r.resolutionS, c.t)}</td>
                  <td>{r.missed.length ? r.missed.map((m) => <span class="tag sla-red">{t(`drill.missed.${m}` as MessageKey)}</span>) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Layout>
  );
}
