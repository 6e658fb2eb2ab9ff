// The switchboard's figures on the manager's screen, beside the chat figures: calls answered and
// missed, missed callers nobody called back, talk time, how long a call back took; per agent and
// per shop number. Shown once the period has calls (a shop without a switchboard sees nothing).
import type { ViewContext } from "../context.ts";
import { Avatar } from "../layout.tsx";
import { formatDuration } from "./format.ts";
import type { CallKey } from "../i18n/index.ts";
import type { CallsSummary } from "../../src/domain/call-report.ts";

export function CallFiguresSection(props: { c: ViewContext; calls: CallsSummary | undefined }) {
  const { c, calls } = props;
  if (!calls || calls.calls === 0) return null;
  const t = (k: CallKey, vars?: Record<string, string | number>) => c.t(k, vars);
  const d = (s: number | null) => formatDuration(s, c.t);
  return (
    <section aria-labelledby="calls" class="report-calls">
      <h2 id="calls">{t("reports.calls.title")}</h2>
      <dl class="figures">
        <Fig label={t("reports.calls.total")} value={calls.calls} />
        <Fig label={t("reports.calls.answered")} value={calls.answered} />
        <Fig label={t("reports.calls.missed")} value={calls.missed} />
        <Fig label={t("reports.calls.not_called_back")} value={calls.missed_not_called_back} alert={calls.missed_not_called_back > 0} />
        <Fig label={t("reports.calls.talk")} value={d(calls.average_talk_seconds)} />
        <Fig label={t("reports.calls.call_back")} value={`${d(calls.call_back_seconds.p50)} / ${d(calls.call_back_seconds.p90)}`} />
      </dl>
      {calls.by_agent.length ? (
        <table class="report-table">
          <caption>{t("reports.calls.by_agent")}</caption>
          <thead><tr><th scope="col">{c.t("reports.agent")}</th><th scope="col">{t("reports.calls.answered")}</th><th scope="col">{t("reports.calls.placed")}</th><th scope="col">{t("reports.calls.talk")}</th><th scope="col">{t("reports.calls.call_backs")}</th><th scope="col">{t("reports.calls.call_back")}</th></tr></thead>
          <tbody>
            {calls.by_agent.map((a) => (
              <tr><th scope="row"><Avatar name={a.name} /> {a.name ?? a.agent_id}</th><td>{a.answered}</td><td>{a.placed}</td><td>{d(a.average_talk_seconds)}</td><td>{a.call_backs}</td><td>{d(a.call_back_seconds.p50)}</td></tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <table class="report-table">
        <caption>{t("reports.calls.by_number")}</caption>
        <thead><tr><th scope="col">{t("reports.calls.number")}</th><th scope="col">{t("reports.calls.total")}</th><th scope="col">{t("reports.calls.answered")}</th><th scope="col">{t("reports.calls.missed")}</th><th scope="col">{t("reports.calls.not_called_back")}</th><th scope="col">{t("reports.calls.talk")}</th></tr></thead>
        <tbody>
          {calls.by_number.map((n) => (
            <tr><th scope="row">{n.number ?? t("reports.calls.number_unknown")}</th><td>{n.calls}</td><td>{n.answered}</td><td>{n.missed}</td><td>{n.missed_not_called_back}</td><td>{d(n.average_talk_seconds)}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Fig(props: { label: string; value: string | number; alert?: boolean }) {
  return (
    <div class={`figure ${props.alert ? "figure-alert" : ""}`}>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}
