// In the agent's browser (Chromium, Vietnamese): a customer chatted on Zalo, went quiet for 8 days
// and writes nothing more. Opening the conversation, the composer says Zalo will not take a reply
// and offers a ZNS template instead; the template's params come prefilled from the profile and the
// conversation and stay editable; a param that breaks the template's rule is refused with the
// reason before anything is sent; the ZNS goes, lands on the same timeline with its quota, and
// turns "Đã nhận" live when Zalo reports the phone received it. "New message" on the profile
// explains, before typing, which channels cannot be used now.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { eventually } from "./support/pano.ts";
import { launchBrowser, logIn, openPage, waitForLive, type WatchedPage } from "./support/browser.ts";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";
import { attachZns, type ZnsSim } from "./sim/zalo-zns.ts";

let z: ZaloWorld;
let zns: ZnsSim;
let browser: Browser;
let w: WatchedPage;
let conv: any;
let contact: any;
let apiChannel: string;

beforeAll(async () => {
  [z, browser] = await Promise.all([startZaloWorld(), launchBrowser()]);
  zns = attachZns(z.sim, { dailyQuota: 300 });
  apiChannel = (await z.pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Đơn hàng website" } })).id;
  await z.pano.json(`/api/v1/channels/${z.channelId}/templates/sync`, { method: "POST" });
  const user = z.sim.addUser(undefined, { display_name: "Trần Thị Hoa", phone: "0905123456" });
  zns.addAccount("0905123456");
  await z.sim.deliver({ ...z.sim.events.userText(user, "Shop ơi, áo em đặt bị lỗi đường may"), timestamp: String(Date.now() - 8 * 24 * 3600_000) });
  conv = await z.conversationOf(user);
  contact = await eventually(async () => ((await z.contactOf(user))?.phone ? z.contactOf(user) : null), 8000, "the phone from the Zalo profile");
  await z.pano.json(`/api/v1/contacts/${contact.id}`, { method: "PATCH", json: { attributes: { order_code: "DH-7781" } } });
  w = await openPage(browser);
  await logIn(w.page, z.pano);
  await waitForLive(w.page);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await z?.stop();
});

describe("a Zalo customer quiet for 8 days", () => {
  test("the composer offers a ZNS template; params are prefilled and checked; the ZNS is sent and received", async () => {
    const page = w.page;
    await page.locator(`#conv-${conv.id} a`).click();
    await page.locator("#composer-verdict", { hasText: "7 ngày" }).waitFor();
    await page.locator("#template-offer").click();
    const panel = page.locator("#contact-pane.new-message");
    await panel.waitFor();
    await panel.getByLabel("Mẫu tin").selectOption({ label: "Xác nhận đơn hàng" });
    const name = panel.locator('input[name="p.customer_name"]');
    await name.waitFor();
    expect(await name.inputValue()).toBe("Trần Thị Hoa");
    expect(await panel.locator('input[name="p.order_code"]').inputValue()).toBe("DH-7781");
    // The template's rule: total is a number. The agent types it with separators first.
    await panel.locator('input[name="p.total"]').fill("850.000");
    await panel.getByRole("button", { name: "Gửi" }).click();
    await panel.locator("#outreach-error", { hasText: "total" }).waitFor();
    expect(zns.sendCalls()).toHaveLength(0);
    await panel.locator('input[name="p.total"]').fill("850000");
    await panel.locator('input[name="p.customer_name"]').fill("Chị Hoa");
    await panel.getByRole("button", { name: "Gửi" }).click();
    // The agent lands in the same conversation, where the ZNS shows with its template and quota.
    await page.waitForURL(new RegExp(`/inbox\\?c=${conv.id}`));
    const bubble = page.locator("#timeline .msg.out", { hasText: "Xác nhận đơn hàng" });
    await bubble.locator(".status.sent").waitFor({ timeout: 15_000 });
    await bubble.locator(".template-mark", { hasText: "còn 299/300" }).waitFor();
    expect(zns.sent.at(-1)!.template_data).toEqual({ customer_name: "Chị Hoa", order_code: "DH-7781", total: "850000" });
    await zns.delivered(zns.sent.at(-1)!.msg_id);
    await bubble.locator(".status.delivered", { hasText: "Đã nhận" }).waitFor({ timeout: 10_000 });
    expect(w.errors).toEqual([]);
  }, 60_000);

  test("New message on the profile says, before typing, why a channel cannot be used now", async () => {
    const page = w.page;
    await page.locator("#contact-new-message").click();
    const panel = page.locator("#contact-pane.new-message");
    await panel.waitFor();
    const zalo = panel.locator(`li[data-channel="${z.channelId}"]`);
    // The window is closed, but ZNS can reach her: the channel is offered as a template.
    expect(await zalo.getAttribute("data-can-start")).toBe("1");
    expect(await zalo.textContent()).toContain("ZNS");
    // An API channel never starts a conversation: shown without a button, with its reason, before anything is typed.
    const api = panel.locator(`li[data-channel="${apiChannel}"]`);
    expect(await api.getAttribute("data-can-start")).toBe("0");
    expect(await api.locator(".verdict").textContent()).toContain("chỉ trả lời khi khách nhắn trước");
    expect(await api.locator("button").count()).toBe(0);
    // Choosing Zalo asks for a template, not a text.
    await zalo.getByRole("button").click();
    await panel.getByLabel("Mẫu tin").waitFor();
    expect(await panel.locator("textarea").count()).toBe(0);
  });

  test("from the customer's profile page: New message, a template, and the agent lands in the conversation", async () => {
    const page = w.page;
    const before = zns.sent.length;
    await page.goto(`${z.pano.url}/contacts/${contact.id}`);
    await page.locator("#profile-new-message-button").click();
    const box = page.locator("#profile-new-message");
    await box.locator(`li[data-channel="${z.channelId}"] button`).click();
    await box.getByLabel("Mẫu tin").selectOption({ label: "Phản hồi khiếu nại" });
    await box.locator('input[name="p.ticket_note"]').fill("Shop đã gửi áo mới cho chị");
    expect(await box.locator('input[name="p.customer_name"]').inputValue()).toBe("Trần Thị Hoa");
    await box.getByRole("button", { name: "Gửi" }).click();
    await page.waitForURL(new RegExp(`/inbox\\?c=${conv.id}`));
    await page.locator("#timeline .msg.out", { hasText: "Phản hồi khiếu nại" }).waitFor();
    await eventually(() => zns.sent.length === before + 1, 15_000, "the second ZNS");
    expect(zns.sent.at(-1)!.template_data).toEqual({ customer_name: "Trần Thị Hoa", ticket_note: "Shop đã gửi áo mới cho chị" });
  }, 60_000);

  test("the admin sees the ZNS quota and the latest failure on the channel's settings, and syncs the templates", async () => {
    const page = w.page;
    zns.failNext(-118);
    const failed = await z.pano.json("/api/v1/conversations", { method: "POST", json: { contact_id: contact.id, channel_id: z.channelId, template_id: "231002", template_data: { ticket_note: "Shop gửi lại hàng" } } });
    await eventually(async () => (await z.messagesOf(failed.id)).find((m: any) => m.id === failed.message.id && m.status === "failed"), 15_000, "the failed ZNS");
    await page.goto(`${z.pano.url}/settings/channels/${z.channelId}`);
    const usage = page.locator("#channel-usage");
    await usage.waitFor();
    expect(await usage.textContent()).toContain(`${300 - zns.sent.length}/300`);
    expect(await usage.textContent()).toContain("không có tài khoản Zalo");
    zns.templates.get("231003")!.status = "ENABLE";
    await usage.getByRole("button", { name: "Đồng bộ mẫu ZNS" }).click();
    await page.locator("#channel-usage .test-result.ok", { hasText: "Đã đồng bộ 3 mẫu ZNS" }).waitFor();
    expect(await page.locator("#channel-usage").textContent()).toContain("3/3");
  });
});
