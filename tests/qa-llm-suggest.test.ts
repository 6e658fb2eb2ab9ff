// With PANO_LLM_URL set, the reviewer can ask for a suggested score per criterion with a reason
// (a local OpenAI-compatible stand-in plays the model). The suggestion is shown beside each
// criterion and can be taken into the form, but nothing is stored until a person saves.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { startFakeLlm, type FakeLlm } from "./support/fake-llm.ts";
import { launchBrowser, logIn, openPage } from "./support/browser.ts";
import { qaShop } from "./support/qa-shop.ts";

// Many calls per story on a loaded machine: wait for answers, never for the clock.
setDefaultTimeout(30_000);

let pano: PanoProcess;
let llm: FakeLlm;
let browser: Browser;
let shop: Awaited<ReturnType<typeof qaShop>>;
let card: any;
let conv: string;

const SUGGESTED = {
  scores: {
    "chao-hoi": { score: 5, reason: "Chào khách bằng tên: “Dạ chào chị Mai”" },
    "thong-tin-chinh-xac": { score: 4, reason: "Báo giá đúng nhưng chưa nói phí giao hàng" },
    "giong-dieu": { score: 9, reason: "Ngoài thang điểm: bị bỏ qua" },
    "tuan-thu-chinh-sach": { score: null, reason: "Không có gì về đổi trả" },
  },
};

const reviewRequests = () => llm.requests.filter((r) => String(r.messages?.[0]?.content ?? "").includes("review how a shop's support agent"));

beforeAll(async () => {
  llm = startFakeLlm();
  [pano, browser] = await Promise.all([startPano({ env: { PANO_LLM_URL: llm.url, PANO_LLM_MODEL: "qa-test" } }), launchBrowser()]);
  shop = await qaShop(pano);
  card = await shop.scorecard();
  conv = await shop.handled(shop.lan, ["Dạ chào chị Mai, áo còn size M ạ", "Giá 250.000đ ạ"]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
  llm?.stop();
});

test("the API answers a suggestion per criterion from the conversation; scores off the scale are dropped; nothing is stored", async () => {
  (llm as unknown as { answer: unknown }).answer = SUGGESTED;
  llm.mode = "answer";
  const r = await shop.hoa.as("/api/v1/qa/suggestions", { method: "POST", json: { conversation_id: conv, scorecard_id: card.id } });
  expect(r.status).toBe(200);
  const body = await r.json();
  expect(body.suggestions).toEqual({
    "chao-hoi": { score: 5, reason: "Chào khách bằng tên: “Dạ chào chị Mai”" },
    "thong-tin-chinh-xac": { score: 4, reason: "Báo giá đúng nhưng chưa nói phí giao hàng" },
    "tuan-thu-chinh-sach": { score: null, reason: "Không có gì về đổi trả" },
  });
  // What the model was shown: the criteria with their scales and the public conversation.
  const sent = reviewRequests().at(-1);
  expect(sent.model).toBe("qa-test");
  expect(sent.messages[0].content).toContain('id "thong-tin-chinh-xac": Thông tin chính xác (0 to 5)');
  expect(sent.messages[1].content).toContain("Customer: Áo thun còn size M không shop?");
  expect(sent.messages[1].content).toContain("Agent Lan: Dạ chào chị Mai, áo còn size M ạ");
  expect((await pano.json("/api/v1/qa/reviews")).data).toEqual([]);
});

test("a model that talks nonsense or is down gives a clear 503 and changes nothing", async () => {
  for (const mode of ["garbage", "error"] as const) {
    llm.mode = mode;
    const r = await shop.hoa.as("/api/v1/qa/suggestions", { method: "POST", json: { conversation_id: conv, scorecard_id: card.id } });
    expect(r.status).toBe(503);
    expect((await r.json()).error.code).toBe("unavailable");
  }
  // Agents do not ask for suggestions.
  expect((await shop.lan.as("/api/v1/qa/suggestions", { method: "POST", json: { conversation_id: conv, scorecard_id: card.id } })).status).toBe(403);
});

test("on the review screen the suggestions appear beside the criteria and fill the form only when accepted, unsaved until Save", async () => {
  (llm as unknown as { answer: unknown }).answer = SUGGESTED;
  llm.mode = "answer";
  const w = await openPage(browser);
  await logIn(w.page, pano, shop.hoa);
  const p = w.page;
  await p.goto(`${pano.url}/qa/conversations/${conv}`);
  await p.getByRole("button", { name: "Gợi ý điểm (AI)" }).click();
  await p.locator('[data-suggestion-for="thong-tin-chinh-xac"]', { hasText: "chưa nói phí giao hàng" }).waitFor();
  expect(await p.locator('input[name="score.chao-hoi"]:checked').count()).toBe(0);
  await p.getByRole("button", { name: "Dùng các điểm gợi ý" }).click();
  expect(await p.locator('input[name="score.chao-hoi"]:checked').getAttribute("value")).toBe("5");
  expect(await p.locator('input[name="score.tuan-thu-chinh-sach"]:checked').getAttribute("value")).toBe("na");
  // Tone had no usable suggestion: the keyboard lands there for the reviewer to decide.
  expect(await p.locator(".qa-criterion.is-current").getAttribute("data-criterion")).toBe("giong-dieu");
  expect((await pano.json("/api/v1/qa/reviews")).data).toEqual([]);
  await p.keyboard.press("4");
  // (1*5/5 + 3*4/5 + 2*4/5) / (1+3+2) = 5 / 6 = 83.3 %
  await p.locator("#qa-total strong", { hasText: "83.3%" }).waitFor();
  await p.keyboard.press("Control+Enter");
  await p.waitForURL(/\/qa\/reviews\/\d+/);
  const saved = (await pano.json("/api/v1/qa/reviews")).data;
  expect(saved.map((r: any) => [r.conversation_id, r.score, r.reviewer_id])).toEqual([[conv, 83.3, shop.hoa.id]]);
  expect(w.errors).toEqual([]);
}, 60_000);
