// The review screen (/qa/conversations/:id, and /qa/reviews/:id/edit to rescore), the live score
// as the reviewer types, LLM suggestions, and one review's page with the agent's acknowledge or
// dispute and the manager's answer. Reviews exist only for admins, supervisors and the agent reviewed.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { MiddlewareHandler } from "hono";
import { pageErrorHandler, joinHtml, renderError, type PageEnv } from "../../view-context.ts";
import { PanoError } from "../../../domain/errors.ts";
import { mayReview, weightedScore, type Criterion, type Scores } from "../../../domain/qa.ts";
import { getConversation, type ConversationRow } from "../../../store/conversations.ts";
import { contactName } from "../../../store/contacts.ts";
import { listScorecards, scorecardById } from "../../../store/qa-scorecards.ts";
import { conversationAgent, nextInQueue } from "../../../store/qa-queue.ts";
import { reviewEvents, reviewOfConversation, respondToReview, type Review } from "../../../store/qa-reviews.ts";
import { visibleReview, submitReview, changeReview } from "../../quality-reviews.ts";
import { suggestScores } from "../../../pipeline/qa-suggest.ts";
import { timelinePage } from "./conversation-data.ts";
import { readForm, text, type FormValues } from "./settings-form.ts";
import { ReviewScreen, ScoreTotal, Suggestions, scoredCount, type ReviewFormValues, type ReviewScreenData } from "../../../../views/qa/review-screen.tsx";
import { ReviewDetail } from "../../../../views/qa/review-detail.tsx";
import { QaMessagePage } from "../../../../views/qa/lists.tsx";

/** Admins and supervisors only; an agent meets a plain refusal page. */
export const managersOnly: MiddlewareHandler<PageEnv> = async (c, next) => {
  const view = c.get("view");
  if (!mayReview(view.user.role)) return renderError(c, view, 403, view.t("error.forbidden"));
  await next();
};

/** The form's scores: per criterion "0".."9", "na" (not applicable) or nothing yet. */
function readScores(f: FormValues, criteria: Criterion[]): { values: ReviewFormValues; scores: Scores; missing: Criterion[] } {
  const values: ReviewFormValues = { scores: {}, notes: {}, note: text(f, "note") };
  const scores: Scores = {};
  const missing: Criterion[] = [];
  for (const c of criteria) {
    const v = text(f, `score.${c.id}`);
    values.scores[c.id] = v;
    values.notes[c.id] = text(f, `note.${c.id}`);
    const n = Number(v);
    if (v === "na") scores[c.id] = { score: null, note: values.notes[c.id] };
    else if (/^\d$/.test(v) && n <= c.scale) scores[c.id] = { score: n, note: values.notes[c.id] };
    else missing.push(c);
  }
  return { values, scores, missing };
}

const valuesOf = (r: Review): ReviewFormValues => ({
  note: r.note,
  scores: Object.fromEntries(r.criteria.map((c) => [c.id, r.scores[c.id]?.score === null ? "na" : String(r.scores[c.id]?.score ?? "")])),
  notes: Object.fromEntries(r.criteria.map((c) => [c.id, r.scores[c.id]?.note ?? ""])),
});

const NOTICES = { saved: "qa.review.saved", acknowledged: "qa.notice.acknowledged", disputed: "qa.notice.disputed", answered: "qa.notice.answered" } as const;

