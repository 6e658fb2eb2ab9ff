// The review flow end to end in Chromium: an admin creates a scorecard from the starter in
// Settings, a supervisor takes a conversation from the queue and scores it with the keyboard only
// beside its timeline, the agent sees it and disputes, another agent cannot see it, the supervisor
// rescores and answers, and the score reaches the dashboard.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { launchBrowser, logIn, openPage, type WatchedPage } from "./support/browser.ts";
import { qaShop } from "./support/qa-shop.ts";

let pano: PanoProcess;
let browser: Browser;
let shop: Awaited<ReturnType<typeof qaShop>>;
let conv: string;
let reviewUrl: string;
const pages: WatchedPage[] = [];

async function signedIn(who: { email: string; password: string }) {
  const w = await openPage(browser);
  pages.push(w);
  await logIn(w.page, pano, who);
  return w;
}

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  shop = await qaShop(pano);
  conv = await shop.handled(shop.lan, ["Dạ chào chị Mai, áo thun còn size M màu trắng ạ", "Giá 250.000đ, shop giao trong 2 ngày ạ"], { question: "Áo thun trắng còn size M không shop?" });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
});

describe("a QA review from scorecard to dispute", () => {
  test("the admin creates a scorecard from the starter criteria in Settings › Quality", async () => {
    const admin = await signedIn({ email: "admin@pano.test", password: "mat-khau-an-toan-123" });
    const p = admin.page;
    await p.goto(`${pano.url}/settings/qa`);
    await p.getByRole("link", { name: "Tạo phiếu chấm" }).click();
    expect(await p.getByLabel("Tên phiếu").inputValue()).toBe("Chăm sóc khách hàng qua chat");
    expect(await p.getByLabel("Tiêu chí 1: Tên tiêu chí").inputValue()).toBe("Chào hỏi");
    // An empty name is refused beside the field; nothing is saved.
    await p.getByLabel("Tên phiếu").fill("");
    await p.getByRole("button", { name: "Lưu" }).click();
    await p.locator(".field-error").first().waitFor();
    await p.getByLabel("Tên phiếu").fill("Chat bán hàng");
    await p.getByRole("button", { name: "Lưu" }).click();
    await p.getByText("Đã lưu.").waitFor();
    const row = p.locator("tr[data-scorecard-id]");
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toContain("5 tiêu chí");
    expect(admin.errors).toEqual([]);
  }, 30_000);

  test("the supervisor scores the queued conversation with the keyboard; the weighted score follows live", async () => {
    const hoa = await signedIn(shop.hoa);
    const p = hoa.page;
    await p.getByRole("link", { name: "Chất lượng" }).click();
    await p.waitForURL(/\/qa\/queue/);
    const item = p.locator(`tr[data-conversation-id="${conv}"]`);
    expect(await item.innerText()).toContain("Lan");
    expect(await item.innerText()).toContain("Chọn ngẫu nhiên trong tuần");
    await item.getByRole("link", { name: "Chấm điểm" }).click();
    await p.waitForURL(new RegExp(`/qa/conversations/${conv}`));
    // The whole conversation beside the scorecard.
    await p.locator(".qa-timeline .msg.in", { hasText: "Áo thun trắng còn size M không shop?" }).waitFor();
    await p.locator(".qa-timeline .msg.out", { hasText: "Giá 250.000đ" }).waitFor();
    expect(await p.locator(".qa-agent").innerText()).toContain("Lan");
    await p.waitForFunction(() => document.activeElement?.classList.contains("qa-criterion"));

    // Greeting 4, correct information 5, tone 3 — then back up (k) and make tone 4.
    await p.keyboard.press("4");
    await p.keyboard.press("5");
    await p.keyboard.press("3");
    await p.keyboard.press("k");
    expect(await p.locator(".qa-criterion.is-current").getAttribute("data-criterion")).toBe("giong-dieu");
    await p.keyboard.press("4");
    // Resolution: a coaching note (c), back out (Esc), then not applicable (n); policy passed (1).
    await p.keyboard.press("c");
    await p.keyboard.type("Nên hỏi thêm mã đơn để kiểm tra");
    await p.keyboard.press("Escape");
    await p.keyboard.press("n");
    await p.keyboard.press("1");
    // (1*4/5 + 3*5/5 + 2*4/5 + 2*1/1) / (1+3+2+2) = 7.4 / 8 = 92.5 %
    await p.locator("#qa-total strong", { hasText: "92.5%" }).waitFor();
    expect(await p.locator("#qa-total").innerText()).toContain("5/5");
    await p.getByLabel("Nhận xét chung").fill("Trả lời nhanh, đúng giá.");
    await p.getByLabel("Nhận xét chung").press("Control+Enter");

    await p.waitForURL(/\/qa\/reviews\/\d+\?notice=saved/);
    reviewUrl = p.url().replace(/\?.*$/, "");
    await p.getByText("Đã lưu đánh giá.").waitFor();
    expect(await p.locator(".qa-big-score").innerText()).toBe("92.5%");
    expect(await p.locator('tr[data-criterion="giai-quyet-van-de"]').innerText()).toContain("Nên hỏi thêm mã đơn để kiểm tra");
    expect(await p.locator('tr[data-criterion="giai-quyet-van-de"]').innerText()).toContain("Không áp dụng");
    // Reviewed: gone from the queue.
    await p.goto(`${pano.url}/qa/queue`);
    expect(await p.locator(`tr[data-conversation-id="${conv}"]`).count()).toBe(0);
    expect(hoa.errors).toEqual([]);
  }, 60_000);

  test("from the inbox a manager opens the scorecard of a resolved conversation; its agent has no such button", async () => {
    // Pages of their own (the later stories count the shared ones).
    const [hoa, lan] = [await openPage(browser), await openPage(browser)];
    await logIn(hoa.page, pano, shop.hoa);
    await hoa.page.goto(`${pano.url}/inbox?c=${conv}&status=resolved`);
    expect(await hoa.page.locator("#conv-head a[data-action=qa-review]").getAttribute("href")).toBe(`/qa/conversations/${conv}`);
    await logIn(lan.page, pano, shop.lan);
    await lan.page.goto(`${pano.url}/inbox?c=${conv}&status=resolved`);
    await lan.page.locator("#conv-head").waitFor();
    expect(await lan.page.locator("#conv-head a[data-action=qa-review]").count()).toBe(0);
    await Promise.all([hoa.page.context().close(), lan.page.context().close()]);
  });

  test("another agent cannot see the review or the queue", async () => {
    const minh = await signedIn(shop.minh);
    const p = minh.page;
    const r = await p.goto(reviewUrl);
    expect(r?.status()).toBe(404);
    expect((await p.goto(`${pano.url}/qa/queue`))?.status()).toBe(403);
    await p.goto(`${pano.url}/qa`);
    await p.waitForURL(/\/qa\/mine/);
    await p.getByText("Bạn chưa có đánh giá nào.").waitFor();
    // The rescore screen and the review's timeline are refused too.
    expect((await p.goto(`${reviewUrl}/edit`))?.status()).toBe(403);
  }, 30_000);

  test("the agent reads the review and disputes it with a reason", async () => {
    const lan = await signedIn(shop.lan);
    const p = lan.page;
    await p.getByRole("link", { name: "Chất lượng" }).click();
    await p.waitForURL(/\/qa\/mine/);
    await p.locator("tr[data-review-id]", { hasText: "92.5%" }).getByRole("link").click();
    expect(await p.locator(".qa-overall").innerText()).toBe("Trả lời nhanh, đúng giá.");
    await p.getByText("Khiếu nại đánh giá").click();
    await p.getByLabel("Vì sao bạn không đồng ý?").fill("Khách không hỏi gì thêm, em đã giải quyết xong ạ");
    await p.getByRole("button", { name: "Gửi khiếu nại" }).click();
    await p.getByText("Đã gửi khiếu nại; người chấm sẽ trả lời.").waitFor();
    expect(await p.locator(".qa-status").first().innerText()).toBe("Đang khiếu nại");
    // While it waits for the reviewer, there is nothing more for the agent to press.
    expect(await p.getByRole("button", { name: "Xác nhận đã xem" }).count()).toBe(0);
  }, 30_000);

  test("the supervisor rescores and answers; the history keeps the old score and both words", async () => {
    const p = pages[1].page;
    await p.goto(`${pano.url}/qa/reviews?status=disputed`);
    await p.locator("tr[data-review-id]", { hasText: "Lan" }).getByRole("link").click();
    await p.getByRole("link", { name: "Chấm lại" }).click();
    await p.waitForFunction(() => document.activeElement?.classList.contains("qa-criterion"));
    // Down to resolution (j j j) and score it 5.
    for (const k of ["j", "j", "j"]) await p.keyboard.press(k);
    expect(await p.locator(".qa-criterion.is-current").getAttribute("data-criterion")).toBe("giai-quyet-van-de");
    await p.keyboard.press("5");
    // (0.8 + 3 + 1.6 + 3 + 2) / 11 = 94.5 %
    await p.locator("#qa-total strong", { hasText: "94.5%" }).waitFor();
    await p.keyboard.press("Control+Enter");
    await p.waitForURL(/notice=saved/);
    await p.getByLabel("Câu trả lời cho nhân viên").fill("Đồng ý, chị đã chấm lại phần giải quyết.");
    await p.getByRole("button", { name: "Gửi trả lời" }).click();
    await p.getByText("Đã trả lời khiếu nại.").waitFor();
    expect(await p.locator(".qa-big-score").innerText()).toBe("94.5%");
    const history = await p.locator(".qa-history").innerText();
    expect(history).toContain("Khách không hỏi gì thêm, em đã giải quyết xong ạ");
    expect(history).toContain("Đồng ý, chị đã chấm lại phần giải quyết.");
    expect(history).toContain("Điểm trước đó: 92.5%");

    // The agent acknowledges the answered review.
    const lan = pages[3].page;
    await lan.reload();
    await lan.getByRole("button", { name: "Xác nhận đã xem" }).click();
    await lan.getByText("Bạn đã xác nhận đánh giá.").waitFor();
  }, 60_000);

  test("the QA score is in the dashboard's agent table and the weekly trend", async () => {
    const p = pages[1].page;
    await p.goto(`${pano.url}/reports`);
    const row = p.locator(".report-table tr", { hasText: "Lan" });
    expect(await row.locator("td.qa-score").innerText()).toBe("94.5% (1 đánh giá)");
    await p.goto(`${pano.url}/qa/scores`);
    expect(await p.locator(`tr[data-agent-id="${shop.lan.id}"] td.qa-score`).innerText()).toBe("94.5% (1 đánh giá)");
  }, 30_000);
});
