// Story: an agent opens a customer's email reply in the conversation view (real Chromium). The
// customer's new words show; the quoted earlier mail is folded behind "Hiện toàn bộ thư"; the
// picture from an outside server is not fetched until the agent presses "Hiện ảnh", and then it is.
// The plain-text version of a reply folds its quote the same way; English labels after a switch.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { startPano, eventually, tempDir, type PanoProcess } from "./support/pano.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { encodedWord, fixture, htmlMail, mail, newId } from "./fixtures/email/mail.ts";
import { CHROMIUM, logIn, openPage, type WatchedPage } from "./support/browser.ts";

// The outside server of the mail's picture (a tracker, for all Pano knows): a local HTTPS server
// that Chromium reaches under the mail's host name, recording every request it gets.
const IMAGE_HOST = "anh.shop-ngoai.example";
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

const gmailReply = (imageUrl: string) => `<div dir="ltr">Chào shop, mình muốn đổi sang size M.<div><img src="${imageUrl}" alt="Logo shop ngoài" width="40" height="40"></div></div><br>
<div class="gmail_quote"><div dir="ltr" class="gmail_attr">Vào Th 2, 2 thg 11, 2026 lúc 10:00 Shop &lt;<a href="mailto:shop@pano.test">shop@pano.test</a>&gt; đã viết:<br></div>
<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Dạ shop đã gửi hàng cho chị rồi ạ.</blockquote></div>`;

// Apple Mail quotes in <blockquote type="cite">; Outlook on the web puts an <hr> and a bold
// From:/Sent: block above the earlier mail.
const APPLE_REPLY = `<html><body dir="auto"><div>Được rồi shop nhé.</div><div><br><blockquote type="cite"><div>Vào 10:00, 2 thg 11, 2026, Shop &lt;shop@pano.test&gt; đã viết:</div><br><div>Dạ shop giao chiều thứ Bảy ạ.</div></blockquote></div></body></html>`;
const OUTLOOK_WEB_REPLY = `<div dir="ltr"><p>Cảm ơn shop, gửi mình hoá đơn VAT nhé.</p></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif"><b>From:</b> Shop &lt;shop@pano.test&gt;<br><b>Sent:</b> Monday, November 2, 2026 10:00 AM<br><b>To:</b> Dũng<br><b>Subject:</b> Báo giá</font><div>&nbsp;</div></div><div>Dạ shop gửi anh báo giá đính kèm ạ.</div>`;

let pano: PanoProcess;
let dovecot: Dovecot;
let smtp: SmtpPeer;
let browser: Browser;
let w: WatchedPage;
let imageHost: ReturnType<typeof Bun.serve>;
let IMAGE_URL: string;
const imageRequests: string[] = [];
const conversations: Record<string, string> = {};

function startImageHost() {
  const dir = tempDir("pano-img-");
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
    "-subj", `/CN=${IMAGE_HOST}`, "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
  return Bun.serve({
    port: 0, hostname: "127.0.0.1",
    tls: { cert: Bun.file(join(dir, "cert.pem")), key: Bun.file(join(dir, "key.pem")) },
    fetch(req) {
      const url = new URL(req.url);
      imageRequests.push(`https://${IMAGE_HOST}:${url.port}${url.pathname}`);
      return new Response(PNG, { headers: { "content-type": "image/png" } });
    },
  });
}

