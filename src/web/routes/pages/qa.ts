// /qa: quality reviews for people. Managers (admins, supervisors) get the review queue, every
// review, the disputes and the scores per agent and week; every user gets their own reviews
// (/qa/mine). The review screen and a review's page are in qa-review.ts.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import { pageErrorHandler, pageSession, DEFAULT_TIME_ZONE, type PageEnv } from "../../view-context.ts";
import { mayReview, REVIEW_STATUSES, weekStart, averageScore, type ReviewStatus } from "../../../domain/qa.ts";
import { zoneOffsetMinutes } from "../../../domain/report-series.ts";
import { qaSettings } from "../../../store/qa-scorecards.ts";
import { openQueue, queueItem, sample, skipQueueItem } from "../../../store/qa-queue.ts";
import { listReviews, qaFacts } from "../../../store/qa-reviews.ts";
import { groupBy } from "../../../domain/reports.ts";
import { QueuePage, ReviewsPage, ScoresPage, type AgentWeeks } from "../../../../views/qa/lists.tsx";
import { qaReviewPages, managersOnly } from "./qa-review.ts";

const PAGE = 50;
const WEEK = 7 * 86400_000;
const TREND_WEEKS = 8;

export function qaPages(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  app.onError(pageErrorHandler(pano));
  app.use("*", pageSession(pano));

  app.get("/", (c) => c.redirect(mayReview(c.get("view").user.role) ? "/qa/queue" : "/qa/mine", 302));

  app.get("/queue", managersOnly, async (c) => {
    const settings = qaSettings(db);
    await sample(pano.writer, settings, DEFAULT_TIME_ZONE);
    const notice = c.req.query("notice") === "skipped" ? c.get("view").t("qa.queue.skipped") : null;
    return c.html(QueuePage({ ctx: c.get("view"), items: openQueue(db, {}, 200), perAgentWeek: settings.per_agent_week, notice }));
  });
  app.post("/queue/:id{[0-9]+}/skip", managersOnly, async (c) => {
    const item = queueItem(db, Number(c.req.param("id")));
    if (item) await skipQueueItem(pano.writer, item.id);
    return c.redirect("/qa/queue?notice=skipped", 303);
  });

  const reviewList = (tab: "reviews" | "disputes" | "mine", f: { agentId?: number; status?: ReviewStatus }, before: number | undefined, base: string) => {
    const rows = listReviews(db, { ...f, beforeId: before }, PAGE);
    const page = rows.slice(0, PAGE);
    const next = rows.length > PAGE ? `${base}${base.includes("?") ? "&" : "?"}before=${page[page.length - 1].id}` : null;
    return { reviews: page, tab, nextHref: next };
  };
  const before = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

  app.get("/reviews", managersOnly, (c) => {
    const q = c.req.query();
    const status = (REVIEW_STATUSES as readonly string[]).includes(q.status ?? "") ? (q.status as ReviewStatus) : undefined;
    const agentId = q.agent_id && /^\d+$/.test(q.agent_id) ? Number(q.agent_id) : undefined;
    const base = `/qa/reviews?${new URLSearchParams({ ...(status ? { status } : {}), ...(agentId ? { agent_id: String(agentId) } : {}) })}`;
    return c.html(ReviewsPage({ ctx: c.get("view"), ...reviewList(status === "disputed" ? "disputes" : "reviews", { status, agentId }, before(q.before), base) }));
  });
  app.get("/mine", (c) => c.html(ReviewsPage({ ctx: c.get("view"), ...reviewList("mine", { agentId: c.get("user").id }, before(c.req.query("before")), "/qa/mine") })));

  // The trend: each agent's average per local week, the last eight weeks.
  app.get("/scores", managersOnly, (c) => {
    const now = Date.now();
    const zone = c.get("view").timeZone;
    const thisWeek = weekStart(now, zoneOffsetMinutes(now, zone));
    const starts = Array.from({ length: TREND_WEEKS }, (_, i) => thisWeek - (TREND_WEEKS - 1 - i) * WEEK);
    const facts = qaFacts(db, { from: starts[0], to: now + 1 }, {});
    const names = new Map(pano.users.list().map((u) => [u.id, u.name]));
    const agents: AgentWeeks[] = [...groupBy(facts, (f) => f.agentId)].map(([agentId, fs]) => {
      const byWeek = groupBy(fs, (f) => weekStart(f.at, zoneOffsetMinutes(f.at, zone)));
      return {
        agentId, name: names.get(agentId) ?? `#${agentId}`, reviews: fs.length, average: averageScore(fs.map((f) => f.score)),
        weeks: starts.map((w) => ({ score: averageScore((byWeek.get(w) ?? []).map((f) => f.score)), reviews: byWeek.get(w)?.length ?? 0 })),
      };
    }).sort((a, b) => a.name.localeCompare(b.name, "vi"));
    return c.html(ScoresPage({ ctx: c.get("view"), weekStarts: starts, agents }));
  });

  app.route("/", qaReviewPages(pano));
  return app;
}
