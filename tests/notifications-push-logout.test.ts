// A shop's shared computer: Bình turns push on there and on his own phone, then logs out of the
// shared one. That browser's subscription ends with his session, so the next mention reaches only
// his phone; nothing about his customers keeps arriving on a machine someone else now uses.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { launchBrowser, logIn, openPage } from "./support/browser.ts";
import { PushService, type DeviceSubscription } from "./sim/push-service.ts";

const PASSWORD = "mat-khau-dai-du-8";
let pano: PanoProcess;
let push: PushService;
let browser: Browser;

beforeAll(async () => {
  pano = await startPano();
  push = new PushService();
  browser = await launchBrowser();
  await pano.json("/api/v1/users", { method: "POST", json: { email: "binh@shop.vn", password: PASSWORD, name: "Trần Thị Bình", role: "agent" } });
});
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
  push?.stop();
});

/** What notifications.js does once the browser has subscribed. */
const turnOnPush = (page: Page, device: string, sub: DeviceSubscription) => page.evaluate(async ({ sub, device }) => {
  const csrf = document.querySelector("meta[name=csrf-token]")!.getAttribute("content")!;
  return (await fetch("/notifications/push/subscribe", { method: "POST", headers: { "content-type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify({ ...sub, device }) })).status;
}, { sub, device });

test("logging out of a shared computer ends its push subscription; the phone keeps its own", async () => {
  const shared = await openPage(browser);
  const phone = await openPage(browser);
  await logIn(shared.page, pano, { email: "binh@shop.vn", password: PASSWORD });
  await logIn(phone.page, pano, { email: "binh@shop.vn", password: PASSWORD });
  expect(await turnOnPush(shared.page, "Máy tính quầy", push.subscribe("quay"))).toBe(201);
  expect(await turnOnPush(phone.page, "Điện thoại của Bình", push.subscribe("phone"))).toBe(201);
  const devices = async (page: Page) => page.evaluate(async () => (await fetch("/notifications/settings")).text());
  expect(await devices(phone.page)).toContain("Máy tính quầy");

  await shared.page.locator(".user-menu summary").click();
  await shared.page.getByRole("button", { name: "Đăng xuất" }).click();
  await shared.page.waitForURL(/\/login/);
  const left = await devices(phone.page);
  expect(left).not.toContain("Máy tính quầy");
  expect(left).toContain("Điện thoại của Bình");
  expect(shared.errors).toEqual([]);
});
