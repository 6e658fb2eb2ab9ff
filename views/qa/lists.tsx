// The quality pages' frame (tabs for managers; an agent sees only their own reviews), the review
// queue, the lists of reviews and the scores per agent and week.
import type { Child } from "hono/jsx";
import type { ViewContext } from "../context.ts";
import { Layout, asset } from "../layout.tsx";
import { formatDateTime } from "../inbox/time.ts";
import type { QaKey } from "../i18n/qa.ts";
import type { QueueItem } from "../../src/store/qa-queue.ts";
import type { Review } from "../../src/store/qa-reviews.ts";

export type QaTab = "queue" | "reviews" | "disputes" | "scores" | "mine";

const TABS: { tab: QaTab; href: string; label: QaKey; managers: boolean }[] = [
  { tab: "queue", href: "/qa/queue", label: "qa.tab.queue", managers: true },
  { tab: "reviews", href: "/qa/reviews", label: "qa.tab.reviews", managers: true },
  { tab: "disputes", href: "/qa/reviews?status=disputed", label: "qa.tab.disputes", managers: true },
  { tab: "scores", href: "/qa/scores", label: "qa.tab.scores", managers: true },
  { tab: "mine", href: "/qa/mine", label: "qa.tab.mine", managers: false },
];

export const isManager = (ctx: ViewContext) => ctx.user.role === "admin" || ctx.user.role === "supervisor";

/** Every quality page: the shell, the QA styles and script, the tabs this user may open. */
export function QaFrame(props: { ctx: ViewContext; title: string; tab?: QaTab; notice?: string | null; bodyClass?: string; children?: Child }) {
  const { ctx } = props;
  const tabs = TABS.filter((t) => !t.managers || isManager(ctx));
  return (
    <Layout ctx={ctx} title={props.title} area="qa" bodyClass={`qa-page ${props.bodyClass ?? ""}`}>
      <link rel="stylesheet" href={asset("settings.css")} />
      <link rel="stylesheet" href={asset("qa.css")} />
      <script src={asset("qa.js")} defer></script>
      <div class="qa">
        {props.tab ? (
          <nav class="qa-tabs" aria-label={ctx.t("qa.title")}>
            {tabs.map((t) => <a href={t.href} aria-current={t.tab === props.tab ? "page" : undefined}>{ctx.t(t.label)}</a>)}
          </nav>
        ) : null}
        <h1>{props.title}</h1>
        {props.notice ? <p class="notice" role="status">{props.notice}</p> : null}
        {props.children}
      </div>
    </Layout>
  );
}

/** A quality page that only has something to say (no scorecard yet). */
export const QaMessagePage = (props: { ctx: ViewContext; title: string; message: string }) => (
  <QaFrame ctx={props.ctx} title={props.title}><p class="empty">{props.message}</p></QaFrame>
);

const when = (ctx: ViewContext, ms: number | null) => (ms === null ? "" : formatDateTime(ms, ctx.lang, ctx.timeZone));
export const scoreText = (score: number | null) => (score === null ? "—" : `${Number.isInteger(score) ? score : score.toFixed(1)}%`);

