// The inbox shows what triage said (intent, urgency) as tags with urgent conversations first, and
// an agent puts a wrong guess right in one click. Then the rest of an agent's tools, in a real
// Chromium: assign to a team, labels, snooze until a time, the filters by label and priority,
// the assignee's avatar in the list, and the contact panel with conversations on other channels.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { eventually, startPano, type PanoProcess } from "./support/pano.ts";
import { customerWrites, launchBrowser, logIn, openPage, waitForLive, type WatchedPage } from "./support/browser.ts";

let pano: PanoProcess;
let browser: Browser;
let w: WatchedPage;
let web: string;
let chat: string;
let question: string;
let complaint: string;

const INTENT_VI: Record<string, string> = { complaint: "Khiếu nại", support_request: "Yêu cầu hỗ trợ", product_question: "Hỏi về sản phẩm" };
const rowIds = () => w.page.locator("#conv-list .conv-row").evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));
const open = async (id: string) => {
  await w.page.locator(`#conv-${id} a`).click();
  await w.page.locator(`#conv-head[data-conversation="${id}"]`).waitFor();
};

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  web = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
  chat = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Ứng dụng" } })).id;
  question = (await customerWrites(pano, web, "kh-hung", "Cho mình hỏi áo khoác gió size L còn màu xanh navy không ạ?", "Phạm Văn Hùng")).conversation_id;
  complaint = (await customerWrites(pano, web, "kh-lan",
    "Tôi rất bức xúc! Đơn hàng giao sai sản phẩm lần thứ hai rồi, gọi hotline không ai nghe máy. Hoàn tiền ngay cho tôi, không thì tôi báo lên sàn!",
    "Nguyễn Thị Lan")).conversation_id;
  // Triage runs after the commit, off the request: wait until it has spoken.
  await eventually(async () => {
    const c = await pano.json(`/api/v1/conversations/${complaint}`);
    return c.priority === "urgent" && c.intent !== null;
  }, 10_000, "triage marks the complaint urgent");
  w = await openPage(browser);
  await logIn(w.page, pano);
  await waitForLive(w.page);
});
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
});

describe("triage tags in the inbox", () => {
  test("the complaint is tagged urgent and with the triage's intent, and sits above the older question", async () => {
    const row = w.page.locator(`#conv-${complaint}`);
    expect(await row.locator(".tag.urgent").textContent()).toBe("Khẩn");
    const { intent } = await pano.json(`/api/v1/conversations/${complaint}`);
    if (intent === "other") expect(await row.locator(".tag.intent").count()).toBe(0); // "nothing fits" is not worth a tag
    else expect(await row.locator(".tag.intent").textContent()).toBe(INTENT_VI[intent]);
    expect((await rowIds()).indexOf(complaint)).toBeLessThan((await rowIds()).indexOf(question));
  });

  test("one click says 'not urgent': the tag goes and the conversation takes its place by waiting time", async () => {
    await open(complaint);
    const toggle = w.page.locator("#conv-head .tag-button");
    expect(await toggle.getAttribute("aria-pressed")).toBe("true");
    await toggle.click();
    await w.page.locator('#conv-head .tag-button[aria-pressed="false"]').waitFor();
    await w.page.locator(`#conv-${complaint} .tag.urgent`).waitFor({ state: "detached" });
    await eventually(async () => (await rowIds()).indexOf(question) < (await rowIds()).indexOf(complaint), 3000, "the question is first again");
    await w.page.locator("#timeline .event", { hasText: "đã bỏ đánh dấu khẩn cấp" }).waitFor();
    const api = await pano.json(`/api/v1/conversations/${complaint}`);
    expect(api.priority).toBe("normal");
  });

  test("choosing another intent retags the row at once", async () => {
    await w.page.locator("#act-intent").selectOption("product_question");
    await w.page.locator(`#conv-${complaint} .tag.intent`, { hasText: "Hỏi về sản phẩm" }).waitFor();
    await w.page.locator("#timeline .event", { hasText: "đã phân loại: Hỏi về sản phẩm" }).waitFor();
    expect((await pano.json(`/api/v1/conversations/${complaint}`)).intent).toBe("product_question");
    // Put back: an urgent complaint again, with the same one click.
    await w.page.locator("#act-intent").selectOption("complaint");
    await w.page.locator(`#conv-${complaint} .tag.intent`, { hasText: "Khiếu nại" }).waitFor();
    await w.page.locator('#conv-head .tag-button[aria-pressed="false"]').click();
    await w.page.locator(`#conv-${complaint} .tag.urgent`).waitFor();
    await eventually(async () => (await rowIds())[0] === complaint, 3000, "the complaint is first again");
  });
});

