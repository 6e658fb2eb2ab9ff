// Satisfaction surveys in the website chat, in a real Chromium on the shop's own site: after the
// agent resolves, the question appears in the visitor's open chat with five buttons; a click rates,
// a second click changes the rating (one rating, updated), a comment follows; after a reload the
// chat shows the rating given. The visitor API refuses a rating outside 1–5, and someone else's survey.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Frame } from "playwright-core";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { launchBrowser, openPage, type WatchedPage } from "./support/browser.ts";
import { startShop, chatFrame, type Shop } from "./support/web-chat-shop.ts";
import { surveyTeam, handleAndResolve, surveySent, surveyOf, ratedAs, summaryNow, type SurveyTeam } from "./support/csat.ts";

let pano: PanoProcess;
let browser: Browser;
let shop: Shop;
let team: SurveyTeam;
let w: WatchedPage;

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  shop = await startShop(pano);
  team = await surveyTeam(pano, "CSKH Website", { text_vi: "Bạn chấm Shop Hoa mấy sao?" });
  w = await openPage(browser);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  shop?.stop();
  await pano?.stop();
});

const conversations = async () => (await pano.json(`/api/v1/conversations?channel_id=${shop.channel.id}&status=all`)).data as any[];

async function visitorAsks(text: string): Promise<{ frame: Frame; conv: string }> {
  await w.page.goto(shop.url);
  await w.page.locator("button[data-pano-launcher]").click();
  const frame = await chatFrame(w.page);
  await frame.locator("#text").fill(text);
  await frame.locator("#text").press("Enter");
  const conv = await eventually(async () => (await conversations())[0]?.id, 10_000, "the visitor's conversation");
  return { frame, conv };
}

test("resolve → the question with five buttons in the open chat → 4, then 5 → a comment → one rating of 5 with the comment, in the report; a reload shows it", async () => {
  const { frame, conv } = await visitorAsks("Shop ơi, hoa hồng đỏ còn không ạ?");
  await handleAndResolve(pano, team, conv, "Dạ còn ạ, shop giao trong 2 giờ nhé.");
  await surveySent(pano, conv);
  const survey = frame.locator(".msg", { hasText: "Bạn chấm Shop Hoa mấy sao?" }).locator(".survey");
  await survey.waitFor({ timeout: 10_000 });
  expect(await survey.getByRole("button").count()).toBe(5);

  await survey.getByRole("button", { name: "Đánh giá 4 trên 5" }).click();
  await frame.getByText("Cảm ơn bạn đã đánh giá 4/5!").waitFor();
  await ratedAs(pano, conv, 4);
  await frame.getByRole("button", { name: "Đánh giá 5 trên 5" }).click();
  await frame.getByText("Cảm ơn bạn đã đánh giá 5/5!").waitFor();
  await ratedAs(pano, conv, 5);
  // After a rating the keyboard is in the comment box.
  await w.page.keyboard.type("Hoa rất tươi, cảm ơn shop!");
  await frame.getByRole("button", { name: "Gửi góp ý" }).click();
  await frame.getByText("Đã nhận góp ý của bạn.").waitFor();
  expect(await surveyOf(pano, conv)).toMatchObject({ rating: 5, comment: "Hoa rất tươi, cảm ơn shop!" });
  expect((await pano.json(`/api/v1/conversations/${conv}`)).status).toBe("resolved");

  // The chat stays open across page loads.
  await w.page.reload();
  const again = await chatFrame(w.page);
  await again.locator('.survey button[aria-pressed="true"]').waitFor();
  expect(await again.locator('.survey button[aria-pressed="true"]').getAttribute("data-rating")).toBe("5");

  const r = await summaryNow(pano, `&team_id=${team.teamId}`);
  expect(r.csat).toEqual({ responses: 1, average: 5 });
  expect(r.by_channel.find((x: any) => x.channel_id === shop.channel.id)).toMatchObject({ csat_surveys_sent: 1, csat_response_rate: 1 });
  expect(w.errors).toEqual([]);
}, 60_000);

test("the visitor API refuses a rating outside 1–5 and any survey that is not the visitor's own", async () => {
  // The visitor's session, as their chat keeps it (in the frame, on Pano's origin).
  const session = await (await chatFrame(w.page)).evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith("pano-session:"))?.[1]);
  const conv = (await conversations())[0].id;
  const surveyId = Number((await surveyOf(pano, conv)).survey.id);
  const post = (body: unknown, s = session) => fetch(`${pano.url}/chat/api/csat`, { method: "POST", headers: { "content-type": "application/json", "x-pano-session": s ?? "", origin: shop.url }, body: JSON.stringify(body) });

  const nine = await post({ survey_id: surveyId, rating: 9 });
  expect(nine.status).toBe(422);
  expect((await nine.json()).error.code).toBe("rating_out_of_range");
  const zero = await post({ survey_id: surveyId, rating: 0 });
  expect(zero.status).toBe(422);

  // Another visitor (a new session of the same shop) cannot touch it.
  const other = await fetch(`${pano.url}/chat/api/session`, { method: "POST", headers: { "content-type": "application/json", origin: shop.url }, body: JSON.stringify({ token: shop.channel.widget_token, origin: shop.url }) });
  const theirs = (await other.json()).session;
  const stranger = await post({ survey_id: surveyId, rating: 1 }, theirs);
  expect(stranger.status).toBe(404);
  expect((await surveyOf(pano, conv)).rating).toBe(5);
}, 60_000);
