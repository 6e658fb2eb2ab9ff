// Stories of QA reviews through the REST API: an admin defines a scorecard, a supervisor scores a
// conversation from the queue, the agent disputes, the supervisor answers and rescores (history
// kept), only admins, supervisors and the reviewed agent see the review, and the score reaches
// the report (summary, CSV, time series).
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { qaShop } from "./support/qa-shop.ts";

// Many calls per story on a loaded machine: wait for answers, never for the clock.
setDefaultTimeout(30_000);

let pano: PanoProcess;
let shop: Awaited<ReturnType<typeof qaShop>>;
let card: any;
let lansConv: string;
let review: any;

beforeAll(async () => {
  pano = await startPano();
  shop = await qaShop(pano);
  card = await shop.scorecard();
  lansConv = await shop.handled(shop.lan, ["Dạ chào chị, áo còn size M ạ", "Giá 250.000đ, shop giao trong 2 ngày ạ"]);
}, 60_000);
afterAll(async () => {
  await pano.stop();
});

const scores = (greeting: number | null, correct: number | null, tone: number | null, policy: number | null, note = "") => ({
  "chao-hoi": { score: greeting, note }, "thong-tin-chinh-xac": { score: correct, note: "" }, "giong-dieu": { score: tone, note: "" }, "tuan-thu-chinh-sach": { score: policy, note: "" },
});

test("an admin defines a scorecard: criteria get readable ids, weights, scales and guidance; bad input is refused by field", async () => {
  expect(card).toMatchObject({ name: "Chat bán hàng", status: "active", version: 1 });
  expect(card.criteria.map((c: any) => c.id)).toEqual(["chao-hoi", "thong-tin-chinh-xac", "giong-dieu", "tuan-thu-chinh-sach"]);
  expect(card.criteria[3]).toMatchObject({ weight: 2, scale: 1, critical: true, guidance: "Không hứa ngoài chính sách đổi trả" });

  const bad = await pano.api("/api/v1/qa/scorecards", { method: "POST", json: { name: "X", criteria: [{ name: "A", scale: 12 }] } });
  expect(bad.status).toBe(422);
  expect((await bad.json()).error).toMatchObject({ code: "validation_failed", field: "criteria.0.scale" });
  const empty = await pano.api("/api/v1/qa/scorecards", { method: "POST", json: { name: "X", criteria: [] } });
  expect((await empty.json()).error.field).toBe("criteria");
  // Only admins define scorecards.
  const bySupervisor = await shop.hoa.as("/api/v1/qa/scorecards", { method: "POST", json: { name: "X", criteria: [{ name: "A" }] } });
  expect(bySupervisor.status).toBe(403);
  expect((await bySupervisor.json()).error.code).toBe("forbidden");
});

test("the supervisor's queue holds the resolved conversation, credited to the agent who answered it", async () => {
  await pano.json("/api/v1/qa/settings", { method: "PUT", json: { per_agent_week: 3, complaints: true, low_csat: true } });
  const q = await (await shop.hoa.as("/api/v1/qa/queue")).json();
  const item = q.data.find((i: any) => i.conversation_id === lansConv);
  expect(item).toMatchObject({ agent_id: shop.lan.id, agent_name: "Lan", reason: "sample", contact_name: "Khách 1" });
  // Agents have no queue.
  expect((await shop.lan.as("/api/v1/qa/queue")).status).toBe(403);
});

test("the supervisor scores it: weighted score computed, a second review of the same conversation is a conflict", async () => {
  const off = await shop.hoa.as("/api/v1/qa/reviews", { method: "POST", json: { conversation_id: lansConv, scorecard_id: card.id, scores: { ...scores(4, 5, 4, 1), "giong-dieu": { score: 6, note: "" } } } });
  expect(off.status).toBe(422);
  expect((await off.json()).error.field).toBe("scores.giong-dieu.score");
  const missing = await shop.hoa.as("/api/v1/qa/reviews", { method: "POST", json: { conversation_id: lansConv, scorecard_id: card.id, scores: { "chao-hoi": { score: 5 } } } });
  expect((await missing.json()).error.field).toBe("scores.thong-tin-chinh-xac");

  const r = await shop.hoa.as("/api/v1/qa/reviews", { method: "POST", json: { conversation_id: lansConv, scorecard_id: card.id, scores: scores(4, 5, 3, 1, "Nên gọi tên khách"), note: "Tốt, cần chủ động hơn" } });
  expect(r.status).toBe(201);
  review = await r.json();
  // (1*4/5 + 3*5/5 + 2*3/5 + 2*1/1) / 8 = (0.8 + 3 + 1.2 + 2) / 8 = 87.5 %
  expect(review).toMatchObject({ agent_id: shop.lan.id, reviewer_id: shop.hoa.id, score: 87.5, status: "awaiting_agent", note: "Tốt, cần chủ động hơn", scorecard: { id: card.id, version: 1 } });
  expect(review.scores["chao-hoi"]).toEqual({ score: 4, note: "Nên gọi tên khách" });
  expect(review.history.map((e: any) => e.kind)).toEqual(["scored"]);

  const again = await pano.api("/api/v1/qa/reviews", { method: "POST", json: { conversation_id: lansConv, scorecard_id: card.id, scores: scores(5, 5, 5, 1) } });
  expect(again.status).toBe(409);
  // Reviewed: off the queue.
  const q = await (await shop.hoa.as("/api/v1/qa/queue")).json();
  expect(q.data.some((i: any) => i.conversation_id === lansConv)).toBe(false);
});