describe("an agent's tools", () => {
  test("assign to a team and to an agent: the list row shows the assignee's avatar", async () => {
    const team = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Chăm sóc khách hàng" } });
    const agent = await pano.json("/api/v1/users", { method: "POST", json: { email: "minhanh@pano.test", password: "mat-khau-123456", name: "Trần Minh Anh", team_ids: [team.id] } });
    await w.page.reload();
    await open(question);
    await w.page.locator("#act-team").selectOption({ label: "Chăm sóc khách hàng" });
    await w.page.locator("#timeline .event", { hasText: "đã chuyển sang nhóm Chăm sóc khách hàng" }).waitFor();
    await w.page.locator("#act-assignee").selectOption({ label: "Trần Minh Anh" });
    await w.page.locator("#timeline .event", { hasText: "đã giao cho Trần Minh Anh" }).waitFor();
    const avatar = w.page.locator(`#conv-${question} .avatar`);
    await avatar.waitFor();
    expect(await avatar.textContent()).toBe("MA"); // Vietnamese names end with the given name: Minh Anh
    expect(await avatar.getAttribute("aria-label")).toBe("Giao cho Trần Minh Anh");
    const api = await pano.json(`/api/v1/conversations/${question}`);
    expect([api.team_id, api.assignee_id]).toEqual([team.id, agent.id]);
  });

  test("labels and priority, then the list filtered by each", async () => {
    await w.page.locator("#act-labels").fill("vip, đổi hàng");
    await w.page.locator("#conv-head .labels-form button").click();
    await w.page.locator(`#conv-${question} .tag`, { hasText: "#vip" }).waitFor();
    await w.page.locator("#act-priority").selectOption("high");
    await w.page.locator(`#conv-${question} .tag.high`).waitFor();
    await w.page.reload();
    await w.page.locator("#f-label").selectOption("vip");
    await w.page.locator(`#conv-${complaint}`).waitFor({ state: "detached" });
    expect(await rowIds()).toEqual([question]);
    await w.page.locator("#f-label").selectOption("");
    await w.page.locator("#f-priority").selectOption("urgent");
    await w.page.locator(`#conv-${question}`).waitFor({ state: "detached" });
    expect(await rowIds()).toEqual([complaint]);
    await w.page.locator("#f-priority").selectOption("");
    await w.page.locator(`#conv-${question}`).waitFor();
  });

  test("snooze until a chosen time: it leaves the open list and says until when", async () => {
    await open(question);
    await w.page.locator("#conv-head .snooze summary").click();
    await w.page.locator("#act-until").fill("2099-01-02T08:30");
    await w.page.locator("#conv-head .snooze form button").click();
    await w.page.locator("#conv-head .state", { hasText: "08:30 2/1/99" }).waitFor();
    await w.page.locator(`#conv-${question}`).waitFor({ state: "detached" });
    const api = await pano.json(`/api/v1/conversations/${question}`);
    expect(api.status).toBe("snoozed");
    await w.page.locator("#f-status").selectOption("snoozed");
    await w.page.locator(`#conv-${question}`).waitFor();
  });

  test("the contact panel shows phone, email, both channels and links the other conversation", async () => {
    const other = await customerWrites(pano, chat, "app-lan-1", "Mình nhắn từ ứng dụng nè", "Lan");
    const lan = (await pano.json(`/api/v1/conversations/${complaint}`)).contact_id;
    await pano.json(`/api/v1/contacts/${lan}`, { method: "PATCH", json: { phone: "0903123456", email: "lan.nguyen@example.vn" } });
    await pano.json(`/api/v1/contacts/${lan}/merge`, { method: "POST", json: { other_id: other.contact_id } });
    await customerWrites(pano, web, "kh-lan", "Alo shop ơi?");
    await w.page.goto(`${pano.url}/inbox?c=${complaint}`);
    // Opened by its address: read at once, so its row has no unread badge.
    expect(await w.page.locator(`#conv-${complaint} .badge`).count()).toBe(0);
    const panel = w.page.locator("#contact-pane");
    await panel.locator("#contact-name").waitFor();
    expect(await panel.locator("#contact-name").textContent()).toBe("Nguyễn Thị Lan");
    expect(await panel.locator('a[href="tel:0903123456"]').count()).toBe(1);
    expect(await panel.locator('a[href="mailto:lan.nguyen@example.vn"]').count()).toBe(1);
    const text = (await panel.textContent()) ?? "";
    expect(text).toContain("Website");
    expect(text).toContain("Ứng dụng");
    await panel.locator(`a[href^="/inbox?c=${other.conversation_id}"]`).click();
    await w.page.locator(`#conv-head[data-conversation="${other.conversation_id}"]`).waitFor();
    await w.page.locator("#timeline .msg.in", { hasText: "Mình nhắn từ ứng dụng nè" }).waitFor();
    expect(w.errors).toEqual([]);
  });
});

describe("accessible to keyboard and screen reader users", () => {
  test("every visible control on the main screens has a name, and Tab shows where focus is", async () => {
    const unnamed: string[] = [];
    for (const path of [`/inbox?c=${complaint}`, "/settings/channels", "/settings/users", "/reports", "/account"]) {
      await w.page.goto(`${pano.url}${path}`);
      // Standards mode: a page without a real doctype renders in quirks mode (and showed the doctype as text).
      expect(await w.page.evaluate(() => document.compatMode)).toBe("CSS1Compat");
      const found = await w.page.evaluate(() => {
        const visible = (el: Element) => !!(el as HTMLElement).offsetParent || (el as HTMLElement).getClientRects().length > 0;
        const controls = [...document.querySelectorAll("input:not([type=hidden]), select, textarea, button, a[href], summary")].filter(visible);
        return controls.filter((el) => {
          const labelled = (el as HTMLInputElement).labels?.length || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || el.getAttribute("title");
          return !labelled && !(el.textContent ?? "").trim() && !el.querySelector("[aria-label], img[alt]:not([alt=''])");
        }).map((el) => el.outerHTML.slice(0, 120));
      });
      unnamed.push(...found.map((h) => `${path}: ${h}`));
      await w.page.keyboard.press("Tab");
      const ring = await w.page.evaluate(() => {
        const s = getComputedStyle(document.activeElement!);
        return `${s.outlineStyle} ${s.outlineWidth}`;
      });
      expect(ring).toBe("solid 3px");
    }
    expect(unnamed).toEqual([]);
  });
});