beforeAll(async () => {
  imageHost = startImageHost();
  IMAGE_URL = `https://${IMAGE_HOST}:${imageHost.port}/logo.png`;
  [dovecot, smtp, pano, browser] = await Promise.all([
    startDovecot(), startSmtpPeer(), startPano(),
    chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-dev-shm-usage", `--host-resolver-rules=MAP ${IMAGE_HOST} 127.0.0.1`, "--ignore-certificate-errors"],
    }),
  ]);
  const ch = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "email", name: "Hộp thư shop", config: { imap: dovecot.imapConfig(), smtp: smtp.smtpConfig(), from_address: "shop@pano.test" } },
  });
  await dovecot.append([
    htmlMail({ from: "Chị Lan <lan@khach.vn>", subject: "Re: Đơn hàng 1024", text: "Chào shop, mình muốn đổi sang size M.", html: gmailReply(IMAGE_URL) }),
    mail({
      from: "Anh Minh <minh@khach.vn>", subject: "Re: Mã vận đơn",
      text: "Vâng, mình nhận được rồi, cảm ơn shop.\n\nOn Mon, 2 Nov 2026 at 10:00, Shop <shop@pano.test> wrote:\n> Dạ shop gửi anh mã vận đơn VN123 ạ.",
    }),
    // Replies as Gmail and Outlook really write them (recorded header sets and bodies).
    fixture("gmail-reply.eml", { ORIGINAL_ID: newId(), PANO_ID: newId("pano.test"), SALT: "v1", SUBJECT: encodedWord("Re: Giao hàng") }),
    fixture("outlook-reply.eml", { THREAD_INDEX: Buffer.alloc(22, 7).toString("base64"), SALT: "v2", SUBJECT: encodedWord("RE: Áo sơ mi size M") }),
    htmlMail({ from: "Cô Hạnh <hanh@icloud.com>", subject: "Re: Lịch giao", text: "Được rồi shop nhé.", html: APPLE_REPLY }),
    htmlMail({ from: "Anh Dũng <dung@congty.vn>", subject: "RE: Báo giá", text: "Cảm ơn shop, gửi mình hoá đơn VAT nhé.", html: OUTLOOK_WEB_REPLY }),
  ]);
  const list = await eventually(async () => {
    const data = (await pano.json(`/api/v1/conversations?status=all&channel_id=${ch.id}`)).data;
    return data.length === 6 ? data : null;
  }, 15_000, "the six mails stored");
  for (const c of list) conversations[c.subject] = c.id;
  w = await openPage(browser);
  await logIn(w.page, pano);
});
afterAll(async () => {
  await w?.context.close();
  await browser?.close();
  await pano?.stop();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
  imageHost?.stop(true);
});

const mailFrame = (page: Page) => page.frameLocator("#timeline iframe.email").first();

test("the reply shows the customer's new words, the quoted mail is folded and opens on request", async () => {
  await w.page.goto(`${pano.url}/inbox?c=${conversations["Re: Đơn hàng 1024"]}`);
  await mailFrame(w.page).getByText("Chào shop, mình muốn đổi sang size M.").waitFor({ timeout: 10_000 });
  expect(await mailFrame(w.page).getByText("Dạ shop đã gửi hàng").count()).toBe(0);
  const folded = w.page.locator("#timeline details.quoted");
  expect(await folded.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
  await folded.getByText("Hiện toàn bộ thư").click();
  const quoted = w.page.frameLocator("#timeline iframe.email-quoted");
  await quoted.getByText("Dạ shop đã gửi hàng cho chị rồi ạ.").waitFor({ timeout: 5000 });
  await quoted.getByText(/đã viết:/).waitFor({ timeout: 5000 });
});

test("the outside picture loads only after the agent presses Hiện ảnh", async () => {
  await mailFrame(w.page).getByText("Chào shop, mình muốn đổi sang size M.").waitFor();
  const img = mailFrame(w.page).getByAltText("Logo shop ngoài");
  await img.waitFor({ state: "attached" });
  expect(await img.getAttribute("src")).toBeNull();
  expect(imageRequests).toEqual([]);
  await w.page.locator("#timeline .images-blocked").waitFor();

  await w.page.getByRole("button", { name: "Hiện ảnh" }).click();
  await eventually(() => imageRequests.includes(IMAGE_URL), 5000, "the picture requested from its server");
  const shown = mailFrame(w.page).getByAltText("Logo shop ngoài");
  await eventually(() => shown.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0), 5000, "the picture drawn");
  expect(await w.page.getByRole("button", { name: "Hiện ảnh" }).count()).toBe(0);
  // Only that one picture: the mail's other parts still fetch nothing.
  expect(imageRequests.filter((u) => u !== IMAGE_URL)).toEqual([]);
  // The fold is still there after the re-render.
  expect(await w.page.locator("#timeline details.quoted").count()).toBe(1);
  expect(w.dialogs).toEqual([]);
});

