// An agent's day in the inbox, in a real Chromium: sign in, a customer writes and the message
// appears without a reload, the agent replies with Enter, writes a private note, takes the
// conversation and resolves it, and the list follows along.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { customerWrites, launchBrowser, logIn, openPage, waitForLive, type WatchedPage } from "./support/browser.ts";

let pano: PanoProcess;
let browser: Browser;
let w: WatchedPage;
let channelId: string;
let conversationId: string;

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website chat" } })).id;
  w = await openPage(browser);
});
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
});

describe("working the live queue", () => {
  test("the agent signs in (remember me) and lands on an empty inbox in Vietnamese", async () => {
    await logIn(w.page, pano, undefined, { remember: true });
    const cookie = (await w.context.cookies()).find((c) => c.name.includes("session"));
    expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000 + 7 * 86400);
    expect(await w.page.locator("html").getAttribute("lang")).toBe("vi");
    await w.page.getByText("Không có hội thoại nào khớp bộ lọc").waitFor();
    await waitForLive(w.page);
  });

  test("a customer's message appears in the open inbox within a second, without a reload", async () => {
    await w.page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const ids = await customerWrites(pano, channelId, "kh-lan", "Shop ơi, đơn hàng DH123 của mình đâu rồi?", "Nguyễn Thị Lan");
    conversationId = ids.conversation_id;
    const row = w.page.locator(`#conv-${conversationId}`);
    await row.waitFor({ timeout: 1000 });
    expect(await row.locator(".who").textContent()).toBe("Nguyễn Thị Lan");
    expect(await row.locator(".preview").textContent()).toContain("DH123");
    expect(await w.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  test("opening it shows the timeline; the customer's next message arrives in it live", async () => {
    await w.page.locator(`#conv-${conversationId} a`).click();
    await w.page.locator("#timeline .msg.in").first().waitFor();
    expect(await w.page.locator("#contact-pane h2").textContent()).toBe("Nguyễn Thị Lan");
    await customerWrites(pano, channelId, "kh-lan", "Mình cần gấp ạ");
    await w.page.locator("#timeline .msg.in", { hasText: "Mình cần gấp ạ" }).waitFor({ timeout: 1000 });
  });

  test("Enter sends the reply and it is marked sent; Shift+Enter makes a new line", async () => {
    const box = w.page.getByLabel("Nội dung tin nhắn");
    await box.click();
    await box.pressSequentially("Dạ chị chờ em một chút");
    await box.press("Shift+Enter");
    await box.pressSequentially("em kiểm tra ngay ạ");
    await box.press("Enter");
    const sent = w.page.locator("#timeline .msg.out", { hasText: "em kiểm tra ngay ạ" });
    await sent.locator(".status.sent").waitFor();
    expect(await sent.locator(".text").textContent()).toBe("Dạ chị chờ em một chút\nem kiểm tra ngay ạ");
    expect(await box.inputValue()).toBe("");
    const api = await pano.json(`/api/v1/conversations/${conversationId}/messages`);
    expect(api.data.at(-1)).toMatchObject({ direction: "out", private: false, text: "Dạ chị chờ em một chút\nem kiểm tra ngay ạ", status: "sent" });
  });

  test("a private note stays inside the team and looks different", async () => {
    await w.page.getByRole("radio", { name: "Ghi chú nội bộ" }).check();
    const box = w.page.getByLabel("Nội dung tin nhắn");
    await box.fill("Khách VIP, ưu tiên giao nhanh");
    await box.press("Enter");
    const note = w.page.locator("#timeline .msg.note", { hasText: "Khách VIP" });
    await note.waitFor();
    expect(await note.textContent()).toContain("Ghi chú nội bộ");
    const api = await pano.json(`/api/v1/conversations/${conversationId}/messages`);
    expect(api.data.at(-1)).toMatchObject({ private: true, text: "Khách VIP, ưu tiên giao nhanh" });
  });

  test("taking the conversation and resolving it is shown in the timeline and the list", async () => {
    await w.page.getByRole("button", { name: "Nhận xử lý" }).click();
    await w.page.locator("#timeline .event", { hasText: "đã giao cho Admin" }).waitFor();
    await w.page.locator(`#conv-${conversationId} .avatar`).waitFor();
    await w.page.getByRole("button", { name: "Đã giải quyết" }).click();
    await w.page.locator("#timeline .event", { hasText: "Đã giải quyết" }).waitFor();
    // The list shows open conversations: the resolved one leaves it.
    await w.page.locator(`#conv-${conversationId}`).waitFor({ state: "detached" });
    expect((await pano.json(`/api/v1/conversations/${conversationId}`)).status).toBe("resolved");
    expect(w.dialogs).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  test("logging out ends the session", async () => {
    await w.page.locator(".user-menu summary").click();
    await w.page.getByRole("button", { name: "Đăng xuất" }).click();
    await w.page.getByText("Bạn đã đăng xuất.").waitFor();
    await w.page.goto(`${pano.url}/inbox`);
    expect(new URL(w.page.url()).pathname).toBe("/login");
  });
});
