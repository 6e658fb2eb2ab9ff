// A shop's website (its own origin, a second local server) pastes the one-line snippet; a visitor
// opens the chat in a real Chromium, fills the pre-chat form, writes with Enter, gets the agent's
// reply live, sends a photo (and is refused an .exe named .png), reloads and keeps the
// conversation; a logged-in customer with a valid hash joins their profile; another website is
// refused; on a phone the chat is a full-screen sheet.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Frame, Page } from "playwright-core";
import { createHmac } from "node:crypto";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { launchBrowser, openPage, type WatchedPage } from "./support/browser.ts";

const SECRET = "bi-mat-cua-shop-0123456789";
let pano: PanoProcess;
let browser: Browser;
let shop: ReturnType<typeof Bun.serve>;
let evil: ReturnType<typeof Bun.serve>;
let channel: { id: string; widget_token: string };
let w: WatchedPage;

const page = (token: string, settings = "") => `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Shop Hoa</title>
<style>button { background: red !important; } iframe { display: none; }</style></head>
<body><h1>Shop Hoa</h1>${settings}<script src="${pano.url}/widget.js" data-pano-token="${token}" async></script></body></html>`;

function serveShop(html: (url: URL) => string) {
  return Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (req) => new Response(html(new URL(req.url)), { headers: { "content-type": "text/html; charset=utf-8" } }) });
}
const shopUrl = () => `http://localhost:${shop.port}`;

async function openChat(p: Page): Promise<Frame> {
  await p.locator("button[data-pano-launcher]").click();
  const el = p.locator('iframe[title="Pano chat"]');
  await el.waitFor();
  const frame = (await el.elementHandle())!.contentFrame();
  const f = (await frame)!;
  await f.waitForSelector("#text");
  return f;
}
const conversations = async () => (await pano.json(`/api/v1/conversations?channel_id=${channel.id}&status=all`)).data as { id: string; contact_id: string }[];

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  shop = serveShop((u) => {
    const user = u.searchParams.get("user");
    if (!user) return page(channel.widget_token);
    const hash = u.searchParams.get("bad") ? "0".repeat(64) : createHmac("sha256", SECRET).update(user).digest("hex");
    return page(channel.widget_token, `<script>window.panoSettings = { user: { id: ${JSON.stringify(user)}, name: "Trần Minh", email: "minh@example.com", hash: ${JSON.stringify(hash)} } };</script>`);
  });
  evil = serveShop(() => page(channel.widget_token));
  channel = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "web_chat", name: "Website", config: { allowed_origins: [shopUrl()], identity_secret: SECRET, welcome_text: "Chào bạn, Shop Hoa đây!", color: "#d6336c", pre_chat: { name: "required" } } },
  });
  w = await openPage(browser);
});
afterAll(async () => {
  await browser?.close();
  shop?.stop(true);
  evil?.stop(true);
  await pano?.stop();
});

