// One review as its agent and the managers see it: each criterion's score and coaching note, the
// overall note, the history (rescored scores kept), and the next step: the agent acknowledges or
// disputes with a reason; a manager rescores or answers the dispute.
import type { ViewContext } from "../context.ts";
import type { QaKey } from "../i18n/qa.ts";
import type { Review, ReviewEvent } from "../../src/store/qa-reviews.ts";
import { agentMayRespond } from "../../src/domain/qa.ts";
import { formatDateTime } from "../inbox/time.ts";
import { QaFrame, scoreText, isManager } from "./lists.tsx";

function History(props: { ctx: ViewContext; events: ReviewEvent[] }) {
  const { ctx } = props;
  return (
    <ol class="qa-history">
      {props.events.map((e) => (
        <li class={`qa-event qa-event-${e.kind}`}>
          <p>
            <strong>{ctx.t(`qa.event.${e.kind}` as QaKey, { actor: e.actor_name ?? "?" })}</strong>
            {" · "}<time datetime={new Date(e.created_at).toISOString()}>{formatDateTime(e.created_at, ctx.lang, ctx.timeZone)}</time>
          </p>
          {e.text ? <blockquote>{e.text}</blockquote> : null}
          {e.data?.before ? <p class="muted">{ctx.t("qa.event.before", { score: scoreText(e.data.before.score) })}</p> : null}
        </li>
      ))}
    </ol>
  );
}

function ReasonForm(props: { ctx: ViewContext; action: string; name: string; label: string; button: string; error?: string | null }) {
  const id = `qa-${props.name}`;
  return (
    <form method="post" action={props.action} class="qa-reason-form">
      <input type="hidden" name="_csrf" value={props.ctx.csrf} />
      <label for={id}>{props.label}</label>
      <textarea id={id} name={props.name} rows={3} maxlength={5000} required aria-invalid={props.error ? "true" : undefined}></textarea>
      {props.error ? <small class="field-error" role="alert">{props.error}</small> : null}
      <button type="submit" class="primary">{props.button}</button>
    </form>
  );
}

export function ReviewDetail(props: { ctx: ViewContext; r: Review; events: ReviewEvent[]; notice?: string | null; nextHref?: string | null; error?: string | null }) {
  const { ctx, r } = props;
  const t = ctx.t;
  const isAgent = ctx.user.id === r.agent_id;
  const manager = isManager(ctx);
  return (
    <QaFrame ctx={ctx} title={t("qa.detail.title", { id: r.conversation_id })} tab={isAgent && !manager ? "mine" : "reviews"} notice={props.notice}>
      {props.nextHref ? <p><a class="button primary" href={props.nextHref} data-next-review="">{t("qa.review.next")} →</a></p> : null}
      <div class="qa-detail">
        <section class="qa-summary">
          <p class="qa-big-score" data-score={r.score === null ? "" : String(r.score)}>{scoreText(r.score)}</p>
          <p><span class={`qa-status qa-status-${r.status}`}>{t(`qa.status.${r.status}` as QaKey)}</span></p>
          <p>{t("qa.review.agent", { name: r.agent_name ?? "?" })}</p>
          <p class="muted">{t("qa.detail.by", { name: r.reviewer_name ?? "?", date: formatDateTime(r.created_at, ctx.lang, ctx.timeZone) })}</p>
          <p class="muted">{t("qa.detail.scorecard", { name: r.scorecard_name ?? "?", v: r.scorecard_version })}</p>
          <p><a href={`/inbox/${r.conversation_id}`}>{t("qa.detail.open_conversation")} #{r.conversation_id}</a></p>
        </section>
        <section class="qa-scores-detail">
          <table class="table">
            <tbody>
              {r.criteria.map((c) => {
                const s = r.scores[c.id];
                return (
                  <tr data-criterion={c.id}>
                    <th scope="row">{c.name}<br /><small class="muted">{c.guidance}</small></th>
                    <td class="qa-score">{s?.score === null || s === undefined ? t("qa.review.na") : `${s.score}/${c.scale}`}</td>
                    <td>{s?.note || <span class="muted">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h2>{t("qa.review.overall")}</h2>
          <p class="qa-overall">{r.note || <span class="muted">{t("qa.detail.no_note")}</span>}</p>
        </section>
      </div>

      {isAgent && agentMayRespond(r.status) ? (
        <section class="qa-respond" aria-label={t("qa.detail.dispute")}>
          <form method="post" action={`/qa/reviews/${r.id}/acknowledge`} class="inline-form">
            <input type="hidden" name="_csrf" value={ctx.csrf} />
            <button type="submit" class="primary">{t("qa.detail.acknowledge")}</button>
          </form>
          <details class="qa-dispute" open={props.error ? true : undefined}>
            <summary class="button">{t("qa.detail.dispute")}</summary>
            <ReasonForm ctx={ctx} action={`/qa/reviews/${r.id}/dispute`} name="reason" label={t("qa.detail.dispute_reason")} button={t("qa.detail.send_dispute")} error={props.error} />
          </details>
        </section>
      ) : null}

      {manager && !isAgent ? (
        <section class="qa-manage">
          <p><a class="button" href={`/qa/reviews/${r.id}/edit`}>{t("qa.detail.rescore")}</a></p>
          {r.status === "disputed" ? (
            <div class="qa-answer">
              <h2>{t("qa.detail.answer")}</h2>
              <p class="hint">{t("qa.detail.answer_hint")}</p>
              <ReasonForm ctx={ctx} action={`/qa/reviews/${r.id}/answer`} name="text" label={t("qa.detail.answer_text")} button={t("qa.detail.send_answer")} error={props.error} />
            </div>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="qa-history-title">
        <h2 id="qa-history-title">{t("qa.detail.history")}</h2>
        <History ctx={ctx} events={props.events} />
      </section>
    </QaFrame>
  );
}
