// The agent's composer on an SMS conversation (Chromium, Vietnamese): as they type it shows the
// characters and how many SMS the reply costs, says when diacritics make it Unicode, and offers
// "Gửi không dấu" when sending it without them saves messages; that button sends the plain text.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { eventually, type PanoProcess } from "./support/pano.ts";
import { launchBrowser, logIn, openPage, type WatchedPage } from "./support/browser.ts";
import { startGatewayStory, smsThread, type GatewayStory } from "./support/sms.ts";

let story: GatewayStory;
let pano: PanoProcess;
let gw: GatewayStory["gw"];
let browser: Browser;
let w: WatchedPage;
let conv: string;

const LONG = "Chào chị Lan, đơn hàng DH1024 của chị đã được giao cho đơn vị vận chuyển, dự kiến tới chiều mai ạ.";
const PLAIN = "Chao chi Lan, don hang DH1024 cua chi da duoc giao cho don vi van chuyen, du kien toi chieu mai a.";

beforeAll(async () => {
  [story, browser] = await Promise.all([startGatewayStory(), launchBrowser()]);
  ({ pano, gw } = story);
  const ch = story.channel;
  await gw.receive("+84912345678", "Shop ơi đơn của em giao chưa?");
  conv = (await eventually(async () => (await smsThread(pano, "0912345678", ch.id)).conversation, 15_000, "the SMS conversation")).id;
  w = await openPage(browser);
  await logIn(w.page, pano);
  await w.page.goto(`${pano.url}/inbox?c=${conv}`);
  await w.page.locator("#reply-text").waitFor();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await story?.stop();
});

describe("the SMS composer", () => {
  test("a Vietnamese reply is counted as Unicode: 100 characters are 2 SMS, and 'Gửi không dấu' offers 1", async () => {
    const meter = w.page.locator("#composer-meter");
    expect((await meter.textContent())?.trim()).toBe("");
    await w.page.locator("#reply-text").fill(LONG);
    await meter.locator(".sms-meter[data-segments='2']").waitFor({ timeout: 10_000 });
    const text = (await meter.textContent())!.replace(/\s+/g, " ");
    expect(text).toContain(`${Array.from(LONG).length} ký tự · 2 tin SMS`);
    expect(text).toContain("có dấu/Unicode (70 ký tự/tin)");
    expect(text).toContain("Gửi không dấu (chỉ 1 tin)");
  });

  test("plain text is counted as GSM-7 with no offer; a short Vietnamese reply costs the same either way, so no offer", async () => {
    const meter = w.page.locator("#composer-meter");
    await w.page.locator("#reply-text").fill("Cam on chi, shop giao ngay a");
    await meter.locator(".sms-meter[data-encoding='gsm7']").waitFor({ timeout: 10_000 });
    expect((await meter.textContent())!.replace(/\s+/g, " ")).toContain("28 ký tự · 1 tin SMS · không dấu (160 ký tự/tin)");
    await w.page.locator("#reply-text").fill("Cảm ơn chị ạ");
    await meter.locator(".sms-meter[data-encoding='ucs2']").waitFor({ timeout: 10_000 });
    expect(await meter.locator("[data-sms-plain]").count()).toBe(0);
  });

  test("a private note is not an SMS: the meter goes quiet", async () => {
    const meter = w.page.locator("#composer-meter");
    await w.page.locator("#reply-text").fill(LONG);
    await meter.locator(".sms-meter[data-segments='2']").waitFor({ timeout: 10_000 });
    await w.page.locator("#composer label", { hasText: "Ghi chú" }).click();
    await eventually(async () => (await meter.textContent())?.trim() === "", 10_000, "the meter emptied for a note");
    await w.page.locator("#composer label", { hasText: "Trả lời" }).click();
  });

  test("'Gửi không dấu' sends the text without diacritics as one SMS, and the composer is cleared", async () => {
    const meter = w.page.locator("#composer-meter");
    await w.page.locator("#reply-text").fill(LONG);
    const button = meter.locator("[data-sms-plain]");
    await button.waitFor({ timeout: 10_000 });
    await button.click();
    const out = await eventually(() => gw.messages.find((m) => m.text === PLAIN), 15_000, "the plain reply at the gateway");
    expect(out.phoneNumbers).toEqual(["+84912345678"]);
    expect(gw.messages.some((m) => m.text === LONG)).toBe(false);
    await eventually(async () => (await w.page.locator("#reply-text").inputValue()) === "", 10_000, "the composer cleared");
    await w.page.locator("#timeline .msg.out", { hasText: "Chao chi Lan" }).waitFor({ timeout: 10_000 });
    expect(w.errors).toEqual([]);
  });
});
