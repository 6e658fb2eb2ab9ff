// /api/v1/qa: scorecards (admins), the review queue and reviews (admins and supervisors), and
// the reviewed agent's own reviews with their acknowledge and dispute.
import { Hono } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { requireRole } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { REVIEW_STATUSES, type Scores } from "../../../domain/qa.ts";
import { listScorecards, scorecardById, saveScorecard, scorecardInputSchema, qaSettings, qaSettingsSchema, saveQaSettings, type Scorecard } from "../../../store/qa-scorecards.ts";
import { openQueue, queueItem, sample, skipQueueItem, type QueueItem } from "../../../store/qa-queue.ts";
import { listReviews, reviewEvents, respondToReview, type Review } from "../../../store/qa-reviews.ts";
import { visibleReview, submitReview, changeReview } from "../../quality-reviews.ts";
import { suggestScores } from "../../../pipeline/qa-suggest.ts";
import { DEFAULT_TIME_ZONE } from "../../view-context.ts";
import { idParam, readJson, pageById, patchOf, pageLimit, cursorAfterId, idCursor, optionalId } from "./input.ts";
import { iso, sid } from "./present.ts";

const presentScorecard = (s: Scorecard) => ({
  id: sid(s.id), name: s.name, description: s.description, status: s.status, version: s.version, criteria: s.criteria,
  created_at: iso(s.created_at), updated_at: iso(s.updated_at),
});

const presentQueueItem = (q: QueueItem) => ({
  id: sid(q.id), conversation_id: sid(q.conversation_id), agent_id: sid(q.agent_id), agent_name: q.agent_name, reason: q.reason,
  week_start: iso(q.week_start), subject: q.subject, contact_name: q.contact_name, channel_id: sid(q.channel_id), resolved_at: iso(q.resolved_at), created_at: iso(q.created_at),
});

export function presentReview(r: Review, history?: ReturnType<typeof reviewEvents>) {
  return {
    id: sid(r.id), conversation_id: sid(r.conversation_id), agent_id: sid(r.agent_id), agent_name: r.agent_name,
    reviewer_id: sid(r.reviewer_id), reviewer_name: r.reviewer_name,
    scorecard: { id: sid(r.scorecard_id), name: r.scorecard_name, version: r.scorecard_version },
    criteria: r.criteria, scores: r.scores, note: r.note, score: r.score, status: r.status,
    created_at: iso(r.created_at), updated_at: iso(r.updated_at),
    ...(history ? { history: history.map((e) => ({ kind: e.kind, actor_id: sid(e.actor_id), actor_name: e.actor_name, text: e.text, before: e.data?.before ?? null, created_at: iso(e.created_at) })) } : {}),
  };
}

const id = z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number);
const scoresSchema = z.record(z.string().max(40), z.object({ score: z.number().int().nullable(), note: z.string().trim().max(2000).default("") }));
const reviewSchema = z.object({ conversation_id: id, scorecard_id: id, scores: scoresSchema, note: z.string().trim().max(5000).default("") });
const changeSchema = z.object({ scores: scoresSchema.optional(), note: z.string().trim().max(5000).optional() });
const answerSchema = z.object({ text: z.string().trim().min(1, "must not be empty").max(5000), scores: scoresSchema.optional() });
const disputeSchema = z.object({ reason: z.string().trim().min(1, "must say why").max(5000) });

