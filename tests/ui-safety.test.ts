// What a customer (or a provider's error text) writes is never run as code in the agent's
// browser; a refused send shows the reason in the agent's language with a retry button; a
// missing CSRF token is a 403 page; an expired session sends htmx to the login page; and the
// page's whole JavaScript stays under 50 KB gzipped.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { customerWrites, launchBrowser, logIn, openPage, type WatchedPage } from "./support/browser.ts";

const NAME = `<img src=x onerror="alert('name')">Hacker`;
const TEXT = `<script>alert('text')</script><img src=y onerror=alert('img')> <a href="javascript:alert(1)" onmouseover="alert(2)">xem</a>`;

let pano: PanoProcess;
let browser: Browser;
let w: WatchedPage;
let refuse = true;
const integration = Bun.serve({
  port: 0,
  // The customer's integration refuses the first reply with an HTML-looking body (never shown to
  // agents: they read the status line), then accepts.
  fetch: () => (refuse ? ((refuse = false), new Response(`<img src=z onerror=alert('reason')>bad recipient`, { status: 400 })) : new Response("ok")),
});
let conversationId: string;

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Tích hợp", config: { callback_url: `http://127.0.0.1:${integration.port}/hook` } } });
  const ids = await customerWrites(pano, ch.id, "kh-x", TEXT, NAME);
  conversationId = ids.conversation_id;
  await pano.json(`/api/v1/contacts/${ids.contact_id}`, { method: "PATCH", json: { attributes: { ghi_chu: `<svg onload=alert('attr')>` } } });
  w = await openPage(browser);
  await logIn(w.page, pano);
});
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
  integration.stop(true);
});

describe("customer text is inert", () => {
  test("script and event-handler payloads show as text in the list, timeline and contact panel", async () => {
    await w.page.locator(`#conv-${conversationId} a`).click();
    const msg = w.page.locator("#timeline .msg.in").first();
    await msg.waitFor();
    expect(await msg.locator(".text").textContent()).toBe(TEXT);
    expect(await w.page.locator(`#conv-${conversationId} .who`).textContent()).toBe(NAME);
    expect(await w.page.locator("#contact-pane").textContent()).toContain(`<svg onload=alert('attr')>`);
    expect(await w.page.locator("img[src=x], img[src=y], img[src=z], svg[onload], a[href^=javascript]").count()).toBe(0);
    await w.page.locator("#timeline .msg.in .text").hover();
    expect(w.dialogs).toEqual([]);
  });
});

describe("a refused send", () => {
  test("shows the provider's reason in Vietnamese, escaped, and Retry sends it again", async () => {
    const box = w.page.getByLabel("Nội dung tin nhắn");
    await box.fill("Dạ shop gửi lại thông tin ạ");
    await box.press("Enter");
    const sent = w.page.locator("#timeline .msg.out", { hasText: "Dạ shop gửi lại" });
    await sent.locator(".status.failed").waitFor();
    expect(await sent.locator(".send-error").textContent()).toContain("Callback từ chối tin nhắn (HTTP 400 Bad Request)");
    await sent.getByRole("button", { name: "Gửi lại" }).click();
    await w.page.locator("#timeline .msg.out", { hasText: "Dạ shop gửi lại" }).locator(".status.sent").waitFor();
    expect(w.dialogs).toEqual([]);
    expect(await w.page.locator("img[src=z]").count()).toBe(0);
  });
});

describe("sessions and tokens", () => {
  test("a form post without the CSRF token gets a 403 page", async () => {
    const cookie = (await w.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const r = await fetch(`${pano.url}/conversations/${conversationId}/actions`, { method: "POST", headers: { cookie }, body: new URLSearchParams({ action: "status", status: "resolved" }) });
    expect(r.status).toBe(403);
    expect(await r.text()).toContain("Phiên làm việc đã thay đổi");
    expect((await pano.json(`/api/v1/conversations/${conversationId}`)).status).toBe("open");
  });

  test("after the session ends, an htmx click leads to the login page instead of a broken fragment", async () => {
    await w.context.clearCookies();
    await w.page.getByRole("button", { name: "Nhận xử lý" }).click();
    await w.page.waitForURL(/\/login\?next=/);
    await w.page.getByRole("heading", { name: "Đăng nhập" }).waitFor();
  });
});

describe("page weight", () => {
  test("htmx, its SSE extension and pano.js together are under 50 KB gzipped", async () => {
    const html = await (await fetch(`${pano.url}/login`)).text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBe(3);
    let total = 0;
    for (const src of scripts) {
      const r = await fetch(`${pano.url}${src}`, { headers: { "accept-encoding": "gzip" }, decompress: false } as RequestInit);
      expect(r.headers.get("content-encoding")).toBe("gzip");
      total += (await r.arrayBuffer()).byteLength;
    }
    expect(total).toBeGreaterThan(10_000);
    expect(total).toBeLessThan(50 * 1024);
  });
});
