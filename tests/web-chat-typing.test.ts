// Typing, both ways, in real Chromium: a visitor on the shop's own site (another origin) chats
// with an agent signed in to the inbox. While the agent types a reply the widget says
// "<agent> đang nhập…"; while the visitor types, the open conversation in the inbox says
// "Khách đang nhập…", and each clears by itself a few seconds after the typing stops.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Frame } from "playwright-core";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { startShop, chatFrame, type Shop } from "./support/web-chat-shop.ts";
import { launchBrowser, logIn, openPage, waitForLive, type WatchedPage } from "./support/browser.ts";

let pano: PanoProcess;
let browser: Browser;
let shop: Shop;
let channel: { id: string; widget_token: string };
let visitor: WatchedPage;
let agent: WatchedPage;
let frame: Frame;
let conversationId: string;

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  shop = await startShop(pano);
  channel = shop.channel;
  [visitor, agent] = await Promise.all([openPage(browser), openPage(browser)]);
});
afterAll(async () => {
  await browser?.close();
  shop?.stop();
  await pano?.stop();
});

describe("typing, both ways", () => {
  test("the visitor writes first; the agent opens the conversation in the inbox", async () => {
    await visitor.page.goto(shop.url);
    await visitor.page.locator("button[data-pano-launcher]").click();
    frame = await chatFrame(visitor.page);
    await frame.locator("#text").fill("Shop ơi cho mình hỏi giá hoa cưới");
    await frame.locator("#text").press("Enter");
    await frame.locator(".msg.mine[data-id]").waitFor();
    const list = await eventually(async () => {
      const d = (await pano.json(`/api/v1/conversations?channel_id=${channel.id}&status=all`)).data;
      return d.length ? d : null;
    });
    conversationId = list[0].id;
    await logIn(agent.page, pano);
    await agent.page.goto(`${pano.url}/inbox?c=${conversationId}`);
    await agent.page.locator("#timeline .msg.in", { hasText: "hoa cưới" }).waitFor();
    await waitForLive(agent.page);
  });

  test("the agent types a reply: the widget shows who is typing, then it clears", async () => {
    const box = agent.page.locator("#reply-text");
    await box.click();
    await box.pressSequentially("Dạ bó hoa cưới bên em");
    const status = frame.locator("#agent");
    await eventually(async () => ((await status.textContent())?.endsWith("đang nhập…") ? true : null), 5000);
    expect(await status.textContent()).toMatch(/^.+ đang nhập…$/);
    // No more keys: gone within the few seconds the widget shows it.
    await eventually(async () => ((await status.textContent())?.includes("đang nhập") ? null : true), 10_000);
  });

  test("the visitor types: the open conversation says the customer is typing, then it clears", async () => {
    const shown = agent.page.locator("#composer [data-typing]");
    expect(await shown.textContent()).toBe("");
    await frame.locator("#text").pressSequentially("Cho mình xem mẫu");
    await agent.page.locator("#composer [data-typing]", { hasText: "Khách đang nhập…" }).waitFor({ timeout: 5000 });
    await eventually(async () => ((await shown.textContent()) === "" ? true : null), 10_000);
  });

  test("nothing of it was stored, and no page errored", async () => {
    const msgs = (await pano.json(`/api/v1/conversations/${conversationId}/messages`)).data;
    expect(msgs.map((m: { text: string }) => m.text)).toEqual(["Shop ơi cho mình hỏi giá hoa cưới"]);
    expect(visitor.errors).toEqual([]);
    expect(agent.errors).toEqual([]);
  });
});