describe("website chat in a real browser", () => {
  let frame: Frame;
  test("widget.js loads nothing else until the launcher is opened", async () => {
    const requests: string[] = [];
    w.page.on("request", (r) => requests.push(r.url()));
    await w.page.goto(shopUrl());
    await w.page.locator("button[data-pano-launcher]").waitFor();
    expect(requests.filter((u) => u.startsWith(pano.url))).toEqual([`${pano.url}/widget.js`]);
    expect(await w.page.locator("button[data-pano-launcher]").getAttribute("aria-label")).toBe("Mở cửa sổ chat");
  });

  test("opening shows the welcome and the pre-chat form; Enter sends; the message reaches the inbox", async () => {
    frame = await openChat(w.page);
    await frame.getByText("Chào bạn, Shop Hoa đây!").waitFor();
    await frame.getByLabel("Họ tên").fill("Nguyễn Thị Lan");
    await frame.getByRole("button", { name: "Bắt đầu trò chuyện" }).click();
    const box = frame.locator("#text");
    await box.click();
    await box.pressSequentially("Shop ơi còn hoa hồng không?");
    await box.press("Shift+Enter");
    await box.pressSequentially("<b>gấp</b>");
    await box.press("Enter");
    await frame.locator(".msg.mine[data-id]", { hasText: "Shop ơi còn hoa hồng không?" }).waitFor();
    expect(await frame.locator(".msg.mine p").last().textContent()).toBe("Shop ơi còn hoa hồng không?\n<b>gấp</b>");
    const [conv] = await eventually(async () => ((await conversations()).length ? conversations() : null));
    expect((await pano.json(`/api/v1/contacts/${conv.contact_id}`)).name).toBe("Nguyễn Thị Lan");
  });

  test("the agent's reply appears live in the widget within a second, with their name", async () => {
    const [conv] = await conversations();
    const t0 = Date.now();
    await pano.json(`/api/v1/conversations/${conv.id}/messages`, { method: "POST", json: { text: "Dạ còn ạ, chị cần mấy bó?" } });
    await frame.locator(".msg.theirs", { hasText: "Dạ còn ạ, chị cần mấy bó?" }).waitFor({ timeout: 1000 });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await frame.locator(".msg.theirs .who").last().textContent()).toBeTruthy();
  });

  test("a photo is sent; an .exe renamed .png is refused with a clear message", async () => {
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
    await frame.locator("#file").setInputFiles({ name: "hoa.png", mimeType: "image/png", buffer: png });
    await frame.locator(".msg.mine img").waitFor();
    await frame.locator("#file").setInputFiles({ name: "virus.png", mimeType: "image/png", buffer: Buffer.from("MZ\x90\x00 this is a program") });
    await frame.getByText("Chỉ gửi được ảnh (PNG, JPEG, GIF, WebP) hoặc PDF.").waitFor();
  });

  test("a reload keeps the conversation (and the chat open)", async () => {
    await w.page.reload();
    const el = w.page.locator('iframe[title="Pano chat"]');
    await el.waitFor();
    const f = (await (await el.elementHandle())!.contentFrame())!;
    await f.locator(".msg.theirs", { hasText: "Dạ còn ạ, chị cần mấy bó?" }).waitFor();
    await f.locator(".msg.mine", { hasText: "Shop ơi còn hoa hồng không?" }).waitFor();
    expect(await f.locator("#prechat").isHidden()).toBe(true);
    expect(w.errors).toEqual([]);
    expect(w.dialogs).toEqual([]);
  });

  test("a logged-in customer with a valid hash joins their existing profile; a bad hash does not", async () => {
    const app = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "App" } });
    const known = await pano.json(`/api/v1/channels/${app.id}/inbound`, { method: "POST", json: { external_contact_id: "app-minh", external_message_id: "m1", text: "hi", email: "minh@example.com", contact_name: "Trần Minh" } });
    for (const [query, joins] of [["?user=77&bad=1", false], ["?user=77", true]] as const) {
      const v = await openPage(browser);
      await v.page.goto(shopUrl() + query);
      const f = await openChat(v.page);
      const text = joins ? "Mình là Minh (đã đăng nhập)" : "Mình giả làm Minh";
      await f.locator("#text").fill(text);
      if (!joins) {
        await f.getByLabel("Họ tên").fill("Kẻ mạo danh");
        await f.getByRole("button", { name: "Bắt đầu trò chuyện" }).click();
      }
      await f.locator("#text").fill(text);
      await f.locator("#text").press("Enter");
      // [data-id]: stored (a bubble waiting for the server has none).
      await f.locator(".msg.mine[data-id]", { hasText: text }).waitFor();
      const contact = await pano.json(`/api/v1/contacts/${known.contact_id}`);
      expect(contact.identities.some((i: { external_id: string }) => i.external_id === "u_77")).toBe(joins);
      await v.context.close();
    }
  });

  test("another website embedding the snippet is refused with 403", async () => {
    const v = await openPage(browser);
    const refused = v.page.waitForResponse((r) => r.url().includes("/chat/frame?"));
    await v.page.goto(`http://127.0.0.1:${evil.port}`);
    await v.page.locator("button[data-pano-launcher]").click();
    expect((await refused).status()).toBe(403);
    await v.context.close();
  });

  test("on a phone the chat opens as a full-screen sheet", async () => {
    const v = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await v.page.goto(shopUrl());
    await openChat(v.page);
    const box = (await v.page.locator("[data-pano-chat]").boundingBox())!;
    expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    await v.context.close();
  });
});
