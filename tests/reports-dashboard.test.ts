// A shop manager opens one page in the morning and sees the queue and how the team did.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ADMIN, startPano, type PanoProcess } from "./support/pano.ts";
import { launchBrowser, openPage, logIn } from "./support/browser.ts";

let pano: PanoProcess;

/** Logs in through the real login form and returns the session cookie. */
async function login(email: string, password: string): Promise<string> {
  const r = await fetch(`${pano.url}/login`, { method: "POST", redirect: "manual", body: new URLSearchParams({ email, password, next: "/inbox" }) });
  expect(r.status).toBe(303);
  return r.headers.get("set-cookie")!.split(";")[0];
}

beforeAll(async () => {
  pano = await startPano();
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website chat" } });
  for (let i = 1; i <= 3; i++) {
    await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: `kh-${i}`, contact_name: `Khách ${i}`, external_message_id: `m-${i}`, text: "Shop ơi đơn hàng của em đâu rồi?" } });
  }
  const convs = await pano.json("/api/v1/conversations");
  const me = (await pano.json("/api/v1/users")).data.find((u: any) => u.email === ADMIN.email);
  await pano.json(`/api/v1/conversations/${convs.data[0].id}`, { method: "PATCH", json: { assignee_id: me.id } });
  await pano.json(`/api/v1/conversations/${convs.data[0].id}/messages`, { method: "POST", json: { text: "Dạ shop kiểm tra ngay ạ", private: true } });
  await pano.json(`/api/v1/conversations/${convs.data[1].id}`, { method: "PATCH", json: { status: "resolved" } });
  await pano.json("/api/v1/users", { method: "POST", json: { email: "agent@pano.test", password: "mat-khau-nhan-vien-1", name: "Lan", role: "agent" } });
});
afterAll(async () => void (await pano.stop()));

test("the manager sees today's queue and the team's figures in Vietnamese", async () => {
  const cookie = await login(ADMIN.email, ADMIN.password);
  const r = await fetch(`${pano.url}/reports?period=today`, { headers: { cookie } });
  expect(r.status).toBe(200);
  const html = await r.text();
  expect(html).toContain("Hiệu suất đội ngũ");
  expect(html).toContain("Hàng đợi lúc này");
  // Two conversations still open, one of them unassigned... the figures come from the database.
  expect(html).toMatch(/<dt>Đang mở<\/dt><dd>2<\/dd>/);
  expect(html).toMatch(/<dt>Chưa phân công<\/dt><dd>1<\/dd>/);
  // The period's figures open the conversations behind them.
  expect(html).toMatch(/<dt>Hội thoại mới<\/dt><dd><a href="\/reports\/drill\?metric=opened&amp;[^"]*"[^>]*>3<\/a><\/dd>/);
  expect(html).toMatch(/<dt>Đã giải quyết<\/dt><dd><a href="\/reports\/drill\?metric=resolved&amp;[^"]*"[^>]*>1<\/a><\/dd>/);
  expect(html).toContain("Website chat");
});

test("the dashboard's CSV download carries the same figures", async () => {
  const cookie = await login(ADMIN.email, ADMIN.password);
  const r = await fetch(`${pano.url}/reports/summary.csv?period=30d`, { headers: { cookie } });
  expect(r.headers.get("content-type")).toContain("text/csv");
  const [header, all] = (await r.text()).split("\n");
  expect(header.split(",").slice(0, 5)).toEqual(["scope", "id", "name", "conversations_opened", "conversations_resolved"]);
  expect(all.split(",").slice(0, 5)).toEqual(["all", "", "", "3", "1"]);
});

test("the dashboard links the period's conversations and messages as CSV", async () => {
  const cookie = await login(ADMIN.email, ADMIN.password);
  const html = await (await fetch(`${pano.url}/reports?period=30d`, { headers: { cookie } })).text();
  const href = /href="(\/reports\/conversations\.csv\?[^"]+)"/.exec(html)![1].replace(/&amp;/g, "&");
  const rows = (await (await fetch(`${pano.url}${href}`, { headers: { cookie } })).text()).trim().split("\n");
  expect(rows).toHaveLength(1 + 3);
  const msgs = await fetch(`${pano.url}${href.replace("conversations.csv", "messages.csv")}`, { headers: { cookie } });
  expect((await msgs.text()).trim().split("\n").length).toBe(1 + 4); // three questions and the private note
});

test("an agent cannot open the manager's dashboard", async () => {
  const cookie = await login("agent@pano.test", "mat-khau-nhan-vien-1");
  const r = await fetch(`${pano.url}/reports`, { headers: { cookie } });
  expect(r.status).toBe(403);
});

test("the charts are drawn on the server, as SVG with their figures, and no script", async () => {
  const cookie = await login(ADMIN.email, ADMIN.password);
  const html = await (await fetch(`${pano.url}/reports?period=today`, { headers: { cookie } })).text();
  for (const id of ["chart-volume", "chart-first-response", "chart-resolution", "chart-breaches", "chart-heatmap"]) expect(html).toContain(`id="${id}"`);
  // Today by hour in the viewer's zone: the three new conversations stand in one bar.
  expect(html).toContain("Hội thoại mới theo giờ");
  // The per-agent table says what each agent wrote, credited to the writer.
  expect(html).toContain("Tin đã trả lời");
  expect(html).toContain("Thời gian phản hồi (trung vị / p90)");
  expect(html).toMatch(/<rect class="bar"[^>]*><title>\d\d: 3<\/title>/);
  expect((html.match(/<rect class="cell"/g) ?? []).length).toBe(7 * 24);
  expect(html).not.toMatch(/<script[^>]*src="[^"]*chart/i);
});

test("the charts are visible and fit the screen in Chromium at desktop and phone widths", async () => {
  const browser = await launchBrowser();
  try {
    for (const viewport of [{ width: 1366, height: 850 }, { width: 390, height: 844 }]) {
      const { page, errors } = await openPage(browser, { viewport });
      await logIn(page, pano);
      await page.goto(`${pano.url}/reports?period=7d`);
      for (const id of ["chart-volume", "chart-first-response", "chart-resolution", "chart-breaches", "chart-heatmap"]) {
        const svg = page.locator(`#${id} svg`);
        await svg.scrollIntoViewIfNeeded();
        expect(await svg.isVisible()).toBe(true);
        const box = (await svg.boundingBox())!;
        expect(box.width).toBeGreaterThan(Math.min(300, viewport.width * 0.8));
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width + 1);
      }
      // Labels stay readable on the phone: axis text at least 9 CSS pixels high.
      const textHeight = await page.locator("#chart-volume svg text").first().evaluate((t) => t.getBoundingClientRect().height);
      expect(textHeight).toBeGreaterThanOrEqual(9);
      // The page itself does not scroll sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  } finally {
    await browser.close();
  }
}, 60_000);