test("nobody reviews their own conversation, and agents review nobody", async () => {
  const hoasOwn = await shop.handled(shop.hoa, ["Dạ shop kiểm tra giúp chị ạ"]);
  const own = await shop.hoa.as("/api/v1/qa/reviews", { method: "POST", json: { conversation_id: hoasOwn, scorecard_id: card.id, scores: scores(5, 5, 5, 1) } });
  expect(own.status).toBe(422);
  expect((await own.json()).error.field).toBe("conversation_id");
  // The admin reviews the supervisor's conversation; the supervisor can read it but not rescore it.
  const hoasReview = await pano.json("/api/v1/qa/reviews", { method: "POST", json: { conversation_id: hoasOwn, scorecard_id: card.id, scores: scores(5, 5, 5, 1) } });
  expect(hoasReview).toMatchObject({ agent_id: shop.hoa.id, score: 100 });
  expect((await shop.hoa.as(`/api/v1/qa/reviews/${hoasReview.id}`, { method: "PATCH", json: { scores: scores(5, 5, 5, 1), note: "tự sửa" } })).status).toBe(403);
  const minhsConv = await shop.handled(shop.minh, ["Dạ vâng ạ"]);
  const byAgent = await shop.lan.as("/api/v1/qa/reviews", { method: "POST", json: { conversation_id: minhsConv, scorecard_id: card.id, scores: scores(5, 5, 5, 1) } });
  expect(byAgent.status).toBe(403);
});

test("reviews are visible only to admins, supervisors and the reviewed agent", async () => {
  expect((await shop.lan.as(`/api/v1/qa/reviews/${review.id}`)).status).toBe(200);
  expect((await shop.hoa.as(`/api/v1/qa/reviews/${review.id}`)).status).toBe(200);
  expect((await pano.api(`/api/v1/qa/reviews/${review.id}`)).status).toBe(200);
  // Another agent of the same team: it does not exist for them.
  const other = await shop.minh.as(`/api/v1/qa/reviews/${review.id}`);
  expect(other.status).toBe(404);
  expect((await other.json()).error.code).toBe("not_found");
  expect((await shop.minh.as(`/api/v1/qa/reviews/${review.id}/dispute`, { method: "POST", json: { reason: "x" } })).status).toBe(404);
  const list = await (await shop.minh.as("/api/v1/qa/reviews")).json();
  expect(list.data).toEqual([]);
  const asked = await shop.minh.as(`/api/v1/qa/reviews?agent_id=${shop.lan.id}`);
  expect(asked.status).toBe(403);
  expect((await asked.json()).error.code).toBe("forbidden");
  const mine = await (await shop.lan.as("/api/v1/qa/reviews")).json();
  expect(mine.data.map((r: any) => r.id)).toEqual([review.id]);
  // Agents cannot rescore or answer either.
  expect((await shop.lan.as(`/api/v1/qa/reviews/${review.id}`, { method: "PATCH", json: { scores: scores(5, 5, 5, 1) } })).status).toBe(403);
});

