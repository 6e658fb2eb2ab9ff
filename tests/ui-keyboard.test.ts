// Working the queue without touching the mouse: j/k through the list, Enter to open, r to reply,
// "/" canned replies, n for a note, a to assign, e to resolve, ? for the shortcut sheet. Also the
// long conversation: it opens on the latest messages and older ones load when scrolling up.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { customerWrites, launchBrowser, logIn, openPage, type WatchedPage } from "./support/browser.ts";

let pano: PanoProcess;
let browser: Browser;
let w: WatchedPage;
let channelId: string;
const convs: string[] = [];

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Zalo giả lập" } })).id;
  await pano.json("/api/v1/canned-replies", { method: "POST", json: { shortcut: "camon", text: "Cảm ơn anh/chị đã liên hệ với shop!" } });
  for (const [who, text] of [["kh-1", "Cho hỏi giá áo thun"], ["kh-2", "Giao hàng mất mấy ngày?"], ["kh-3", "Tôi muốn đổi size"]]) {
    convs.push((await customerWrites(pano, channelId, who, text, `Khách ${who}`)).conversation_id);
  }
  // A long history: 130 messages, more than one page.
  for (let i = 1; i <= 130; i++) await customerWrites(pano, channelId, "kh-long", `Tin nhắn số ${i}`, "Khách dài");
  w = await openPage(browser);
  await logIn(w.page, pano);
});
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
});

const focusedRowId = () => w.page.evaluate(() => document.activeElement?.closest(".conv-row")?.getAttribute("data-id") ?? null);

describe("keyboard only", () => {
  test("j and k move through the list, Enter opens the conversation", async () => {
    await w.page.keyboard.press("j");
    const first = await focusedRowId();
    expect(first).not.toBeNull();
    await w.page.keyboard.press("j");
    const second = await focusedRowId();
    expect(second).not.toBe(first);
    await w.page.keyboard.press("k");
    expect(await focusedRowId()).toBe(first);
    await w.page.keyboard.press("Enter");
    await w.page.locator(`#conversation [data-conversation="${first}"]`).first().waitFor();
    expect(await w.page.locator(`#conv-${first}`).getAttribute("class")).toContain("selected");
  });

  test("r focuses the reply box, / inserts a canned reply, Enter sends", async () => {
    await w.page.keyboard.press("r");
    expect(await w.page.evaluate(() => document.activeElement?.id)).toBe("reply-text");
    await w.page.keyboard.type("/cam");
    await w.page.locator("#canned li", { hasText: "/camon" }).waitFor();
    await w.page.keyboard.press("Enter");
    expect(await w.page.locator("#reply-text").inputValue()).toBe("Cảm ơn anh/chị đã liên hệ với shop!");
    await w.page.keyboard.press("Enter");
    await w.page.locator("#timeline .msg.out", { hasText: "Cảm ơn anh/chị" }).locator(".status.sent").waitFor();
  });

  test("Escape leaves the box; n writes a private note", async () => {
    await w.page.keyboard.press("Escape");
    await w.page.keyboard.press("n");
    expect(await w.page.evaluate(() => document.activeElement?.id)).toBe("reply-text");
    expect(await w.page.locator("#composer").getAttribute("class")).toContain("private");
    await w.page.keyboard.type("Đã báo kho kiểm tra");
    await w.page.keyboard.press("Enter");
    await w.page.locator("#timeline .msg.note", { hasText: "Đã báo kho" }).waitFor();
  });

  test("a assigns with the keyboard, e resolves", async () => {
    await w.page.keyboard.press("Escape");
    await w.page.keyboard.press("a");
    expect(await w.page.evaluate(() => document.activeElement?.id)).toBe("act-assignee");
    await w.page.locator("#act-assignee").selectOption({ label: "Admin" });
    await w.page.locator("#timeline .event", { hasText: "đã giao cho Admin" }).waitFor();
    await w.page.locator("#timeline").focus();
    await w.page.keyboard.press("e");
    await w.page.locator("#timeline .event", { hasText: "Đã giải quyết" }).waitFor();
    const id = await w.page.locator("#conv-head").getAttribute("data-conversation");
    expect((await pano.json(`/api/v1/conversations/${id}`)).status).toBe("resolved");
  });

  test("? shows the shortcuts and / jumps to search", async () => {
    await w.page.locator("#timeline").focus();
    await w.page.keyboard.press("?");
    const dialog = w.page.getByRole("dialog", { name: "Phím tắt" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("Đánh dấu đã giải quyết");
    await w.page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await w.page.keyboard.press("/");
    expect(await w.page.evaluate(() => document.activeElement?.id)).toBe("search");
    await w.page.keyboard.type("đổi size");
    await w.page.locator(`#conv-${convs[2]}`).waitFor();
    await w.page.locator(`#conv-${convs[0]}`).waitFor({ state: "detached" });
  });

  test("a long conversation opens on its latest messages and loads older ones on scroll up", async () => {
    await w.page.goto(`${pano.url}/inbox?q=${encodeURIComponent("Khách dài")}`);
    await w.page.locator(".conv-row a").first().click();
    await w.page.locator("#timeline .msg", { hasText: "Tin nhắn số 130" }).waitFor();
    expect(await w.page.locator("#timeline .msg").count()).toBe(50);
    // The agent keeps scrolling up, as a person does, until the message they look for is there:
    // pages of 50 arrive one per scroll to the top (81-130 first, then 31-80, then 1-30).
    const scrollUpUntil = async (text: RegExp) => {
      const target = w.page.locator("#timeline .msg", { hasText: text });
      for (let i = 0; i < 40 && !(await target.count()); i++) {
        await w.page.locator("#timeline").evaluate((el) => (el.scrollTop = 0));
        await w.page.waitForTimeout(250);
      }
      await target.waitFor();
    };
    await scrollUpUntil(/Tin nhắn số 31$/);
    await scrollUpUntil(/Tin nhắn số 1$/);
    await w.page.getByText("Đầu cuộc hội thoại").waitFor();
    expect(await w.page.locator("#timeline .msg").count()).toBe(130);
    expect(w.errors).toEqual([]);
  });
});
