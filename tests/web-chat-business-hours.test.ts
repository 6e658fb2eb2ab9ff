// Outside the business hours of the team a website chat follows (hours_team_id), the session answer
// says the shop is closed and when it next opens (ISO + a sentence in vi/en, in the calendar's zone),
// and the frame shows that line above the composer and asks for an email or phone; messages are still
// taken. Inside the hours there is no line.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { signIn } from "./settings-session.ts";
import { launchBrowser, openPage } from "./support/browser.ts";
import { startShop, chatFrame, type Shop } from "./support/web-chat-shop.ts";

const TZ = "Asia/Ho_Chi_Minh";
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const VI_DAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"];
const EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
// Today's weekday in the calendar's zone (0 = Monday), and one two days later: never today, never tomorrow.
const today = (new Date(new Date().toLocaleString("en-US", { timeZone: TZ })).getDay() + 6) % 7;
const openDay = (today + 2) % 7;

let pano: PanoProcess;
let browser: Browser;
let shop: Shop;
let closedTeam: string;
let openTeam: string;

const team = async (name: string, hours: Record<string, string>) => {
  const id = (await pano.json("/api/v1/teams", { method: "POST", json: { name, assignment: "manual" } })).id as string;
  await pano.json(`/api/v1/teams/${id}/business-hours`, { method: "PUT", json: { business_hours: { time_zone: TZ, hours } } });
  return id;
};
const follow = (teamId: string) => pano.json(`/api/v1/channels/${shop.channel.id}`, { method: "PATCH", json: { config: { hours_team_id: teamId } } });
const hello = async () => {
  const r = await fetch(`${pano.url}/chat/api/session`, {
    method: "POST", headers: { "content-type": "application/json", origin: shop.url },
    body: JSON.stringify({ token: shop.channel.widget_token, origin: shop.url }),
  });
  expect(r.status).toBe(200);
  return (await r.json()) as { session: string; hours: { open: boolean; next_open: string | null; says: { vi: string; en: string } | null } };
};

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  shop = await startShop(pano);
  closedTeam = await team("Chỉ mở một ngày", { [DAYS[openDay]]: "08:00-17:00" });
  openTeam = await team("Mở suốt tuần", Object.fromEntries(DAYS.map((d) => [d, "00:00-24:00"])));
});
afterAll(async () => {
  await browser?.close();
  shop?.stop();
  await pano?.stop();
});

test("without a followed team the chat is open", async () => {
  expect((await hello()).hours).toEqual({ open: true, next_open: null, says: null });
});

test("Settings offers the teams as the chat's business hours", async () => {
  const admin = await signIn(pano, ADMIN.email, ADMIN.password);
  const form = (await admin.get(`/settings/channels/${shop.channel.id}`)).html;
  const select = /<select[^>]*name="config\.hours_team_id"[\s\S]*?<\/select>/.exec(form)?.[0] ?? "";
  expect(select).toContain(`value="${closedTeam}"`);
  expect(select).toContain("Chỉ mở một ngày");
});

test("outside the hours: closed, the next opening as ISO and as a sentence in the calendar's zone", async () => {
  await follow(closedTeam);
  const { hours } = await hello();
  expect(hours.open).toBe(false);
  const next = new Date(hours.next_open!);
  expect(next.toLocaleString("en-GB", { timeZone: TZ, weekday: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })).toBe(`${EN_DAYS[openDay]} 08:00`);
  expect(next.getTime() - Date.now()).toBeGreaterThan(24 * 3600_000);
  expect(hours.says).toEqual({ vi: `Shop sẽ trả lời từ 08:00 ${VI_DAYS[openDay]}.`, en: `We reply from 08:00 on ${EN_DAYS[openDay]}.` });
});

test("the frame shows the line above the composer and asks for an email; a message is still accepted", async () => {
  const w = await openPage(browser);
  await w.page.goto(shop.url);
  await w.page.locator("button[data-pano-launcher]").click();
  const frame = await chatFrame(w.page);
  const line = frame.locator("#hours");
  await line.waitFor();
  expect(await line.textContent()).toBe(`Shop sẽ trả lời từ 08:00 ${VI_DAYS[openDay]}.`);
  // Above the composer: it comes before it in the frame.
  expect(await frame.evaluate(() => !!(document.getElementById("hours")!.compareDocumentPosition(document.getElementById("composer")!) & Node.DOCUMENT_POSITION_FOLLOWING))).toBe(true);
  await frame.getByLabel("Email").fill("lan@example.com");
  expect(await frame.getByLabel("Số điện thoại").isVisible()).toBe(true);
  await frame.getByRole("button", { name: "Bắt đầu trò chuyện" }).click();
  await frame.locator("#text").fill("Tối nay shop còn hoa không?");
  await frame.locator("#text").press("Enter");
  await frame.locator(".msg.mine[data-id]", { hasText: "Tối nay shop còn hoa không?" }).waitFor();
  // Taken while closed: the conversation is in the inbox for the morning.
  expect((await pano.json(`/api/v1/conversations?channel_id=${shop.channel.id}&status=all`)).data).toHaveLength(1);
  await w.page.close();
});

test("inside the hours: open, and the frame shows no line", async () => {
  await follow(openTeam);
  expect((await hello()).hours).toEqual({ open: true, next_open: null, says: null });
  const w = await openPage(browser);
  await w.page.goto(shop.url);
  await w.page.locator("button[data-pano-launcher]").click();
  const frame = await chatFrame(w.page);
  await frame.waitForTimeout(300);
  expect(await frame.locator("#hours").isHidden()).toBe(true);
  expect(await frame.locator("#prechat").isHidden()).toBe(true);
  await w.page.close();
});
