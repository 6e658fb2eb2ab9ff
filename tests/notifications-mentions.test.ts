// Two agents in Chromium. An (team Kho hàng) writes a private note and picks "@binh" from the
// composer's list; Bình (team Bán hàng, who cannot see Kho hàng's queue) sees the bell count go up
// live, opens the item and lands in that conversation, which is now open to him, and nothing
// else of Kho hàng is. Mentioning someone who left stores the note without error. With Pano's tab
// in the background and notifications granted, a new customer message shows a browser notification
// that opens the conversation; the browser is never asked for permission on page load.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { startPano, searchCaughtUp, type PanoProcess, openDatabaseOf } from "./support/pano.ts";
import { addTeam } from "./support/agents.ts";
import { customerWrites, launchBrowser, logIn, openPage, waitForLive, type WatchedPage } from "./support/browser.ts";
import { eventually } from "./support/pano.ts";

const PASSWORD = "mat-khau-dai-du-8";
let pano: PanoProcess;
let browser: Browser;
let channel: string;
let kho: string;
let ban: string;
const people: Record<string, { id: string; email: string }> = {};
let anPage: WatchedPage;
let binhPage: WatchedPage;
let ordered: string; // Kho hàng's conversation An holds
let otherKho: string; // another of Kho hàng's, nobody mentions
let lan: string; // a customer's conversation given to Bình

async function person(key: string, name: string, email: string, team: string) {
  const u = await pano.json("/api/v1/users", { method: "POST", json: { email, password: PASSWORD, name, role: "agent", team_ids: [team] } });
  people[key] = { id: u.id, email };
}

/** The number on the bell ("" when nothing is unread). */
const bellCount = async (page: Page) => {
  const badge = page.locator("#notif-count .notif-badge");
  return (await badge.count()) ? (await badge.innerText()).trim() : "";
};

