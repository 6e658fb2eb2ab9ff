// In a real Chromium, in Vietnamese: an admin creates a website chat from Settings › Channels (the
// allowed websites one per line, the offline email chosen among the email channels), gets the
// one-line snippet with a copy button and a live preview of the chat; the widget token is shown
// read-only, the session key never; editing keeps both, so open widgets keep working.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { launchBrowser, openPage, logIn, type WatchedPage } from "./support/browser.ts";

let pano: PanoProcess;
let browser: Browser;
let w: WatchedPage;
let mailbox: { id: string };

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  // Nothing listens there: the channel only has to exist to be chosen.
  const server = { host: "127.0.0.1", port: 9, secure: false, starttls: "never", user: "shop", password: "mat-khau-hop-thu" };
  mailbox = await pano.json("/api/v1/channels", { method: "POST", json: { type: "email", name: "Hộp thư shop", config: { imap: server, smtp: server, from_address: "shop@pano.test" } } });
  await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Ứng dụng" } });
  w = await openPage(browser);
  await w.page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: pano.url });
  await logIn(w.page, pano);
});
const session = (token: string, origin: string) =>
  fetch(`${pano.url}/chat/api/session`, { method: "POST", headers: { origin, "content-type": "application/json" }, body: JSON.stringify({ token, origin }) });

afterAll(async () => {
  await browser?.close();
  await pano?.stop();
});

test("an admin creates a website chat from Settings and gets its snippet, copy button and live preview", async () => {
  const { page } = w;
  await page.goto(`${pano.url}/settings/channels`);
  await page.getByRole("link", { name: "Thêm kênh Chat trên website" }).click();
  // Generated values: the session key is never a field; the widget token is shown, not editable.
  expect(await page.locator('[name="config.session_key"]').count()).toBe(0);
  expect(await page.locator('[name="config.widget_token"]').count()).toBe(0);
  const offline = page.getByLabel("Kênh email gửi câu trả lời khi khách đã rời đi");
  expect(await offline.locator("option").allTextContents()).toEqual(["—", "Hộp thư shop"]);

  await page.getByLabel("Tên", { exact: true }).fill("Website Shop Hoa");
  const origins = page.getByLabel("Website được phép (mỗi dòng một địa chỉ, ví dụ https://shop.vn)");
  // A path is not an origin: the error is shown beside the list.
  await origins.fill("https://shophoa.vn/san-pham");
  await page.getByRole("button", { name: "Lưu" }).click();
  await page.locator('textarea[name="config.allowed_origins"][aria-invalid="true"]').waitFor();
  expect(await page.locator(".field.has-error").filter({ has: origins }).getByRole("alert").textContent()).toBe("Không hợp lệ");
  await origins.fill("https://shophoa.vn\nhttps://www.shophoa.vn\n");
  await offline.selectOption({ label: "Hộp thư shop" });
  await page.getByLabel("Lời chào").fill("Chào bạn, Shop Hoa đây!");
  await page.getByRole("group", { name: "Hỏi trước khi chat" }).getByLabel("Email").selectOption({ label: "Không bắt buộc" });
  await page.getByRole("button", { name: "Lưu" }).click();
  await page.getByRole("status").filter({ hasText: "Đã lưu." }).waitFor();

  const id = /\/settings\/channels\/(\d+)/.exec(page.url())![1];
  const saved = await pano.json(`/api/v1/channels/${id}`);
  // Saved as the form showed them: each line an allowed website, the mailbox by its id.
  expect(await origins.inputValue()).toBe("https://shophoa.vn\nhttps://www.shophoa.vn");
  expect(await offline.inputValue()).toBe(mailbox.id);
  expect(await page.getByRole("group", { name: "Hỏi trước khi chat" }).getByLabel("Email").inputValue()).toBe("optional");
  for (const site of ["https://shophoa.vn", "https://www.shophoa.vn"]) expect((await session(saved.widget_token, site)).status).toBe(200);
  expect((await session(saved.widget_token, "https://khac.vn")).status).toBe(403);
  const snippet = `<script src="${pano.url}/widget.js" data-pano-token="${saved.widget_token}" async></script>`;

  // The snippet, and its copy button.
  await page.getByText("Dán dòng này vào trang web của bạn, trước thẻ </body>:").waitFor();
  expect(await page.locator(".snippet-box code").textContent()).toBe(snippet);
  const copy = page.getByRole("button", { name: "Sao chép" });
  await copy.click();
  await page.getByRole("button", { name: "Đã sao chép" }).waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);

  // The token is on the page read-only; the session key nowhere.
  expect(await page.getByLabel("Mã widget (công khai, nằm trong đoạn mã nhúng)").inputValue()).toBe(saved.widget_token);
  expect(await page.getByLabel("Mã widget (công khai, nằm trong đoạn mã nhúng)").getAttribute("readonly")).not.toBeNull();
  expect(await page.getByLabel("Khóa ký phiên của khách (Pano tự tạo)").count()).toBe(0);

  // The live preview is the real chat frame, with the shop's welcome.
  const preview = page.frameLocator('iframe[title="Xem trước: khách sẽ thấy cửa sổ chat như thế này"]');
  await preview.getByText("Chào bạn, Shop Hoa đây!").waitFor();
  await preview.locator("#text").waitFor();
  expect(w.errors).toEqual([]);
});

test("editing the website chat keeps its token and session key: a visitor's session still works", async () => {
  const { page } = w;
  const [ch] = (await pano.json("/api/v1/channels")).data.filter((c: { type: string }) => c.type === "web_chat");
  const origin = "https://shophoa.vn";
  const s = await (await session(ch.widget_token, origin)).json();

  await page.goto(`${pano.url}/settings/channels/${ch.id}`);
  expect(await page.getByLabel("Website được phép (mỗi dòng một địa chỉ, ví dụ https://shop.vn)").inputValue()).toBe("https://shophoa.vn\nhttps://www.shophoa.vn");
  await page.getByLabel("Lời chào").fill("Shop Hoa xin chào!");
  await page.getByRole("button", { name: "Lưu" }).click();
  await page.getByRole("status").filter({ hasText: "Đã lưu." }).waitFor();

  const after = await pano.json(`/api/v1/channels/${ch.id}`);
  expect(after.widget_token).toBe(ch.widget_token);
  expect(await page.getByLabel("Lời chào").inputValue()).toBe("Shop Hoa xin chào!");
  expect(await page.getByLabel("Kênh email gửi câu trả lời khi khách đã rời đi").inputValue()).toBe(mailbox.id);
  const r = await fetch(`${pano.url}/chat/api/messages?after=0`, { headers: { origin, "x-pano-session": s.session } });
  expect(r.status).toBe(200);
});
