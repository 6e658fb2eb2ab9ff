// Story: the Zalo OA's refresh token dies (Zalo answers -14014), the channel turns
// needs_reconnect, and the admin who has the inbox open sees a banner naming the channel with a
// link to its settings, without reloading. An agent (who cannot fix it) sees nothing; a
// supervisor sees it without the link. Pasting a fresh token pair clears the banner live.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { eventually } from "./support/pano.ts";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";
import { launchBrowser, logIn, openPage, waitForLive, type WatchedPage } from "./support/browser.ts";

const AGENT = { email: "thao@shop.vn", password: "mat-khau-thao-1" };
const SUPERVISOR = { email: "hung@shop.vn", password: "mat-khau-hung-1" };

let w: ZaloWorld;
let browser: Browser;
let admin: WatchedPage;
let agent: WatchedPage;
let agentId: string;

beforeAll(async () => {
  [w, browser] = await Promise.all([startZaloWorld(), launchBrowser()]);
  const team = await w.pano.json("/api/v1/teams", { method: "POST", json: { name: "Chăm sóc khách" } });
  agentId = (await w.pano.json("/api/v1/users", { method: "POST", json: { ...AGENT, name: "Thảo", role: "agent", team_ids: [team.id] } })).id;
  await w.pano.json("/api/v1/users", { method: "POST", json: { ...SUPERVISOR, name: "Hùng", role: "supervisor", team_ids: [team.id] } });
  [admin, agent] = await Promise.all([openPage(browser), openPage(browser)]);
  // Every live notice the agent's page receives, to show the channel's never reaches them.
  await agent.context.addInitScript(() => {
    document.addEventListener("sse:pano", (e) => {
      const w = window as unknown as { notices?: string[] };
      (w.notices ??= []).push(String((e as CustomEvent<{ data: string }>).detail.data));
    });
  });
  await Promise.all([logIn(admin.page, w.pano), logIn(agent.page, w.pano, AGENT)]);
  await Promise.all([waitForLive(admin.page), waitForLive(agent.page)]);
});
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

const banner = (p: WatchedPage) => p.page.locator("#channel-alert [role=alert]");

test("a dead Zalo refresh token shows the admin a banner at once; the agent sees none", async () => {
  expect(await banner(admin).count()).toBe(0);
  const user = w.sim.addUser(undefined, { display_name: "Đỗ Đức Quang" });
  await w.sim.userSays(user, "Shop ơi, đơn của em sao rồi?");
  const conv = await w.conversationOf(user);
  w.sim.tokens.refreshRefusal = -14014;
  w.sim.tokens.expireAll();
  await w.pano.json(`/api/v1/conversations/${conv.id}/messages`, { method: "POST", json: { text: "Dạ shop kiểm tra ngay ạ" } });
  await eventually(async () => (await w.pano.json(`/api/v1/channels/${w.channelId}`)).status === "needs_reconnect", 10_000, "needs_reconnect");

  const shown = banner(admin);
  await shown.waitFor({ timeout: 5000 });
  expect(await shown.innerText()).toContain("Kênh “Shop Hoa Mai” (Zalo) đã mất kết nối và cần kết nối lại");
  expect(await shown.innerText()).toContain("-14014");
  expect(await shown.getByRole("link", { name: "Mở cài đặt kênh" }).getAttribute("href")).toBe(`/settings/channels/${w.channelId}`);

  // The agent's page has no slot for it, and the fragment itself answers them with nothing.
  expect(await agent.page.locator("#channel-alert").count()).toBe(0);
  expect(await banner(agent).count()).toBe(0);
  // A later notice the agent does get (the conversation handed to them) comes after the channel's.
  await w.pano.json(`/api/v1/conversations/${conv.id}`, { method: "PATCH", json: { assignee_id: agentId } });
  const notices = await eventually(async () => {
    const got = (await agent.page.evaluate(() => (window as unknown as { notices?: string[] }).notices ?? [])).map((d) => JSON.parse(d));
    return got.some((n) => n.t === "conv" && String(n.c) === String(conv.id)) ? got : null;
  }, 5000, "the hand-over notice on the agent's page");
  expect(notices.filter((n) => n.t === "channel")).toEqual([]);
  const asAgent = await agent.page.request.get(`${w.pano.url}/live/channel-alert`, { headers: { "HX-Request": "true" } });
  expect(asAgent.status()).toBe(204);
  await agent.page.reload();
  await agent.page.locator("#conv-list").waitFor();
  expect(await agent.page.locator("#channel-alert").count()).toBe(0);
});

test("a supervisor sees the banner on any page, told to ask an admin instead of a link", async () => {
  const sup = await openPage(browser);
  try {
    await logIn(sup.page, w.pano, SUPERVISOR);
    await sup.page.goto(`${w.pano.url}/reports`);
    await banner(sup).waitFor({ timeout: 5000 });
    expect(await banner(sup).innerText()).toContain("Hãy báo quản trị viên để sửa.");
    expect(await banner(sup).getByRole("link").count()).toBe(0);
  } finally {
    await sup.context.close();
  }
});

test("in English the banner links to the channel's settings; a fresh token pair clears it live", async () => {
  await admin.page.locator("#lang-select").selectOption("en");
  await admin.page.waitForFunction(() => document.documentElement.lang === "en", undefined, { timeout: 10_000 });
  if (!admin.page.url().includes("/inbox")) await admin.page.goto(`${w.pano.url}/inbox`);
  await waitForLive(admin.page);
  const shown = banner(admin);
  await shown.getByText("Channel “Shop Hoa Mai” (Zalo) lost its connection and must be reconnected.").waitFor({ timeout: 5000 });
  expect(await shown.getByRole("link", { name: "Open the channel's settings" }).getAttribute("href")).toBe(`/settings/channels/${w.channelId}`);

  w.sim.tokens.refreshRefusal = null;
  const fresh = w.sim.channelConfig();
  const patched = await w.pano.json(`/api/v1/channels/${w.channelId}`, {
    method: "PATCH", json: { config: { access_token: fresh.access_token, refresh_token: fresh.refresh_token, token_expires_at: fresh.token_expires_at } },
  });
  expect(patched.status).toBe("active");
  await shown.waitFor({ state: "detached", timeout: 5000 });
  expect(admin.errors).toEqual([]);
});
