// A change made after the inbox page was made but before its live stream opened is not lost: the
// page carries the stream's position when it was rendered, and the stream replays from there.
// In Chromium, with the page's first /live request held until a customer has written.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Route } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { customerWrites, launchBrowser, logIn, openPage, waitForLive } from "./support/browser.ts";

let pano: PanoProcess;
let browser: Browser;
let channelId: string;

beforeAll(async () => {
  pano = await startPano();
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await pano.stop();
});

test("a message written between the page load and the live stream opening shows up without a reload", async () => {
  const w = await openPage(browser);
  await logIn(w.page, pano);
  // Every live stream the page opens waits until the customer has written.
  const held: Route[] = [];
  let releasing = false;
  let sawLive!: () => void;
  const liveAsked = new Promise<void>((resolve) => (sawLive = resolve));
  await w.page.route("**/live*", async (route) => {
    if (!releasing && new URL(route.request().url()).pathname === "/live") {
      held.push(route);
      sawLive();
      return;
    }
    await route.continue();
  });
  await w.page.goto(`${pano.url}/inbox`);
  expect(await w.page.locator("#inbox").getAttribute("data-live-since")).toMatch(/^[a-z0-9]+\.\d+$/);
  await liveAsked;
  const { conversation_id: conversationId } = await customerWrites(pano, channelId, "kh-gap", "Shop ơi, còn hàng không?", "Khách Giữa Chừng");
  releasing = true;
  for (const r of held.splice(0)) await r.continue();
  await waitForLive(w.page);
  await w.page.locator(`#conv-${conversationId}`).waitFor({ timeout: 10_000 });
  expect(await w.page.locator(`#conv-${conversationId}`).innerText()).toContain("Khách Giữa Chừng");
  expect(w.errors).toEqual([]);
});
