// The review screen: the conversation's whole timeline beside the scorecard. Keyboard-first
// (public/qa.js): digits score the selected criterion, N marks it not applicable, arrows or J/K
// move, C opens its note, Ctrl+Enter saves. The weighted score is recomputed by the server as
// scores change (htmx), so the page and the saved review use one formula.
import type { ViewContext } from "../context.ts";
import { Items, OlderSentinel, type TimelineItem } from "../conversation/timeline.tsx";
import type { Criterion } from "../../src/domain/qa.ts";
import { QaFrame, scoreText } from "./lists.tsx";

export interface ReviewFormValues {
  /** Per criterion id: "0".."9", "na" or "" (not scored yet). */
  scores: Record<string, string>;
  notes: Record<string, string>;
  note: string;
}

export interface ReviewScreenData {
  title: string;
  action: string;
  conversationId: number;
  contactName: string | null;
  agentName: string | null;
  scorecards: { id: number; name: string }[];
  scorecardId: number | null;
  /** Rescoring a review keeps its own criteria; the scorecard cannot be changed then. */
  reviewId: number | null;
  criteria: Criterion[];
  values: ReviewFormValues;
  score: number | null;
  formError?: string | null;
  /** PANO_LLM_URL is set: offer suggestions. */
  canSuggest: boolean;
  items: TimelineItem[];
  olderBefore: number | null;
}

export function ScoreTotal(props: { ctx: ViewContext; score: number | null; done: number; all: number }) {
  return (
    <output id="qa-total" class="qa-total" aria-live="polite" for="qa-form">
      <span class="qa-total-label">{props.ctx.t("qa.review.total")}</span>
      <strong data-score={props.score === null ? "" : String(props.score)}>{scoreText(props.score)}</strong>
      <span class="muted">{props.ctx.t("qa.review.scored", { done: props.done, all: props.all })}</span>
    </output>
  );
}

export const scoredCount = (values: ReviewFormValues, criteria: Criterion[]) => criteria.filter((c) => (values.scores[c.id] ?? "") !== "").length;

function CriterionField(props: { ctx: ViewContext; c: Criterion; index: number; value: string; note: string }) {
  const { ctx, c } = props;
  const t = ctx.t;
  const name = `score.${c.id}`;
  const choices = [...Array.from({ length: c.scale + 1 }, (_, i) => String(i)), "na"];
  return (
    <fieldset class="qa-criterion" tabindex={-1} data-criterion={c.id} data-scale={String(c.scale)} aria-describedby={`qa-guide-${props.index}`}>
      <legend>
        <span class="qa-criterion-name">{props.index + 1}. {c.name}</span>
        <span class="muted"> · {t("qa.review.weight", { w: c.weight })} · {t("qa.review.scale", { n: c.scale })}</span>
        {c.critical ? <span class="qa-critical" title={t("qa.review.critical")}>{t("qa.review.critical")}</span> : null}
      </legend>
      <p class="qa-guidance" id={`qa-guide-${props.index}`}>{c.guidance}</p>
      <div class="qa-choices" role="radiogroup" aria-label={c.name}>
        {choices.map((v) => (
          <label class={v === "na" ? "qa-choice qa-na" : "qa-choice"}>
            <input type="radio" name={name} value={v} checked={props.value === v} />
            <span>{v === "na" ? t("qa.review.na") : v}</span>
          </label>
        ))}
      </div>
      <p class="qa-suggestion" data-suggestion-for={c.id} hidden></p>
      <label class="visually-hidden" for={`qa-note-${props.index}`}>{t("qa.review.note_for", { name: c.name })}</label>
      <textarea id={`qa-note-${props.index}`} class="qa-note" name={`note.${c.id}`} rows={1} maxlength={2000} placeholder={t("qa.review.note_for", { name: c.name })}>{props.note}</textarea>
    </fieldset>
  );
}

