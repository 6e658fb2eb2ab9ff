// The chat with only a keyboard (and what a screen reader is told), in real Chromium on the shop's
// own site: Tab reaches the launcher, Enter opens the chat with the keyboard in its message box,
// Enter sends, Escape closes it and puts the keyboard back on the launcher; the message list is a
// polite live region and every button has a name.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Frame } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { startShop, chatFrame, type Shop } from "./support/web-chat-shop.ts";
import { launchBrowser, openPage, type WatchedPage } from "./support/browser.ts";

let pano: PanoProcess;
let browser: Browser;
let shop: Shop;
let w: WatchedPage;
let frame: Frame;

const launcher = () => w.page.locator("button[data-pano-launcher]");
const focusedInFrame = () => frame.evaluate(() => document.activeElement?.id ?? null);
const frameFocused = () => w.page.evaluate(() => document.activeElement?.tagName === "IFRAME");

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  shop = await startShop(pano);
  w = await openPage(browser);
});
afterAll(async () => {
  await browser?.close();
  shop?.stop();
  await pano?.stop();
});

describe("the website chat with the keyboard and a screen reader", () => {
  test("Tab reaches the launcher, which says what it does", async () => {
    await w.page.goto(shop.url);
    await launcher().waitFor();
    await w.page.keyboard.press("Tab");
    expect(await w.page.evaluate(() => document.activeElement?.hasAttribute("data-pano-launcher"))).toBe(true);
    expect(await launcher().getAttribute("aria-label")).toBe("Mở cửa sổ chat");
    expect(await launcher().getAttribute("aria-expanded")).toBe("false");
  });

  test("Enter opens the chat with the keyboard in the message box; Enter sends", async () => {
    await w.page.keyboard.press("Enter");
    frame = await chatFrame(w.page);
    await w.page.waitForFunction(() => document.activeElement?.tagName === "IFRAME");
    await frame.waitForFunction(() => document.activeElement?.id === "text");
    expect(await launcher().getAttribute("aria-expanded")).toBe("true");
    await w.page.keyboard.type("Mình muốn đặt hoa sinh nhật");
    await w.page.keyboard.press("Enter");
    await frame.locator(".msg.mine[data-id]", { hasText: "Mình muốn đặt hoa sinh nhật" }).waitFor();
  });

  test("what a screen reader is told: the list is a polite live log, every button and field is named", async () => {
    const log = frame.locator("#log");
    expect(await log.getAttribute("role")).toBe("log");
    expect(await log.getAttribute("aria-live")).toBe("polite");
    expect(await log.getAttribute("aria-label")).toBe("Các tin nhắn");
    expect(await frame.getByRole("button", { name: "Đóng" }).count()).toBe(1);
    expect(await frame.getByRole("button", { name: "Gửi" }).count()).toBe(1);
    expect(await frame.getByLabel("Đính kèm ảnh hoặc PDF").count()).toBe(1);
    expect(await frame.getByRole("textbox", { name: "Nhập tin nhắn…" }).count()).toBe(1);
    const unnamed = await frame.locator("button").evaluateAll((bs) => bs.filter((b) => !(b.getAttribute("aria-label") || b.textContent?.trim())).length);
    expect(unnamed).toBe(0);
  });

  test("Escape closes the chat and the keyboard is back on the launcher", async () => {
    expect(await focusedInFrame()).toBe("text");
    await w.page.keyboard.press("Escape");
    await w.page.locator("[data-pano-chat]").waitFor({ state: "hidden" });
    await w.page.waitForFunction(() => document.activeElement?.hasAttribute("data-pano-launcher"));
    expect(await launcher().getAttribute("aria-expanded")).toBe("false");
    expect(await launcher().getAttribute("aria-label")).toBe("Mở cửa sổ chat");
  });

  test("Enter opens it again, straight into the message box, with the conversation kept", async () => {
    await w.page.keyboard.press("Enter");
    await w.page.locator("[data-pano-chat]").waitFor();
    await frame.waitForFunction(() => document.activeElement?.id === "text");
    expect(await frameFocused()).toBe(true);
    await frame.locator(".msg.mine", { hasText: "Mình muốn đặt hoa sinh nhật" }).waitFor();
    expect(w.errors).toEqual([]);
  });
});
