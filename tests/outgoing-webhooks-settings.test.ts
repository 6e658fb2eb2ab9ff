// In a real Chromium, in Vietnamese: an admin connects the shop's CRM from Settings › Webhook,
// watches the deliveries arrive by themselves, sees the endpoint failing while the CRM is down,
// reads what it answered, sends a failed delivery again once it is back, then edits and deletes it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { signedInBrowser, customerWrites, type WatchedPage } from "./support/browser.ts";
import { startWebhookReceiver } from "./support/webhook-receiver.ts";

let pano: PanoProcess;
let browser: Browser;
let w: WatchedPage;
let crmUp = true;
// The secret is only known once the admin copies it from the form.
const rx = startWebhookReceiver({ secret: "", answer: () => (crmUp ? new Response("ok") : new Response("CRM bảo trì", { status: 500 })) });

beforeAll(async () => {
  // Retries 100 ms apart, given up 2 s after the event: the failing part of the story takes seconds.
  pano = await startPano({ env: { PANO_WEBHOOK_RETRY_BASE_MS: "100", PANO_WEBHOOK_RETRY_WINDOW_MS: "2000" } });
  ({ browser, ...w } = await signedInBrowser(pano));
});
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
  rx.stop();
});

test("an admin adds a webhook, sees deliveries arrive, redelivers a failed one, edits and deletes it", async () => {
  const { page } = w;
  const channel = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });
  await page.goto(`${pano.url}/settings`);
  await page.getByRole("navigation", { name: "Cài đặt" }).getByRole("link", { name: "Webhook" }).click();
  await page.getByRole("heading", { name: "Webhook gửi đi" }).waitFor();
  expect(await page.getByText("Chưa có webhook nào.").isVisible()).toBe(true);

  // Saving with no event ticked: told beside the boxes, in Vietnamese.
  await page.getByLabel("URL nhận sự kiện").fill(rx.url);
  for (const box of await page.locator('input[name="events"]').all()) await box.uncheck();
  await page.getByRole("button", { name: "Thêm webhook" }).click();
  await page.getByRole("alert").filter({ hasText: "Chọn ít nhất một sự kiện" }).waitFor();

  await page.getByLabel(/conversation\.created/).check();
  await page.getByLabel(/message\.created/).check();
  await page.getByLabel("Mô tả").fill("CRM cửa hàng");
  const secret = await page.getByLabel("Khóa bí mật").inputValue();
  expect(secret.length).toBeGreaterThanOrEqual(24);
  rx.setSecret(secret);
  await page.getByRole("button", { name: "Thêm webhook" }).click();
  await page.getByRole("status").filter({ hasText: "Đã lưu." }).waitFor();
  // The secret is never shown again.
  expect(await page.getByLabel("Khóa bí mật").inputValue()).toBe("");
  expect(await page.content()).not.toContain(secret);
  expect(await page.getByText("Chưa có lần gửi nào.").isVisible()).toBe(true);

  // A customer writes: the deliveries appear on the open page by themselves, signed with the copied secret.
  const first = await customerWrites(pano, channel.id, "kh-crm-1", "Shop ơi, còn hàng không?", "Chị Mai");
  await page.locator('tr[data-delivery-status="delivered"]').filter({ hasText: "message.created" }).waitFor({ timeout: 20_000 });
  await page.locator('tr[data-delivery-status="delivered"]').filter({ hasText: "conversation.created" }).waitFor({ timeout: 20_000 });
  const got = await rx.waitFor((d) => d.body.data.id === first.message_id, "the message.created delivery");
  expect(got.verified).toBe(true);

  // The CRM goes down: the delivery fails, the endpoint is shown failing with what it answered.
  crmUp = false;
  const second = await customerWrites(pano, channel.id, "kh-crm-1", "Cho mình đặt 2 cái nhé");
  const failedRow = page.locator('tr[data-delivery-status="failed"]').filter({ hasText: "message.created" });
  await failedRow.waitFor({ timeout: 20_000 });
  await page.reload();
  await page.locator("[data-webhook-status=failing]").waitFor();
  expect(await page.getByRole("alert").filter({ hasText: "HTTP 500" }).isVisible()).toBe(true);
  await failedRow.getByText("Chi tiết").click();
  // The table refreshes itself; the disclosure the admin opened stays open through it.
  await page.evaluate(() => new Promise((done) => document.body.addEventListener("htmx:afterSwap", done, { once: true })));
  expect(await failedRow.locator("details").getAttribute("open")).not.toBeNull();
  expect(await failedRow.locator("pre[data-answer]").isVisible()).toBe(true);
  expect(await failedRow.locator("pre[data-answer]").textContent()).toBe("CRM bảo trì");
  expect(await failedRow.locator("pre.json").first().textContent()).toContain(second.message_id);

  // Back up: the admin sends it again.
  crmUp = true;
  const uid = await failedRow.getAttribute("data-delivery-id");
  await failedRow.getByRole("button", { name: "Gửi lại" }).click();
  await page.getByRole("status").filter({ hasText: "Đã xếp lần gửi vào hàng đợi để gửi lại." }).waitFor();
  await page.locator(`tr[data-delivery-id="${uid}"][data-delivery-status="delivered"]`).waitFor({ timeout: 20_000 });
  await rx.waitFor((d) => d.id === uid && d.body.data.id === second.message_id && rx.deliveries.filter((x) => x.id === uid).length > 1, "the redelivery");
  await page.reload();
  await page.locator("[data-webhook-status=active]").waitFor();

  // Edit: stop hearing about new conversations; keep the secret.
  await page.getByLabel(/conversation\.created/).uncheck();
  await page.getByRole("button", { name: "Lưu webhook" }).click();
  await page.getByRole("status").filter({ hasText: "Đã lưu." }).waitFor();
  const saved = (await pano.json("/api/v1/webhooks")).data[0];
  expect(saved).toMatchObject({ url: rx.url, events: ["message.created"], description: "CRM cửa hàng", status: "active" });
  const third = await customerWrites(pano, channel.id, "kh-crm-2", "Khách mới đây ạ");
  const after = await rx.waitFor((d) => d.body.data.id === third.message_id, "a delivery signed with the kept secret");
  expect(after.verified).toBe(true);

  // Delete, after confirming.
  await page.getByText("Xóa webhook", { exact: true }).first().click();
  await page.getByRole("group", { name: "Xóa webhook" }).getByRole("button", { name: "Xóa webhook" }).click();
  await page.getByRole("status").filter({ hasText: "Đã xóa." }).waitFor();
  expect(await page.getByText("Chưa có webhook nào.").isVisible()).toBe(true);
  expect(w.errors).toEqual([]);
  expect(w.dialogs).toEqual([]);
});