export function QueuePage(props: { ctx: ViewContext; items: QueueItem[]; perAgentWeek: number; notice?: string | null }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <QaFrame ctx={ctx} title={t("qa.tab.queue")} tab="queue" notice={props.notice}>
      <p class="hint">{t("qa.queue.hint", { n: props.perAgentWeek })}</p>
      {props.items.length === 0 ? <p class="empty">{t("qa.queue.empty")}</p> : (
        <table class="table qa-queue">
          <thead><tr><th scope="col">{t("qa.col.conversation")}</th><th scope="col">{t("qa.col.agent")}</th><th scope="col">{t("qa.col.reason")}</th><th scope="col">{t("qa.col.resolved")}</th><th scope="col"><span class="visually-hidden">{t("settings.actions")}</span></th></tr></thead>
          <tbody>
            {props.items.map((q) => (
              <tr data-conversation-id={String(q.conversation_id)}>
                <td><a href={`/qa/conversations/${q.conversation_id}`}>#{q.conversation_id} · {q.contact_name ?? "?"}</a>{q.subject ? <span class="muted"> · {q.subject}</span> : null}</td>
                <td>{q.agent_name ?? `#${q.agent_id}`}</td>
                <td><span class={`qa-reason qa-reason-${q.reason}`}>{t(`qa.reason.${q.reason}` as QaKey)}</span></td>
                <td>{when(ctx, q.resolved_at)}</td>
                <td class="row-actions">
                  <a class="button primary" href={`/qa/conversations/${q.conversation_id}`}>{t("qa.queue.review")}</a>
                  <form method="post" action={`/qa/queue/${q.id}/skip`} class="inline-form">
                    <input type="hidden" name="_csrf" value={ctx.csrf} />
                    <button type="submit">{t("qa.queue.skip")}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </QaFrame>
  );
}

/** Reviews as a table; `mine`: the agent's own list (no agent column). */
export function ReviewsPage(props: { ctx: ViewContext; reviews: Review[]; tab: "reviews" | "disputes" | "mine"; nextHref: string | null; notice?: string | null }) {
  const { ctx } = props;
  const t = ctx.t;
  const mine = props.tab === "mine";
  return (
    <QaFrame ctx={ctx} title={t(`qa.tab.${props.tab}` as QaKey)} tab={props.tab} notice={props.notice}>
      {mine ? <p class="hint">{t("qa.mine.hint")}</p> : null}
      {props.reviews.length === 0 ? <p class="empty">{t(mine ? "qa.mine.empty" : "qa.reviews.empty")}</p> : (
        <table class="table qa-reviews">
          <thead>
            <tr>
              <th scope="col">{t("qa.col.conversation")}</th>
              {mine ? null : <th scope="col">{t("qa.col.agent")}</th>}
              <th scope="col">{t("qa.col.score")}</th><th scope="col">{t("qa.col.status")}</th><th scope="col">{t("qa.col.reviewer")}</th><th scope="col">{t("qa.col.date")}</th>
            </tr>
          </thead>
          <tbody>
            {props.reviews.map((r) => (
              <tr data-review-id={String(r.id)}>
                <td><a href={`/qa/reviews/${r.id}`}>#{r.conversation_id} · {r.contact_name ?? "?"}</a></td>
                {mine ? null : <td>{r.agent_name}</td>}
                <td class="qa-score">{scoreText(r.score)}</td>
                <td><span class={`qa-status qa-status-${r.status}`}>{t(`qa.status.${r.status}` as QaKey)}</span></td>
                <td>{r.reviewer_name}</td>
                <td>{when(ctx, r.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.nextHref ? <p><a class="button" href={props.nextHref}>{t("qa.more")}</a></p> : null}
    </QaFrame>
  );
}

export interface AgentWeeks { agentId: number; name: string; weeks: { score: number | null; reviews: number }[]; average: number | null; reviews: number }

/** Per agent, the average per week (oldest to newest) and a small line of the trend. */
export function ScoresPage(props: { ctx: ViewContext; weekStarts: number[]; agents: AgentWeeks[] }) {
  const { ctx } = props;
  const t = ctx.t;
  const day = new Intl.DateTimeFormat(ctx.lang === "vi" ? "vi-VN" : "en-GB", { timeZone: ctx.timeZone, day: "2-digit", month: "2-digit" });
  return (
    <QaFrame ctx={ctx} title={t("qa.tab.scores")} tab="scores">
      <p class="hint">{t("qa.scores.hint")}</p>
      {props.agents.length === 0 ? <p class="empty">{t("qa.scores.empty")}</p> : (
        <table class="table qa-scores">
          <thead>
            <tr>
              <th scope="col">{t("qa.col.agent")}</th>
              {props.weekStarts.map((w) => <th scope="col">{t("qa.scores.week", { date: day.format(w) })}</th>)}
              <th scope="col">{t("qa.reports.qa_score")}</th>
              <th scope="col"><span class="visually-hidden">{t("reports.trends")}</span></th>
            </tr>
          </thead>
          <tbody>
            {props.agents.map((a) => (
              <tr data-agent-id={String(a.agentId)}>
                <th scope="row"><a href={`/qa/reviews?agent_id=${a.agentId}`}>{a.name}</a></th>
                {a.weeks.map((w) => <td>{w.score === null ? "—" : t("qa.scores.cell", { score: scoreText(w.score).replace("%", ""), n: w.reviews })}</td>)}
                <td class="qa-score">{a.average === null ? "—" : t("qa.reports.value", { score: scoreText(a.average).replace("%", ""), n: a.reviews })}</td>
                <td><Trend weeks={a.weeks} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </QaFrame>
  );
}

/** A tiny server-drawn line over the weeks that have a score (0–100 %). */
function Trend(props: { weeks: { score: number | null }[] }) {
  const w = 120;
  const h = 28;
  const step = props.weeks.length > 1 ? w / (props.weeks.length - 1) : 0;
  const pts = props.weeks.flatMap((p, i) => (p.score === null ? [] : [`${Math.round(i * step)},${Math.round(h - (p.score / 100) * (h - 4) - 2)}`]));
  if (pts.length < 2) return <span class="muted">—</span>;
  return (
    <svg class="qa-trend" width={w} height={h} viewBox={`0 0 ${w} ${h}`} aria-hidden="true">
      <polyline points={pts.join(" ")} fill="none" stroke="currentColor" stroke-width="2" />
    </svg>
  );
}
