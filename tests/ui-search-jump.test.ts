// An agent remembers a customer asked about "áo khoác" weeks ago, long before the last page of a
// busy conversation: "/" from the inbox, typed without marks, results grouped by customer,
// j to the hit, Enter, and the timeline opens on that old message, highlighted.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, searchCaughtUp, type PanoProcess } from "./support/pano.ts";
import { customerWrites, launchBrowser, logIn, openPage, type WatchedPage } from "./support/browser.ts";

let pano: PanoProcess;
let browser: Browser;
let w: WatchedPage;
let old: { conversation_id: string; message_id: string };

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  const ch = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Zalo giả lập" } })).id;
  old = await customerWrites(pano, ch, "kh-hong", "Shop ơi cái Áo Khoác dạ màu be còn size M không?", "Chị Hồng");
  // Eighty later messages: the old one is far above the timeline's first page.
  for (let i = 1; i <= 80; i++) await customerWrites(pano, ch, "kh-hong", `Tin nhắn sau số ${i}`, "Chị Hồng");
  await customerWrites(pano, ch, "kh-tuan", "Đơn hàng của tôi đâu?", "Anh Tuấn");
  await searchCaughtUp(pano);
  w = await openPage(browser);
  await logIn(w.page, pano);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await pano?.stop();
});

test("search from the inbox, open a result, the timeline shows that message highlighted", async () => {
  const page = w.page;
  await page.locator("body").click({ position: { x: 5, y: 5 } }).catch(() => {});
  await page.keyboard.press("/");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("search");
  await page.getByRole("link", { name: /Tìm trong mọi tin nhắn/ }).click();
  await page.waitForURL(/\/search/);
  await page.locator("#search").fill("ao khoac");
  await Promise.all([page.waitForURL(/q=ao\+khoac/), page.keyboard.press("Enter")]);

  const results = page.locator("#search-results");
  await results.waitFor();
  await expect(results.locator(".search-customer h2").first().textContent()).resolves.toBe("Chị Hồng");
  const mark = results.locator("mark").first();
  expect(await mark.textContent()).toBe("Áo");
  expect(await results.textContent()).not.toContain("Đơn hàng");

  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("j");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("data-mid"))).toBe(old.message_id);
  await Promise.all([page.waitForURL(/\/inbox\?c=/), page.keyboard.press("Enter")]);

  const hit = page.locator(`#msg-${old.message_id}`);
  await hit.waitFor();
  expect(await hit.getAttribute("class")).toContain("hit");
  expect(await hit.textContent()).toContain("Áo Khoác dạ");
  // Scrolled to it, not to the latest message.
  const visible = await hit.evaluate((el) => {
    const tl = document.getElementById("timeline")!.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    return r.top >= tl.top - 1 && r.bottom <= tl.bottom + 1;
  });
  expect(visible).toBe(true);
  expect(w.errors).toEqual([]);
}, 60_000);

test("the search screen keeps its filters in the address and says when nothing matches", async () => {
  const page = w.page;
  await page.goto(`${pano.url}/search?q=${encodeURIComponent('"khong co dau"')}&status=resolved`);
  expect(await page.locator("main p.empty").textContent()).toContain("Không tìm thấy");
  expect(await page.locator("#s-status").inputValue()).toBe("resolved");
  const bad = await page.goto(`${pano.url}/search?q=${"x".repeat(10_000)}`);
  expect(bad?.status()).toBe(422);
  expect(await page.locator("[role=alert]").count()).toBeGreaterThan(0);
});