beforeAll(async () => {
  pano = await startPano();
  channel = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Đơn hàng" } })).id;
  kho = await addTeam(pano, "Kho hàng", "manual");
  ban = await addTeam(pano, "Bán hàng", "manual");
  await person("an", "Nguyễn Văn An", "an@shop.vn", kho);
  await person("binh", "Trần Thị Bình", "binh@shop.vn", ban);
  await person("cu", "Lê Văn Cũ", "cu@shop.vn", ban);
  ordered = (await customerWrites(pano, channel, "kh-hoa", "Đơn 1234 của mình bị thiếu một món", "Phạm Thị Hoa")).conversation_id;
  await pano.json(`/api/v1/conversations/${ordered}`, { method: "PATCH", json: { team_id: kho, assignee_id: people.an!.id } });
  otherKho = (await customerWrites(pano, channel, "kh-minh", "Bao giờ có hàng lại ạ?", "Đỗ Văn Minh")).conversation_id;
  await pano.json(`/api/v1/conversations/${otherKho}`, { method: "PATCH", json: { team_id: kho } });
  browser = await launchBrowser();
  anPage = await openPage(browser);
  binhPage = await openPage(browser);
  // Asking for permission on load would show here: the page must only ask on a press.
  for (const w of [anPage, binhPage]) {
    await w.context.addInitScript(() => {
      const N = window.Notification as unknown as { requestPermission: () => Promise<string> };
      const ask = N.requestPermission.bind(N);
      (window as any).permissionAsks = 0;
      N.requestPermission = () => ((window as any).permissionAsks++, ask());
    });
  }
  await logIn(anPage.page, pano, { email: "an@shop.vn", password: PASSWORD });
  await logIn(binhPage.page, pano, { email: "binh@shop.vn", password: PASSWORD });
  await Promise.all([waitForLive(anPage.page), waitForLive(binhPage.page)]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await pano?.stop();
});

describe("mentions", () => {
  test("An mentions Bình in a note; Bình's bell counts it live and opening it shows the conversation", async () => {
    expect(await binhPage.page.locator(`#conv-${ordered}`).count()).toBe(0);
    const a = anPage.page;
    await a.goto(`${pano.url}/inbox?c=${ordered}`);
    await a.locator("#composer input[name=mode][value=note]").check();
    const box = a.locator("#reply-text");
    await box.click();
    await box.pressSequentially("@binh");
    // Typed without diacritics, found with them.
    const option = a.locator("#mention-list li", { hasText: "Trần Thị Bình" });
    await option.waitFor({ timeout: 10_000 });
    expect(await a.locator("#mention-list li").allInnerTexts()).not.toContainEqual(expect.stringContaining("Nguyễn Văn An"));
    await box.press("Enter");
    expect(await box.inputValue()).toBe("@Trần Thị Bình ");
    await box.pressSequentially("kiểm tra giúp đơn 1234 nhé");
    await box.press("Enter");
    await a.locator("#timeline", { hasText: "kiểm tra giúp đơn 1234 nhé" }).waitFor({ timeout: 10_000 });
    // The note shows whom it named.
    await a.locator("#timeline .msg.note mark.note-mention", { hasText: "@Trần Thị Bình" }).waitFor({ timeout: 10_000 });

    const b = binhPage.page;
    await eventually(async () => (await bellCount(b)) === "1", 15_000, "Bình's bell to count 1");
    // A screen reader hears the bell with its number.
    expect(await b.locator("#notif-menu summary").innerText()).toContain("Thông báo (1 chưa đọc)");
    await b.locator("#notif-menu summary").click();
    const item = b.locator("#notif-panel .notif-item.unread", { hasText: "Nguyễn Văn An nhắc đến bạn" });
    await item.waitFor({ timeout: 10_000 });
    expect(await item.innerText()).toContain("@Trần Thị Bình kiểm tra giúp đơn 1234 nhé");
    await item.locator("a").click();
    await b.waitForURL(new RegExp(`/inbox\\?c=${ordered}`));
    await b.locator("#timeline", { hasText: "Đơn 1234 của mình bị thiếu một món" }).waitFor({ timeout: 10_000 });
    await b.locator(`#msg-${await noteId()}.hit`).waitFor({ timeout: 10_000 });
    await eventually(async () => (await bellCount(b)) === "", 10_000, "the bell to be read");
    expect(binhPage.errors).toEqual([]);
    expect(anPage.errors).toEqual([]);
  }, 90_000);

  test("the mention lets Bình into that one conversation and nothing else of Kho hàng", async () => {
    const b = binhPage.page;
    await b.goto(`${pano.url}/inbox?status=all`);
    await b.locator(`#conv-${ordered}`).waitFor({ timeout: 10_000 });
    expect(await b.locator(`#conv-${otherKho}`).count()).toBe(0);
    const status = (path: string) => b.evaluate(async (p) => (await fetch(p, { headers: { "HX-Request": "true" } })).status, path);
    expect(await status(`/conversations/${ordered}`)).toBe(200);
    expect(await status(`/conversations/${otherKho}`)).toBe(404);
    expect(await status(`/conversations/${otherKho}/since`)).toBe(404);
    // The search page and the profile's history follow the same rule (asked once every message is indexed).
    await searchCaughtUp(pano);
    const search = await b.evaluate(async () => (await fetch("/search?q=hàng")).text());
    expect(search).not.toContain("Bao giờ có hàng lại");
  }, 60_000);

  test("a note naming someone who left is stored without error and tells only those still here", async () => {
    const admin = await openPage(browser);
    await logIn(admin.page, pano);
    const disabled = await admin.page.evaluate(async (id) => {
      const csrf = document.querySelector("meta[name=csrf-token]")!.getAttribute("content")!;
      return (await fetch(`/settings/users/${id}/disable`, { method: "POST", headers: { "X-CSRF-Token": csrf, "HX-Request": "true" } })).status;
    }, people.cu!.id);
    expect(disabled).toBeLessThan(400);
    await admin.context.close();

    const a = anPage.page;
    await a.locator("#composer input[name=mode][value=note]").check();
    const box = a.locator("#reply-text");
    await box.click();
    // Someone who left is not offered (nothing matches: 204), the ones still here are.
    const offered = (q: string) => a.evaluate(async (q) => (await fetch(`/notifications/mentionables?q=${encodeURIComponent(q)}`)).status, q);
    expect(await offered("le van")).toBe(204);
    expect(await offered("tran thi")).toBe(200);
    await box.fill("@Lê Văn Cũ đã nghỉ, @Trần Thị Bình nhận thay nhé");
    await box.press("Enter");
    await a.locator("#timeline", { hasText: "nhận thay nhé" }).waitFor({ timeout: 10_000 });
    const last = a.locator("#timeline .msg.note", { hasText: "nhận thay nhé" });
    await last.locator("mark.note-mention").first().waitFor({ timeout: 10_000 });
    expect(await last.locator("mark.note-mention").allInnerTexts()).toEqual(["@Trần Thị Bình"]);
    expect(await a.locator("#toast [role=alert]").count()).toBe(0);
    await eventually(async () => (await bellCount(binhPage.page)) === "1", 15_000, "the second mention on Bình's bell");
    const db = openDatabaseOf(pano.dataDir);
    try {
      const told = db.query<{ user_id: number }, []>("SELECT user_id FROM notifications WHERE kind = 'mention'").all().map((r) => String(r.user_id));
      expect(told).toContain(people.binh!.id);
      expect(told).not.toContain(people.cu!.id);
    } finally {
      db.close();
    }
  }, 60_000);
});

describe("browser notifications", () => {
  test("never asked on load; with the tab in the background, a customer's message shows a notification that opens the conversation", async () => {
    const b = binhPage.page;
    expect(await b.evaluate(() => (window as any).permissionAsks)).toBe(0);
    await binhPage.context.grantPermissions(["notifications"], { origin: pano.url });
    await b.goto(`${pano.url}/inbox`);
    await waitForLive(b);
    // The tab goes to the background; what the page would show is recorded.
    await b.evaluate(() => {
      Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
      document.hasFocus = () => false;
      const Real = window.Notification;
      (window as any).shown = [];
      (window as any).Notification = class extends Real {
        constructor(title: string, opts?: NotificationOptions) {
          super(title, opts);
          (window as any).shown.push({ title, body: opts?.body, tag: opts?.tag });
          (window as any).lastShown = this;
        }
      };
    });
    const z = (lan = (await customerWrites(pano, channel, "kh-lan", "Chào shop", "Vũ Thị Lan")).conversation_id);
    await pano.json(`/api/v1/conversations/${z}`, { method: "PATCH", json: { team_id: ban, assignee_id: people.binh!.id } });
    // Whoever assigned it (the admin, by whatever name first run gave them) is named first.
    await eventually(async () => (await b.evaluate(() => (window as any).shown.map((s: any) => s.title) as string[])).some((t) => / giao cho bạn hội thoại với Vũ Thị Lan$/.test(t)), 15_000, "the assignment's browser notification");
    await customerWrites(pano, channel, "kh-lan", "Mình muốn đổi size áo sang L", "Vũ Thị Lan");
    await eventually(async () => (await b.evaluate(() => (window as any).shown as { title: string; body: string }[])).some((s) => s.title === "Vũ Thị Lan vừa nhắn" && s.body === "Mình muốn đổi size áo sang L"), 15_000, "the message's browser notification");
    await Promise.all([b.waitForURL(new RegExp(`/inbox\\?c=${z}$`)), b.evaluate(() => (window as any).lastShown.onclick())]);
    await b.locator("#timeline", { hasText: "Mình muốn đổi size áo sang L" }).waitFor({ timeout: 10_000 });
    expect(await b.evaluate(() => (window as any).permissionAsks)).toBe(0);
  }, 90_000);

  test("a message in the conversation Bình is looking at is read at once: nothing of it is left on the bell", async () => {
    const b = binhPage.page;
    await b.goto(`${pano.url}/inbox?c=${lan}`);
    await waitForLive(b);
    await b.bringToFront();
    const db = openDatabaseOf(pano.dataDir);
    const unreadAbout = (conversation: string) => db.query<{ n: number }, [string, string]>("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND conversation_id = ? AND read_at IS NULL").get(people.binh!.id, conversation)!.n;
    try {
      // Opening it read what told him of it (the assignment); the earlier mention elsewhere stays unread.
      await eventually(() => unreadAbout(lan) === 0, 10_000, "the conversation's notifications read on opening it");
      await eventually(async () => (await bellCount(b)) === String(unreadTotal(db)), 10_000, "the bell to show what is left");
      const before = await bellCount(b);
      await customerWrites(pano, channel, "kh-lan", "Size L còn màu đen không shop?", "Vũ Thị Lan");
      await b.locator("#timeline", { hasText: "Size L còn màu đen không shop?" }).waitFor({ timeout: 10_000 });
      await eventually(() => db.query<{ read_at: number | null }, [string, string]>("SELECT read_at FROM notifications WHERE user_id = ? AND conversation_id = ? AND kind = 'message' AND data LIKE '%Size L%'").get(people.binh!.id, lan)?.read_at, 10_000, "the message's notification read");
      await eventually(async () => (await bellCount(b)) === before && unreadAbout(lan) === 0, 10_000, "the bell back where it was");
    } finally {
      db.close();
    }
  }, 60_000);

  test("the bell's button is what asks for permission, and the app can be installed (manifest, service worker)", async () => {
    const w = await openPage(browser);
    await w.context.addInitScript(() => {
      (window as any).permissionAsks = 0;
      window.Notification.requestPermission = () => ((window as any).permissionAsks++, Promise.resolve("denied" as NotificationPermission));
    });
    await logIn(w.page, pano, { email: "an@shop.vn", password: PASSWORD });
    const p = w.page;
    expect(await p.evaluate(() => (window as any).permissionAsks)).toBe(0);
    await p.locator("#notif-menu summary").click();
    const button = p.getByRole("button", { name: "Bật thông báo trên trình duyệt" });
    await button.waitFor({ timeout: 10_000 });
    await button.click();
    await eventually(async () => (await p.evaluate(() => (window as any).permissionAsks)) === 1, 5000, "the press to ask");
    // Escape closes the menu and gives the focus back to the bell.
    await button.focus();
    await p.keyboard.press("Escape");
    expect(await p.evaluate(() => [(document.getElementById("notif-menu") as HTMLDetailsElement).open, document.activeElement?.tagName])).toEqual([false, "SUMMARY"]);
    const manifest = await p.evaluate(async () => {
      const href = document.querySelector("link[rel=manifest]")!.getAttribute("href")!;
      return (await fetch(href)).json();
    });
    expect(manifest).toMatchObject({ name: "Pano", start_url: "/inbox", display: "standalone" });
    // Installable: a 192 and a 512 pixel PNG icon, served as images.
    for (const size of [192, 512]) expect(manifest.icons).toContainEqual({ src: `/assets/pano-icon-${size}.png`, sizes: `${size}x${size}`, type: "image/png" });
    const icon = await p.evaluate(async () => { const r = await fetch("/assets/pano-icon-512.png"); return [r.headers.get("content-type"), (await r.arrayBuffer()).byteLength]; });
    expect(icon[0]).toBe("image/png");
    expect(icon[1]).toBeGreaterThan(1000);
    const scope = await p.evaluate(async () => (await navigator.serviceWorker.register("/sw.js")).scope);
    expect(scope).toBe(`${pano.url}/`);
    await w.context.close();
  }, 60_000);
});

function unreadTotal(db: ReturnType<typeof openDatabaseOf>): number {
  return db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL").get(people.binh!.id)!.n;
}

/** The id of the note An wrote (the timeline marks it). */
async function noteId(): Promise<string> {
  const db = openDatabaseOf(pano.dataDir);
  try {
    return String(db.query<{ id: number }, [string]>("SELECT id FROM messages WHERE conversation_id = ? AND private = 1 ORDER BY id DESC LIMIT 1").get(ordered)!.id);
  } finally {
    db.close();
  }
}