export function ReviewScreen(props: { ctx: ViewContext; d: ReviewScreenData }) {
  const { ctx, d } = props;
  const t = ctx.t;
  return (
    <QaFrame ctx={ctx} title={d.title} bodyClass="qa-review-page">
      <div class="qa-review">
        <section class="qa-timeline" aria-label={t("qa.review.timeline")}>
          <h2>{t("qa.review.timeline")} · {d.contactName ?? "?"}</h2>
          <div class="timeline qa-timeline-items">
            <OlderSentinel ctx={ctx} conversationId={d.conversationId} beforeId={d.olderBefore} />
            <Items ctx={ctx} items={d.items} conversationId={d.conversationId} />
          </div>
        </section>
        <section class="qa-card" aria-label={t("qa.review.scorecard")}>
          {d.reviewId === null && d.scorecards.length > 1 ? (
            <form method="get" action={`/qa/conversations/${d.conversationId}`} class="qa-pick">
              <label for="qa-scorecard">{t("qa.review.scorecard")}</label>
              <select id="qa-scorecard" name="scorecard" data-autosubmit="">
                {d.scorecards.map((s) => <option value={String(s.id)} selected={s.id === d.scorecardId}>{s.name}</option>)}
              </select>
              <button type="submit" class="js-hidden">{t("qa.review.change_scorecard")}</button>
            </form>
          ) : null}
          <p class="qa-agent">{d.agentName ? t("qa.review.agent", { name: d.agentName }) : t("qa.review.no_agent")}</p>
          <p class="hint qa-keys">{t("qa.review.keys")}</p>
          {d.formError ? <p class="form-error" role="alert">{d.formError}</p> : null}
          <form id="qa-form" method="post" action={d.action} hx-post="/qa/preview" hx-trigger="change" hx-target="#qa-total" hx-swap="outerHTML" novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrf} />
            <input type="hidden" name="scorecard_id" value={d.scorecardId === null ? "" : String(d.scorecardId)} />
            {d.reviewId !== null ? <input type="hidden" name="review_id" value={String(d.reviewId)} /> : null}
            {d.criteria.map((c, i) => <CriterionField ctx={ctx} c={c} index={i} value={d.values.scores[c.id] ?? ""} note={d.values.notes[c.id] ?? ""} />)}
            <label for="qa-overall">{t("qa.review.overall")}</label>
            <textarea id="qa-overall" name="note" rows={3} maxlength={5000}>{d.values.note}</textarea>
            <div class="qa-save">
              <ScoreTotal ctx={ctx} score={d.score} done={scoredCount(d.values, d.criteria)} all={d.criteria.length} />
              <button type="submit" class="primary" aria-keyshortcuts="Control+Enter">{t("qa.review.save")}</button>
            </div>
          </form>
          {d.canSuggest ? (
            <div class="qa-suggest">
              <button type="button" hx-post="/qa/suggest" hx-vals={JSON.stringify({ conversation_id: String(d.conversationId), scorecard_id: String(d.scorecardId ?? "") })} hx-target="#qa-suggestions" hx-swap="innerHTML">
                {t("qa.review.suggest")}
              </button>
              <p class="hint">{t("qa.review.suggest_hint")}</p>
              <div id="qa-suggestions" aria-live="polite"></div>
            </div>
          ) : null}
        </section>
      </div>
    </QaFrame>
  );
}

/** The LLM's suggestions: qa.js places each beside its criterion; accepting fills the radios (still unsaved). */
export function Suggestions(props: { ctx: ViewContext; criteria: Criterion[]; suggestions: Record<string, { score: number | null; reason: string }> }) {
  const { ctx } = props;
  return (
    <div class="qa-suggestion-list" data-suggestions="">
      <ul>
        {props.criteria.filter((c) => props.suggestions[c.id]).map((c) => {
          const s = props.suggestions[c.id];
          const v = s.score === null ? "na" : String(s.score);
          return (
            <li data-criterion={c.id} data-value={v}>
              <strong>{c.name}</strong>: {ctx.t("qa.review.suggested", { score: s.score === null ? ctx.t("qa.review.na") : `${s.score}/${c.scale}`, reason: s.reason })}
            </li>
          );
        })}
      </ul>
      <button type="button" data-accept-suggestions="">{ctx.t("qa.review.accept")}</button>
    </div>
  );
}
