// Story: a hostile HTML mail (scripts, event handlers, javascript: links, CSS that fetches or
// overlays, mXSS tricks) is stored only in its sanitised form, and that form stays inert in a
// real browser (Chromium), where the raw corpus demonstrably does run.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { htmlMail } from "./fixtures/email/mail.ts";
import { withRemoteImages } from "../src/channels/email/sanitize.ts";
import { openPage, logIn } from "./support/browser.ts";

const CORPUS = readFileSync(join(import.meta.dir, "fixtures/email/hostile.html"), "utf8");
const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";
const SENTINEL = "https://sentinel.invalid/after-hostile-triggers";
const until = (seen: () => boolean) => eventually(() => seen(), 10_000, "the sentinel request");

let pano: PanoProcess;
let dovecot: Dovecot;
let smtp: SmtpPeer;
let browser: Browser;
let storedHtml: string;
let conversationId: string;

beforeAll(async () => {
  [dovecot, smtp, pano, browser] = await Promise.all([
    startDovecot(), startSmtpPeer(), startPano(),
    chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] }),
  ]);
  const ch = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "email", name: "Hộp thư shop", config: { imap: dovecot.imapConfig(), smtp: smtp.smtpConfig(), from_address: "shop@pano.test" } },
  });
  await dovecot.append([htmlMail({ from: "Kẻ Lạ <attacker@evil.example>", subject: "Đơn hàng cần xác nhận gấp", text: "Xem đơn hàng trong bản HTML.", html: CORPUS })]);
  const conv = await eventually(async () => (await pano.json(`/api/v1/conversations?status=all&channel_id=${ch.id}`)).data[0], 10_000, "the hostile mail stored");
  conversationId = conv.id;
  storedHtml = (await pano.json(`/api/v1/conversations/${conv.id}/messages`)).data[0].html;
});
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
});

/** Renders HTML, pokes every element (hover, focus, toggle, non-web links clicked), reports what ran or was fetched. */
async function render(html: string) {
  const page = await browser.newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.route("**/*", (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  await page.setContent(`<!doctype html><meta charset="utf-8"><div id="mail">${html}</div>`, { waitUntil: "load" });
  await page.evaluate(() => {
    for (const el of Array.from(document.querySelectorAll("#mail *"))) {
      for (const type of ["mouseover", "mouseenter", "focus", "toggle", "load", "error"]) el.dispatchEvent(new Event(type));
      const href = el.getAttribute("href");
      if (href && !/^(https?|mailto|tel):/i.test(href.trim())) (el as HTMLElement).click();
    }
  });
  // Positive signal instead of a pause: a request the page makes after every hostile trigger has
  // fired reaches the router only once the requests queued before it have.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  void page.evaluate((u) => fetch(u).catch(() => {}), SENTINEL);
  await until(() => requests.includes(SENTINEL));
  const pwned = await page.evaluate(() => (window as any).__pwned ?? null);
  const overlay = await page.evaluate(() => Array.from(document.querySelectorAll("#mail *")).some((el) => getComputedStyle(el).position === "fixed"));
  await page.close();
  return { pwned, dialogs, requests: requests.filter((u) => !u.startsWith("data:") && u !== "about:blank" && u !== SENTINEL), overlay };
}

test("the stored HTML carries no script, handler, javascript: link, frame, form or fetching CSS", () => {
  expect(storedHtml).toContain("Chào shop, mình gửi đơn hàng ở dưới.");
  expect(storedHtml).toContain("Cảm ơn shop!");
  for (const bad of [/<script/i, /\son\w+\s*=/i, /javascript:/i, /vbscript:/i, /<iframe/i, /<object/i, /<embed/i, /<form/i, /<svg/i, /<meta/i, /<base/i, /<link/i, /<style/i, /url\s*\(/i, /expression\s*\(/i, /position\s*:\s*fixed/i, /\ssrc="https:\/\/evil/i, /srcset/i]) {
    expect(storedHtml).not.toMatch(bad);
  }
  // The remote image is kept for "show images", not loaded; a marker the sender planted is not kept.
  expect(storedHtml).toContain('data-remote-src="https://evil.example/pixel.gif"');
  expect(storedHtml).not.toContain("planted-remote-src");
});

test("in a real browser the raw corpus runs, the stored version stays inert and fetches nothing", async () => {
  const raw = await render(CORPUS);
  // The harness sees execution when there is some: the raw mail would have run.
  expect(raw.pwned).not.toBeNull();
  const safe = await render(storedHtml);
  expect(safe.pwned).toBeNull();
  expect(safe.dialogs).toEqual([]);
  expect(safe.requests).toEqual([]);
  expect(safe.overlay).toBe(false);
});

test("when the agent asks for images, the remote picture loads and nothing else runs or loads", async () => {
  const shown = await render(withRemoteImages(storedHtml));
  expect(shown.requests).toEqual(["https://evil.example/pixel.gif"]);
  expect(shown.pwned).toBeNull();
  expect(shown.dialogs).toEqual([]);
});

test("opened in Pano's own conversation view, the hostile mail shows its text, runs nothing and fetches nothing from outside", async () => {
  const w = await openPage(browser);
  const outside: string[] = [];
  // Pano's own URL: the page's CSP lets it through, so the router sees it after what came before.
  const afterHostile = `${pano.url}/healthz?after-hostile-mail`;
  let sentinelSeen = false;
  await w.context.route("**/*", (route) => {
    const url = route.request().url();
    if (url === afterHostile) sentinelSeen = true;
    if (url.startsWith(pano.url) || url.startsWith("data:") || url === "about:srcdoc" || url === "about:blank") return route.continue();
    outside.push(url);
    return route.abort();
  });
  try {
    await logIn(w.page, pano);
    await w.page.goto(`${pano.url}/inbox?c=${conversationId}`);
    const mail = w.page.frameLocator("iframe.email");
    await mail.getByText("Chào shop, mình gửi đơn hàng ở dưới.").waitFor({ timeout: 10_000 });
    for (const link of await mail.locator("a").all()) await link.hover().catch(() => {});
    await w.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    void w.page.evaluate((u) => fetch(u).catch(() => {}), afterHostile);
    await until(() => sentinelSeen);
    expect(await w.page.evaluate(() => (window as { __pwned?: string }).__pwned ?? null)).toBeNull();
    expect(w.dialogs).toEqual([]);
    expect(outside).toEqual([]);
  } finally {
    await w.context.close();
  }
});
