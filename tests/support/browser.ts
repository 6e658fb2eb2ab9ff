// A real Chromium (Debian's /usr/bin/chromium) driven by playwright-core, and a signed-in page.
// Every page records script dialogs and page errors, so a test can prove customer text stayed inert.
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { existsSync } from "node:fs";
import { ADMIN, type PanoProcess } from "./pano.ts";

export const CHROMIUM = process.env.PANO_CHROMIUM ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run npm test (it installs it with apt) or set PANO_CHROMIUM`);
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Script dialogs (alert/confirm) the page opened: must stay empty. */
  dialogs: string[];
  errors: string[];
}

export async function openPage(browser: Browser, opts: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1366, height: 850 }, locale: opts.locale ?? "vi-VN" });
  // Marks when the live stream is open, so tests post only once the page is listening.
  await context.addInitScript(() => {
    document.addEventListener("htmx:sseOpen", () => ((window as unknown as { panoLive: boolean }).panoLive = true));
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  return { page, context, dialogs, errors };
}

/** Signs in through the login form, as a person would. */
export async function logIn(page: Page, pano: PanoProcess, user = ADMIN, opts: { remember?: boolean } = {}): Promise<void> {
  await page.goto(`${pano.url}/login`);
  await page.getByLabel(/^Email$/).fill(user.email);
  await page.getByLabel(/^(Mật khẩu|Password)$/).fill(user.password);
  if (opts.remember) await page.getByLabel(/Ghi nhớ|Remember/).check();
  await Promise.all([page.waitForURL(/\/inbox/), page.getByRole("button", { name: /Đăng nhập|Log in/ }).click()]);
}

/** A Chromium with one page already signed in (as the admin unless told otherwise): most UI stories start here. */
export async function signedInBrowser(pano: PanoProcess, user = ADMIN): Promise<{ browser: Browser } & WatchedPage> {
  const browser = await launchBrowser();
  const w = await openPage(browser);
  await logIn(w.page, pano, user);
  return { browser, ...w };
}

export async function waitForLive(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { panoLive?: boolean }).panoLive === true, undefined, { timeout: 10_000 });
}

/** A customer writes through the API channel. */
export async function customerWrites(pano: PanoProcess, channelId: string, contact: string, text: string, name?: string) {
  const r = await pano.api(`/api/v1/channels/${channelId}/inbound`, {
    method: "POST",
    json: { external_contact_id: contact, contact_name: name, external_message_id: `${contact}-${crypto.randomUUID()}`, text },
  });
  if (r.status >= 300) throw new Error(`inbound failed: ${r.status} ${await r.text()}`);
  return (await r.json()) as { conversation_id: string; contact_id: string; message_id: string };
}