export function qaRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const db = pano.store.sqlite;
  const admin = requireRole("admin");
  const managers = requireRole("admin", "supervisor");

  app.get("/scorecards", managers, (c) => c.json(pageById(c, listScorecards(db).map(presentScorecard), (s) => Number(s.id))));
  app.get("/scorecards/:id", managers, (c) => {
    const s = scorecardById(db, idParam(c));
    if (!s) throw new PanoError("not_found", "Scorecard not found");
    return c.json(presentScorecard(s));
  });
  app.post("/scorecards", admin, async (c) => {
    const body = await readJson(c, scorecardInputSchema);
    return c.json(presentScorecard(await saveScorecard(db, pano.writer, body, null, c.get("user").id)), 201);
  });
  app.patch("/scorecards/:id", admin, async (c) => {
    const cur = scorecardById(db, idParam(c));
    if (!cur) throw new PanoError("not_found", "Scorecard not found");
    const patch = await readJson(c, patchOf(scorecardInputSchema));
    const merged = { name: cur.name, description: cur.description, status: cur.status, criteria: cur.criteria, ...patch };
    return c.json(presentScorecard(await saveScorecard(db, pano.writer, merged, cur.id, c.get("user").id)));
  });

  app.get("/settings", managers, (c) => c.json(qaSettings(db)));
  app.put("/settings", admin, async (c) => {
    const body = await readJson(c, qaSettingsSchema);
    await saveQaSettings(pano.writer, body, c.get("user").id);
    return c.json(qaSettings(db));
  });

  // Reading the queue first adds what the sampling rules ask for since the last look.
  app.get("/queue", managers, async (c) => {
    await sample(pano.writer, qaSettings(db), DEFAULT_TIME_ZONE);
    const limit = pageLimit(c);
    const offset = cursorAfterId(c) ?? 0;
    const rows = openQueue(db, { agentId: optionalId(c.req.query("agent_id"), "agent_id") }, limit + 1, offset);
    return c.json({ data: rows.slice(0, limit).map(presentQueueItem), next_cursor: rows.length > limit ? idCursor(offset + limit) : null });
  });
  app.post("/queue/:id/skip", managers, async (c) => {
    const item = queueItem(db, idParam(c));
    if (!item) throw new PanoError("not_found", "Queue item not found");
    if (!(await skipQueueItem(pano.writer, item.id))) throw new PanoError("conflict", `This item is already ${item.status}`);
    return c.body(null, 204);
  });

  // Managers list everyone's (agent_id narrows); an agent lists their own and no one else's.
  app.get("/reviews", (c) => {
    const user = c.get("user");
    const status = c.req.query("status");
    if (status !== undefined && !(REVIEW_STATUSES as readonly string[]).includes(status)) throw new PanoError("validation_failed", `status: one of ${REVIEW_STATUSES.join(", ")}`, "status");
    let agentId = optionalId(c.req.query("agent_id"), "agent_id");
    if (user.role === "agent") {
      if (agentId !== undefined && agentId !== user.id) throw new PanoError("forbidden", "Agents see only their own reviews");
      agentId = user.id;
    }
    const limit = pageLimit(c);
    const rows = listReviews(db, { agentId, status: status as Review["status"] | undefined, beforeId: cursorAfterId(c) ?? undefined }, limit);
    const page = rows.slice(0, limit);
    return c.json({ data: page.map((r) => presentReview(r)), next_cursor: rows.length > limit ? idCursor(page[page.length - 1].id) : null });
  });
  app.get("/reviews/:id", (c) => {
    const r = visibleReview(pano, c.get("user"), idParam(c));
    return c.json(presentReview(r, reviewEvents(db, r.id)));
  });
  app.post("/reviews", managers, async (c) => {
    const body = await readJson(c, reviewSchema);
    const r = await submitReview(pano, c.get("user"), { conversationId: body.conversation_id, scorecardId: body.scorecard_id, scores: body.scores as Scores, note: body.note });
    return c.json(presentReview(r, reviewEvents(db, r.id)), 201);
  });
  app.patch("/reviews/:id", managers, async (c) => {
    const r = visibleReview(pano, c.get("user"), idParam(c));
    const body = await readJson(c, changeSchema);
    const changed = await changeReview(pano, c.get("user"), r, { scores: body.scores as Scores | undefined, note: body.note });
    return c.json(presentReview(changed, reviewEvents(db, r.id)));
  });
  app.post("/reviews/:id/answer", managers, async (c) => {
    const r = visibleReview(pano, c.get("user"), idParam(c));
    const body = await readJson(c, answerSchema);
    const changed = await changeReview(pano, c.get("user"), r, { scores: body.scores as Scores | undefined, answer: body.text });
    return c.json(presentReview(changed, reviewEvents(db, r.id)));
  });
  app.post("/reviews/:id/acknowledge", async (c) => {
    const r = visibleReview(pano, c.get("user"), idParam(c));
    await respondToReview(pano.writer, r, c.get("user").id, { kind: "acknowledged" });
    return c.json(presentReview(visibleReview(pano, c.get("user"), r.id), reviewEvents(db, r.id)));
  });
  app.post("/reviews/:id/dispute", async (c) => {
    const r = visibleReview(pano, c.get("user"), idParam(c));
    const body = await readJson(c, disputeSchema);
    await respondToReview(pano.writer, r, c.get("user").id, { kind: "disputed", reason: body.reason });
    return c.json(presentReview(visibleReview(pano, c.get("user"), r.id), reviewEvents(db, r.id)));
  });

  // A suggestion from the LLM (PANO_LLM_URL) for the reviewer to accept or change; nothing is stored.
  app.post("/suggestions", managers, async (c) => {
    const body = await readJson(c, z.object({ conversation_id: id, scorecard_id: id }));
    return c.json(await suggestScores(pano, body.conversation_id, body.scorecard_id));
  });
  return app;
}
