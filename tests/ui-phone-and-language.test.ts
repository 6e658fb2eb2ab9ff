// On a phone the inbox is one pane at a time; an agent who prefers English gets English, with
// times in their own time zone.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { customerWrites, launchBrowser, logIn, openPage, type WatchedPage } from "./support/browser.ts";

let pano: PanoProcess;
let browser: Browser;
let channelId: string;
let conversationId: string;

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "App" } })).id;
  conversationId = (await customerWrites(pano, channelId, "kh-phone", "Em đặt 2 cái bánh kem", "Trần Minh")).conversation_id;
});
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
});

describe("on a phone", () => {
  let w: WatchedPage;
  test("the list fills the screen; opening a conversation replaces it; back returns", async () => {
    w = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await logIn(w.page, pano);
    const list = w.page.locator(".pane-list");
    const conv = w.page.locator(".pane-conversation");
    expect(await list.isVisible()).toBe(true);
    expect(await conv.isVisible()).toBe(false);
    expect((await list.boundingBox())!.width).toBeGreaterThan(380);
    await w.page.locator(`#conv-${conversationId} a`).click();
    await w.page.locator("#timeline .msg.in").waitFor();
    expect(await list.isVisible()).toBe(false);
    expect((await conv.boundingBox())!.width).toBeGreaterThan(380);
    await w.page.getByRole("link", { name: "Danh sách" }).click();
    await list.waitFor();
    expect(await conv.isVisible()).toBe(false);
  });

  test("the reply works there too, and the contact opens as a sheet", async () => {
    await w.page.locator(`#conv-${conversationId} a`).click();
    const box = w.page.getByLabel("Nội dung tin nhắn");
    await box.fill("Dạ shop nhận đơn ạ");
    await box.press("Enter");
    await w.page.locator("#timeline .msg.out", { hasText: "Dạ shop nhận đơn ạ" }).waitFor();
    await w.page.locator("#conv-head").getByRole("button", { name: "Thông tin khách hàng" }).click();
    await w.page.locator("#contact-pane h2", { hasText: "Trần Minh" }).waitFor({ state: "visible" });
    await w.context.close();
  });

  test("the actions take one row: resolve is in sight, and snooze opens as a sheet on the screen", async () => {
    w = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await logIn(w.page, pano);
    await w.page.locator(`#conv-${conversationId} a`).click();
    const resolve = w.page.locator('#conv-head [data-action="resolve"]');
    await resolve.waitFor();
    const r = (await resolve.boundingBox())!;
    expect(r.x + r.width).toBeLessThanOrEqual(390);
    const actions = (await w.page.locator("#conv-head .conv-actions").boundingBox())!;
    expect(actions.height).toBeLessThan(60);
    await w.page.locator("#conv-head .snooze summary").click();
    const sheet = (await w.page.locator("#conv-head .snooze form").boundingBox())!;
    expect(sheet.x).toBeGreaterThanOrEqual(0);
    expect(sheet.x + sheet.width).toBeLessThanOrEqual(390);
    expect(sheet.y + sheet.height).toBeLessThanOrEqual(844);
    await w.context.close();
  });
});

describe("in English", () => {
  test("an agent switches to English and sees English texts and their time zone", async () => {
    const w = await openPage(browser, { locale: "en-GB" });
    await logIn(w.page, pano);
    await w.page.goto(`${pano.url}/account`);
    await w.page.getByLabel("Ngôn ngữ", { exact: true }).last().selectOption("en");
    await w.page.getByLabel("Múi giờ").selectOption("Europe/London");
    await w.page.getByRole("button", { name: "Lưu" }).click();
    await w.page.getByText("Saved.").waitFor();
    await w.page.goto(`${pano.url}/inbox?c=${conversationId}`);
    expect(await w.page.locator("html").getAttribute("lang")).toBe("en");
    await w.page.getByRole("link", { name: "Inbox" }).waitFor();
    await w.page.getByRole("button", { name: "Assign to me" }).waitFor();
    expect(await w.page.getByLabel("Message", { exact: true }).getAttribute("placeholder")).toContain("Enter sends");
    // The customer wrote at some UTC instant; London shows it an hour or so off from Vietnam's +7.
    const iso = await w.page.locator("#timeline .msg.in time").first().getAttribute("datetime");
    const shown = await w.page.locator("#timeline .msg.in time").first().textContent();
    const london = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", timeStyle: "short" }).format(new Date(iso!));
    expect(shown).toContain(london);
    await w.context.close();
  });

  test("the login page follows the browser's language before anyone signs in", async () => {
    const w = await openPage(browser, { locale: "en-US" });
    await w.page.goto(`${pano.url}/login`);
    await w.page.getByRole("heading", { name: "Log in" }).waitFor();
    await w.page.getByRole("link", { name: "Tiếng Việt" }).click();
    await w.page.getByRole("heading", { name: "Đăng nhập" }).waitFor();
    await w.context.close();
  });
});
