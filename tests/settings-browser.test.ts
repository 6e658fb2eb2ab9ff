// In a real Chromium, in Vietnamese: an admin connects an API channel and writes a canned reply
// entirely from Settings, then finds that reply behind "/" in the composer for the first
// customer who writes on the new channel.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { launchBrowser, openPage, logIn, customerWrites, type WatchedPage } from "./support/browser.ts";

let pano: PanoProcess;
let browser: Browser;
let w: WatchedPage;

beforeAll(async () => {
  pano = await startPano();
  browser = await launchBrowser();
  w = await openPage(browser);
  await logIn(w.page, pano);
});
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
});

test("an admin adds an API channel and a canned reply in Vietnamese, and the composer offers it", async () => {
  const { page } = w;
  await page.getByRole("link", { name: "Cài đặt" }).click();
  await page.getByRole("heading", { name: "Kênh kết nối" }).waitFor();
  expect(await page.getByText("Chưa có kênh nào.", { exact: false }).isVisible()).toBe(true);

  await page.getByRole("link", { name: "Thêm kênh API" }).click();
  // Saving without a name: the error is beside the field and announced.
  await page.getByRole("button", { name: "Lưu" }).click();
  await page.getByRole("alert").filter({ hasText: "Bắt buộc nhập" }).waitFor();
  expect(await page.getByLabel("Tên").getAttribute("aria-invalid")).toBe("true");

  await page.getByLabel("Tên").fill("Chat trên website");
  await page.getByLabel("Callback URL", { exact: true }).fill("https://shop.example.vn/pano-hook");
  await page.getByLabel("Callback secret (ký HMAC)").fill("bi-mat-cua-shop-123");
  await page.getByRole("button", { name: "Lưu" }).click();
  await page.getByRole("status").filter({ hasText: "Đã lưu." }).waitFor();
  const channelId = /\/settings\/channels\/(\d+)/.exec(page.url())![1];
  expect(await page.locator(".endpoints code").textContent()).toBe(`${pano.url}/api/v1/channels/${channelId}/inbound`);
  expect(await page.getByLabel("Callback secret (ký HMAC)").inputValue()).toBe("");
  expect(await page.content()).not.toContain("bi-mat-cua-shop-123");

  await page.getByRole("navigation", { name: "Cài đặt" }).getByRole("link", { name: "Kênh" }).click();
  await page.getByRole("row", { name: /Chat trên website/ }).getByText("Đang hoạt động").waitFor();

  await page.getByRole("link", { name: "Trả lời nhanh" }).click();
  await page.getByLabel("Mã gõ tắt").fill("chao");
  await page.getByLabel("Nội dung").fill("Dạ, shop chào anh/chị ạ! Anh/chị cần tư vấn sản phẩm nào ạ?");
  await page.getByRole("button", { name: "Thêm câu trả lời nhanh" }).click();
  await page.getByRole("row", { name: /\/chao/ }).waitFor();
  expect(w.errors).toEqual([]);

  const { conversation_id } = await customerWrites(pano, channelId, "khach-1", "Shop ơi còn áo size M không?", "Trần Minh Thư");
  await page.goto(`${pano.url}/inbox`);
  await page.locator(`#conv-${conversation_id} a`).click();
  const reply = page.locator("#reply-text");
  await reply.click();
  await reply.pressSequentially("/cha");
  await page.locator("#canned li", { hasText: "/chao" }).waitFor();
  await reply.press("Enter");
  expect(await reply.inputValue()).toBe("Dạ, shop chào anh/chị ạ! Anh/chị cần tư vấn sản phẩm nào ạ?");
  expect(w.dialogs).toEqual([]);
  expect(w.errors).toEqual([]);
});