test("the agent disputes with a reason; the supervisor answers and rescores; the old score stays in the history", async () => {
  const noReason = await shop.lan.as(`/api/v1/qa/reviews/${review.id}/dispute`, { method: "POST", json: { reason: "  " } });
  expect(noReason.status).toBe(422);
  const disputed = await (await shop.lan.as(`/api/v1/qa/reviews/${review.id}/dispute`, { method: "POST", json: { reason: "Em đã chào khách bằng tên ở tin đầu ạ" } })).json();
  expect(disputed.status).toBe("disputed");
  // While the dispute waits, the agent cannot acknowledge it away.
  expect((await shop.lan.as(`/api/v1/qa/reviews/${review.id}/acknowledge`, { method: "POST" })).status).toBe(409);

  const disputes = await (await shop.hoa.as("/api/v1/qa/reviews?status=disputed")).json();
  expect(disputes.data.map((r: any) => r.id)).toEqual([review.id]);

  const answered = await (await shop.hoa.as(`/api/v1/qa/reviews/${review.id}/answer`, { method: "POST", json: { text: "Đúng rồi, chị sửa điểm chào hỏi", scores: scores(5, 5, 3, 1) } })).json();
  // (1 + 3 + 1.2 + 2) / 8 = 90 %
  expect(answered).toMatchObject({ status: "answered", score: 90 });
  expect(answered.history.map((e: any) => [e.kind, e.text])).toEqual([
    ["scored", null], ["disputed", "Em đã chào khách bằng tên ở tin đầu ạ"], ["answered", "Đúng rồi, chị sửa điểm chào hỏi"],
  ]);
  expect(answered.history[2].before.score).toBe(87.5);
  expect(answered.history[2].before.scores["chao-hoi"].score).toBe(4);

  const acknowledged = await (await shop.lan.as(`/api/v1/qa/reviews/${review.id}/acknowledge`, { method: "POST" })).json();
  expect(acknowledged.status).toBe("acknowledged");
  expect((await shop.lan.as(`/api/v1/qa/reviews/${review.id}/acknowledge`, { method: "POST" })).status).toBe(409);
});

test("editing the scorecard makes a new version and leaves past reviews as scored; an archived scorecard scores nothing new", async () => {
  const edited = await pano.json(`/api/v1/qa/scorecards/${card.id}`, { method: "PATCH", json: { criteria: [{ name: "Chào hỏi", weight: 5, scale: 3 }, { name: "Giải quyết", weight: 1, scale: 5 }] } });
  expect(edited).toMatchObject({ version: 2 });
  const renamed = await pano.json(`/api/v1/qa/scorecards/${card.id}`, { method: "PATCH", json: { name: "Chat bán hàng 2026" } });
  expect(renamed.version).toBe(2);
  const past = await pano.json(`/api/v1/qa/reviews/${review.id}`);
  expect(past).toMatchObject({ score: 90, scorecard: { version: 1 } });
  expect(past.criteria.map((c: any) => c.id)).toEqual(["chao-hoi", "thong-tin-chinh-xac", "giong-dieu", "tuan-thu-chinh-sach"]);

  await pano.json(`/api/v1/qa/scorecards/${card.id}`, { method: "PATCH", json: { status: "archived" } });
  const conv = await shop.handled(shop.minh, ["Dạ có ạ"]);
  const r = await shop.hoa.as("/api/v1/qa/reviews", { method: "POST", json: { conversation_id: conv, scorecard_id: card.id, scores: { "chao-hoi": { score: 3 }, "giai-quyet": { score: 5 } } } });
  expect(r.status).toBe(422);
  expect((await r.json()).error.message).toContain("archived");
  const audit = await pano.json("/api/v1/audit?action=qa_scorecard");
  expect(audit.data.map((a: any) => a.action)).toEqual(expect.arrayContaining(["qa_scorecard.created", "qa_scorecard.updated", "qa_scorecard.archived"]));
});

test("the QA score reaches the report: by_agent qa_score, the CSV and the qa_score time series", async () => {
  const from = new Date(Date.now() - 86400_000).toISOString();
  const to = new Date(Date.now() + 60_000).toISOString();
  const s = await pano.json(`/api/v1/reports/summary?from=${from}&to=${to}`);
  const lan = s.by_agent.find((a: any) => a.agent_id === shop.lan.id);
  expect(lan).toMatchObject({ qa_score: 90, qa_reviews: 1 });
  expect(s.by_agent.find((a: any) => a.agent_id === shop.minh.id)?.qa_score).toBe(null);
  // The team: Lan's 90 and the supervisor's own 100.
  expect(s).toMatchObject({ qa_score: 95, qa_reviews: 2 });

  const csv = await (await pano.api(`/api/v1/reports/summary.csv?from=${from}&to=${to}`)).text();
  const lines = csv.replace(/^\uFEFF/, "").trim().split(/\r?\n/).map((l) => l.split(","));
  const head = lines[0];
  const lanRow = lines.find((l) => l[0] === "agent" && l[1] === shop.lan.id)!;
  expect(lanRow[head.indexOf("qa_score")]).toBe("90");
  expect(lanRow[head.indexOf("qa_reviews")]).toBe("1");

  const ts = await pano.json(`/api/v1/reports/timeseries?metric=qa_score&interval=day&from=${from}&to=${to}&agent_id=${shop.lan.id}`);
  expect(ts.points.filter((p: any) => p.value !== null).map((p: any) => p.value)).toEqual([90]);
});