test("a plain-text reply folds its quoted lines too", async () => {
  await w.page.goto(`${pano.url}/inbox?c=${conversations["Re: Mã vận đơn"]}`);
  const msg = w.page.locator("#timeline article.msg").filter({ hasText: "Vâng, mình nhận được rồi, cảm ơn shop." });
  await msg.waitFor({ timeout: 10_000 });
  const hidden = msg.getByText("Dạ shop gửi anh mã vận đơn VN123 ạ.", { exact: false });
  expect(await hidden.isVisible()).toBe(false);
  await msg.getByText("Hiện toàn bộ thư").click();
  await hidden.waitFor({ state: "visible", timeout: 5000 });
});

test("replies recorded from Gmail (HTML) and Outlook (plain, From:/Sent: block) fold their history the same way", async () => {
  await w.page.goto(`${pano.url}/inbox?c=${conversations["Re: Giao hàng"]}`);
  await mailFrame(w.page).getByText("Dạ vâng, mình nhận được rồi. Cảm ơn shop nhiều ạ!").waitFor({ timeout: 10_000 });
  expect(await mailFrame(w.page).getByText("Dạ shop đã gửi hàng cho chị rồi ạ.").count()).toBe(0);
  await w.page.locator("#timeline details.quoted summary").click();
  await w.page.frameLocator("#timeline iframe.email-quoted").getByText("Dạ shop đã gửi hàng cho chị rồi ạ.").waitFor({ timeout: 5000 });

  await w.page.goto(`${pano.url}/inbox?c=${conversations["RE: Áo sơ mi size M"]}`);
  const msg = w.page.locator("#timeline article.msg").filter({ hasText: "Shop ơi cho mình đổi sang size L được không?" });
  await msg.waitFor({ timeout: 10_000 });
  const quoted = msg.locator("details.quoted");
  expect(await quoted.locator("summary").innerText()).toBe("Hiện toàn bộ thư");
  const history = msg.getByText(/Sent: Tuesday, November 24, 2026/);
  expect(await history.count()).toBe(1);
  expect(await history.isVisible()).toBe(false);
  await quoted.locator("summary").click();
  await history.waitFor({ state: "visible", timeout: 5000 });
  expect(await msg.locator("p.text").first().innerText()).not.toContain("From: Shop Pano");
});

for (const [subject, fresh, old] of [
  ["Re: Lịch giao", "Được rồi shop nhé.", "Dạ shop giao chiều thứ Bảy ạ."],
  ["RE: Báo giá", "Cảm ơn shop, gửi mình hoá đơn VAT nhé.", "Dạ shop gửi anh báo giá đính kèm ạ."],
]) {
  test(`${subject.startsWith("Re") ? "Apple Mail's cited quote" : "Outlook's From:/Sent: divider"} folds the same way`, async () => {
    await w.page.goto(`${pano.url}/inbox?c=${conversations[subject]}`);
    await mailFrame(w.page).getByText(fresh).waitFor({ timeout: 10_000 });
    expect(await mailFrame(w.page).getByText(old).count()).toBe(0);
    await w.page.locator("#timeline details.quoted summary").click();
    await w.page.frameLocator("#timeline iframe.email-quoted").getByText(old).waitFor({ timeout: 5000 });
  });
}

test("in English the same mail offers Show images and Show the whole mail, and images are held back again", async () => {
  await w.page.goto(`${pano.url}/inbox?c=${conversations["Re: Đơn hàng 1024"]}`);
  await Promise.all([w.page.waitForLoadState("load"), w.page.locator("#lang-select").selectOption("en")]);
  await w.page.waitForFunction(() => document.documentElement.lang === "en", undefined, { timeout: 10_000 });
  if (!w.page.url().includes(`c=${conversations["Re: Đơn hàng 1024"]}`)) await w.page.goto(`${pano.url}/inbox?c=${conversations["Re: Đơn hàng 1024"]}`);
  await w.page.getByRole("button", { name: "Show images" }).waitFor({ timeout: 10_000 });
  await w.page.locator("#timeline details.quoted summary").getByText("Show the whole mail").waitFor();
  expect(await mailFrame(w.page).getByAltText("Logo shop ngoài").getAttribute("src")).toBeNull();
});
