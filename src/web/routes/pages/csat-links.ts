// The links of an emailed survey (docs/csat.md), public: GET /csat/rate records the rating of a
// signed, unexpired, unused link of the right conversation and offers a comment form; POST
// /csat/comment takes that comment once; GET /csat/stop asks and its button (POST /csat/stop)
// stops surveys to the customer. A forged, expired, reused or other-conversation link records
// nothing and says so.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import { anonymousViewContext } from "../../view-context.ts";
import { translator, type CsatKey } from "../../../../views/i18n/index.ts";
import { SurveyLinkPage } from "../../../../views/csat/link-page.tsx";
import { readLink, linkQuery, type LinkPurpose } from "../../../store/csat-links.ts";
import { surveyById, spendSurveyLink, answerSurvey, commentSurvey, stopSurveys } from "../../../store/csat.ts";
import { MAX_COMMENT } from "../../../domain/csat.ts";

const REFUSAL: Record<string, { key: CsatKey; status: 400 | 404 | 409 | 410 }> = {
  forged: { key: "csat.page.forged", status: 400 },
  expired: { key: "csat.page.expired", status: 410 },
  other_conversation: { key: "csat.page.other_conversation", status: 400 },
  used: { key: "csat.page.used", status: 409 },
};

export function csatLinkPages(pano: Pano) {
  const app = new Hono();
  const db = pano.store.sqlite;
  const conversationOf = (id: number) => surveyById(db, id)?.conversation_id ?? null;

  const page = (c: Context, say: { key: CsatKey; vars?: Record<string, string | number>; ok: boolean }, status: 200 | 400 | 404 | 409 | 410 | 422, surveyId?: number, comment?: Record<string, string> | null, stop?: Record<string, string> | null) => {
    const base = anonymousViewContext(c);
    // The survey's own language, whatever the browser says.
    const lang = surveyId ? surveyById(db, surveyId)?.language ?? base.lang : base.lang;
    const ctx = { ...base, lang, t: translator(lang) };
    c.header("cache-control", "no-store");
    c.header("referrer-policy", "no-referrer");
    return c.html(SurveyLinkPage({ ctx, say, comment, stop }), status);
  };

  const check = (c: Context, purpose: LinkPurpose, q: (n: string) => string | undefined) => readLink(db, purpose, q, conversationOf, Date.now());

  app.get("/rate", async (c) => {
    const v = check(c, "rate", (n) => c.req.query(n));
    if (!v.ok) return page(c, { key: REFUSAL[v.reason].key, ok: false }, REFUSAL[v.reason].status);
    if (v.rating < 1 || v.rating > 5) return page(c, { key: "csat.page.out_of_range", ok: false }, 422, v.surveyId);
    const done = await pano.writer.submit((tx) => spendSurveyLink(tx, v.surveyId) && answerSurvey(tx, v.surveyId, v.rating, null, "link"));
    if (!done) return page(c, { key: "csat.page.used", ok: false }, 409, v.surveyId);
    const s = surveyById(db, v.surveyId)!;
    const form = Object.fromEntries(new URLSearchParams(linkQuery(db, "comment", s.conversation_id, s.id, v.rating, v.expires)));
    return page(c, { key: "csat.page.thanks", vars: { n: v.rating }, ok: true }, 200, v.surveyId, form);
  });

  app.post("/comment", async (c) => {
    const body = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    const field = (n: string) => (typeof body[n] === "string" ? (body[n] as string) : undefined);
    const v = check(c, "comment", field);
    if (!v.ok) return page(c, { key: REFUSAL[v.reason].key, ok: false }, REFUSAL[v.reason].status);
    const text = (field("comment") ?? "").trim().slice(0, MAX_COMMENT);
    if (!text) return page(c, { key: "csat.page.thanks", vars: { n: v.rating }, ok: true }, 200, v.surveyId);
    const s = surveyById(db, v.surveyId);
    if (s?.comment) return page(c, { key: "csat.page.comment_closed", ok: false }, 409, v.surveyId);
    const ok = await pano.writer.submit((tx) => commentSurvey(tx, v.surveyId, text));
    return ok ? page(c, { key: "csat.page.comment_thanks", ok: true }, 200, v.surveyId) : page(c, { key: "csat.page.forged", ok: false }, 400);
  });

  // Opening the stop link only asks: mail scanners open every link of a mail before the customer
  // does, and one must not end the customer's surveys. The button's POST does.
  app.get("/stop", (c) => {
    const v = check(c, "stop", (n) => c.req.query(n));
    if (!v.ok) return page(c, { key: REFUSAL[v.reason].key, ok: false }, REFUSAL[v.reason].status);
    const fields = Object.fromEntries(["c", "s", "r", "e", "sig"].map((n) => [n, c.req.query(n) ?? ""]));
    return page(c, { key: "csat.page.stop_confirm", ok: true }, 200, v.surveyId, null, fields);
  });

  app.post("/stop", async (c) => {
    const body = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    const v = check(c, "stop", (n) => (typeof body[n] === "string" ? (body[n] as string) : undefined));
    if (!v.ok) return page(c, { key: REFUSAL[v.reason].key, ok: false }, REFUSAL[v.reason].status);
    const s = surveyById(db, v.surveyId)!;
    await pano.writer.submit((tx) => stopSurveys(tx, s.contact_id, s.conversation_id, "link"));
    return page(c, { key: "csat.page.stopped", ok: true }, 200, v.surveyId);
  });

  return app;
}