export function qaReviewPages(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  app.onError(pageErrorHandler(pano));

  const conversationOr404 = (c: Context<PageEnv>): ConversationRow => {
    const conv = getConversation(db, Number(c.req.param("id")));
    if (!conv) throw new PanoError("not_found", "Conversation not found");
    return conv;
  };
  const reviewOr404 = (c: Context<PageEnv>) => visibleReview(pano, c.get("user"), Number(c.req.param("id")));

  /** The screen for a new review (`review` null) or a rescore, with what the reviewer has entered so far. */
  const screen = (c: Context<PageEnv>, conv: ConversationRow, r: Review | null, values: ReviewFormValues | null, formError: string | null = null, status: 200 | 422 = 200) => {
    const view = c.get("view");
    const cards = listScorecards(db, { activeOnly: true });
    const wanted = Number(c.req.query("scorecard"));
    const card = r ? null : cards.find((s) => s.id === wanted) ?? cards[0] ?? null;
    const criteria = r ? r.criteria : card?.criteria ?? [];
    if (!r && !card) return c.html(QaMessagePage({ ctx: view, title: view.t("qa.review.title", { id: conv.id }), message: view.t("qa.review.no_scorecard") }), status);
    const v = values ?? (r ? valuesOf(r) : { scores: {}, notes: {}, note: "" });
    const agentId = r ? r.agent_id : conversationAgent(db, conv.id);
    const page = timelinePage(pano, conv, view.lang, null);
    const d: ReviewScreenData = {
      title: view.t(r ? "qa.review.rescore_title" : "qa.review.title", { id: conv.id }),
      action: r ? `/qa/reviews/${r.id}/edit` : `/qa/conversations/${conv.id}`,
      conversationId: conv.id, contactName: contactName(db, conv.contact_id),
      agentName: agentId === null ? null : pano.users.byId(agentId)?.name ?? `#${agentId}`,
      scorecards: cards.map((s) => ({ id: s.id, name: s.name })), scorecardId: r ? r.scorecard_id : card!.id, reviewId: r?.id ?? null,
      criteria, values: v, score: weightedScore(criteria, readScores(formOf(v), criteria).scores),
      formError: formError ?? (agentId !== null && agentId === view.user.id ? view.t("qa.review.own") : null),
      canSuggest: !!pano.config.llmUrl, items: page.items, olderBefore: page.olderBefore,
    };
    return c.html(ReviewScreen({ ctx: view, d }), status);
  };

  app.get("/conversations/:id{[0-9]+}", managersOnly, (c) => {
    const conv = conversationOr404(c);
    const done = reviewOfConversation(db, conv.id);
    if (done) return c.redirect(`/qa/reviews/${done.id}`, 302);
    return screen(c, conv, null, null);
  });

  app.post("/conversations/:id{[0-9]+}", managersOnly, async (c) => {
    const conv = conversationOr404(c);
    const f = await readForm(c);
    const card = scorecardById(db, Number(text(f, "scorecard_id")));
    if (!card) throw new PanoError("validation_failed", "scorecard_id: no such scorecard");
    const { values, scores, missing } = readScores(f, card.criteria);
    const t = c.get("view").t;
    if (missing.length) return screen(c, conv, null, values, t("qa.review.missing", { names: missing.map((m) => m.name).join(", ") }), 422);
    try {
      const r = await submitReview(pano, c.get("user"), { conversationId: conv.id, scorecardId: card.id, scores, note: values.note });
      return c.redirect(`/qa/reviews/${r.id}?notice=saved`, 303);
    } catch (err) {
      if (err instanceof PanoError && (err.code === "validation_failed" || err.code === "conflict")) return screen(c, conv, null, values, err.message, 422);
      throw err;
    }
  });

  app.get("/reviews/:id{[0-9]+}/edit", managersOnly, (c) => {
    const r = reviewOr404(c);
    return screen(c, getConversation(db, r.conversation_id)!, r, null);
  });
  app.post("/reviews/:id{[0-9]+}/edit", managersOnly, async (c) => {
    const r = reviewOr404(c);
    const { values, scores, missing } = readScores(await readForm(c), r.criteria);
    if (missing.length) return screen(c, getConversation(db, r.conversation_id)!, r, values, c.get("view").t("qa.review.missing", { names: missing.map((m) => m.name).join(", ") }), 422);
    await changeReview(pano, c.get("user"), r, { scores, note: values.note });
    return c.redirect(`/qa/reviews/${r.id}?notice=saved`, 303);
  });

  // The score as the reviewer changes it (htmx, on every change in the form): the same formula as the saved review.
  app.post("/preview", managersOnly, async (c) => {
    const f = await readForm(c);
    const reviewId = text(f, "review_id");
    const criteria = reviewId ? visibleReview(pano, c.get("user"), Number(reviewId)).criteria : scorecardById(db, Number(text(f, "scorecard_id")))?.criteria;
    if (!criteria) throw new PanoError("not_found", "Scorecard not found");
    const { values, scores } = readScores(f, criteria);
    return c.html(joinHtml(ScoreTotal({ ctx: c.get("view"), score: weightedScore(criteria, scores), done: scoredCount(values, criteria), all: criteria.length })));
  });

  app.post("/suggest", managersOnly, async (c) => {
    const f = await readForm(c);
    const view = c.get("view");
    const card = scorecardById(db, Number(text(f, "scorecard_id")));
    if (!card) throw new PanoError("not_found", "Scorecard not found");
    try {
      const { suggestions } = await suggestScores(pano, Number(text(f, "conversation_id")), card.id);
      return c.html(joinHtml(Suggestions({ ctx: view, criteria: card.criteria, suggestions })));
    } catch (err) {
      if (!(err instanceof PanoError)) throw err;
      return renderError(c, view, 422, view.t("qa.review.suggest_failed", { reason: err.message }));
    }
  });

  app.get("/reviews/:id{[0-9]+}", (c) => {
    const r = reviewOr404(c);
    const view = c.get("view");
    const n = c.req.query("notice") ?? "";
    const notice = n in NOTICES ? view.t(NOTICES[n as keyof typeof NOTICES]) : null;
    const next = n === "saved" && r.reviewer_id === view.user.id ? nextInQueue(db, r.conversation_id) : null;
    return c.html(ReviewDetail({ ctx: view, r, events: reviewEvents(db, r.id), notice, nextHref: next ? `/qa/conversations/${next.conversation_id}` : null }));
  });

  const detailWithError = (c: Context<PageEnv>, r: Review, error: string) => c.html(ReviewDetail({ ctx: c.get("view"), r, events: reviewEvents(db, r.id), error }), 422);

  app.post("/reviews/:id{[0-9]+}/acknowledge", async (c) => {
    const r = reviewOr404(c);
    await respondToReview(pano.writer, r, c.get("user").id, { kind: "acknowledged" });
    return c.redirect(`/qa/reviews/${r.id}?notice=acknowledged`, 303);
  });
  app.post("/reviews/:id{[0-9]+}/dispute", async (c) => {
    const r = reviewOr404(c);
    const reason = text(await readForm(c), "reason");
    if (!reason) return detailWithError(c, r, c.get("view").t("qa.detail.reason_required"));
    await respondToReview(pano.writer, r, c.get("user").id, { kind: "disputed", reason: reason.slice(0, 5000) });
    return c.redirect(`/qa/reviews/${r.id}?notice=disputed`, 303);
  });
  app.post("/reviews/:id{[0-9]+}/answer", managersOnly, async (c) => {
    const r = reviewOr404(c);
    const answer = text(await readForm(c), "text");
    if (!answer) return detailWithError(c, r, c.get("view").t("qa.detail.reason_required"));
    await changeReview(pano, c.get("user"), r, { answer: answer.slice(0, 5000) });
    return c.redirect(`/qa/reviews/${r.id}?notice=answered`, 303);
  });
  return app;
}

/** The form fields a set of values would post (so the first render's score uses readScores too). */
function formOf(v: ReviewFormValues): FormValues {
  return { note: v.note, ...Object.fromEntries(Object.entries(v.scores).map(([k, s]) => [`score.${k}`, s])), ...Object.fromEntries(Object.entries(v.notes).map(([k, s]) => [`note.${k}`, s])) };
}
