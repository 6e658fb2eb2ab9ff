// Screen pop in Chromium: when a customer's call rings, the agent who owns their open conversation
// sees an incoming-call card within a second (name, phone, channels, open conversations with last
// message and intent, a link to the profile); an agent of another team does not; it goes once answered.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { addAgent, addTeam, type Agent } from "./support/agents.ts";
import { launchBrowser, openPage, logIn, waitForLive, type WatchedPage } from "./support/browser.ts";
import { stringeeEvents } from "./sim/stringee.ts";

const SHOP = "842873000031";
const TOKEN = "tong-dai-screen-pop-token-01";
let pano: PanoProcess;
let browser: Browser;
let an: Agent;
let binh: Agent;
let anPage: WatchedPage;
let binhPage: WatchedPage;
let conversationId: string;
let contactId: string;
let apiChannel: string;
let storeTeam: string;

beforeAll(async () => {
  pano = await startPano();
  await pano.json("/api/v1/channels", { method: "POST", json: { type: "phone", name: "Stringee", config: { provider: "stringee", numbers: [SHOP], api_key_sid: "SKpop", api_key_secret: "bi-mat-stringee-pop", webhook_token: TOKEN } } });
  const api = (apiChannel = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Đơn hàng" } })).id);
  const sales = await addTeam(pano, "CSKH", "manual");
  const store = (storeTeam = await addTeam(pano, "Kho", "manual"));
  an = await addAgent(pano, "an@shop.vn", [sales]);
  binh = await addAgent(pano, "binh@shop.vn", [store]);
  const r = await (await pano.api(`/api/v1/channels/${api}/inbound`, { method: "POST", json: { external_contact_id: "kh-pop", contact_name: "Trần Thị Hoa", external_message_id: "kh-pop-1", text: "Đơn hàng của mình giao chưa ạ?", phone: "0912 888 001" } })).json();
  conversationId = r.conversation_id;
  contactId = r.contact_id;
  await pano.json(`/api/v1/conversations/${conversationId}`, { method: "PATCH", json: { team_id: sales, assignee_id: an.id } });
  browser = await launchBrowser();
  anPage = await openPage(browser);
  binhPage = await openPage(browser);
  await logIn(anPage.page, pano, { email: an.email, password: "mat-khau-dai-du-8" });
  await logIn(binhPage.page, pano, { email: binh.email, password: "mat-khau-dai-du-8" });
  await Promise.all([waitForLive(anPage.page), waitForLive(binhPage.page)]);
});
afterAll(async () => {
  await browser?.close();
  await pano.stop();
});

describe("incoming-call card", () => {
  test("the owner sees the caller within a second; another team's agent does not; answered, it goes", async () => {
    const ev = stringeeEvents(`${pano.url}/webhooks/phone/${TOKEN}/events`);
    const caller = { number: "84912888001", type: "external" as const };
    const shop = { number: SHOP, type: "external" as const };
    const rang = Date.now();
    expect((await ev.post("call-vn-1-POP1", "ringing", caller, shop)).status).toBe(200);
    const card = anPage.page.locator(".call-card");
    await card.waitFor({ state: "visible", timeout: 1000 });
    expect(Date.now() - rang).toBeLessThan(1000);
    const text = await card.innerText();
    expect(text).toContain("Cuộc gọi đến từ Trần Thị Hoa");
    expect(text).toContain("0912888001");
    expect(text).toContain("Đơn hàng của mình giao chưa ạ?");
    expect(text).toContain("Tổng đài");
    expect(await card.getAttribute("data-mine")).toBe("1");
    expect(await card.getByRole("link", { name: "Xem hồ sơ khách hàng" }).getAttribute("href")).toBe(`/contacts/${contactId}`);
    expect(await card.getByRole("link", { name: "Ghi chú trong cuộc gọi" }).getAttribute("href")).toBe(`/inbox?c=${conversationId}#note`);

    // Binh's screen hears what his team gets after the ring (his live stream is in order), and no card came before it.
    const later = await (await pano.api(`/api/v1/channels/${apiChannel}/inbound`, { method: "POST", json: { external_contact_id: "kh-kho", contact_name: "Lê Kho", external_message_id: "kh-kho-1", text: "Kho còn hàng không?" } })).json();
    await pano.json(`/api/v1/conversations/${later.conversation_id}`, { method: "PATCH", json: { team_id: storeTeam } });
    await binhPage.page.locator(`#conv-${later.conversation_id}`).waitFor({ timeout: 10_000 });
    expect(await binhPage.page.locator(".call-card").count()).toBe(0);

    await ev.post("call-vn-1-POP1", "answered", caller, shop);
    await card.waitFor({ state: "detached", timeout: 2000 });
    expect(anPage.errors).toEqual([]);
    expect(anPage.dialogs).toEqual([]);
  });

  test("an agent who opens the inbox while the call rings still gets its card", async () => {
    const ev = stringeeEvents(`${pano.url}/webhooks/phone/${TOKEN}/events`);
    const caller = { number: "84912888001", type: "external" as const };
    const shop = { number: SHOP, type: "external" as const };
    await ev.post("call-vn-1-POP3", "ringing", caller, shop);
    await anPage.page.locator(".call-card").waitFor({ state: "visible", timeout: 5000 });
    const late = await openPage(browser);
    await logIn(late.page, pano, { email: an.email, password: "mat-khau-dai-du-8" });
    const card = late.page.locator(".call-card");
    await card.waitFor({ state: "visible", timeout: 10_000 });
    expect(await card.innerText()).toContain("Cuộc gọi đến từ Trần Thị Hoa");
    await ev.post("call-vn-1-POP3", "answered", caller, shop);
    await card.waitFor({ state: "detached", timeout: 5000 });
    expect(late.errors).toEqual([]);
    await late.page.close();
  });

  test("from the card the agent opens the conversation with a private note ready to type while they talk", async () => {
    const ev = stringeeEvents(`${pano.url}/webhooks/phone/${TOKEN}/events`);
    const caller = { number: "84912888001", type: "external" as const };
    const shop = { number: SHOP, type: "external" as const };
    await ev.post("call-vn-1-POP2", "ringing", caller, shop);
    const card = anPage.page.locator(".call-card");
    await card.waitFor({ state: "visible", timeout: 5000 });
    await card.getByRole("link", { name: "Ghi chú trong cuộc gọi" }).click();
    await anPage.page.locator("#composer.private").waitFor();
    expect(await anPage.page.locator("#composer input[name=mode][value=note]").isChecked()).toBe(true);
    expect(await anPage.page.evaluate(() => document.activeElement?.id)).toBe("reply-text");
    expect(anPage.page.url()).not.toContain("#note");
    await anPage.page.locator("#reply-text").fill("Khách hỏi giao hàng chiều nay");
    await anPage.page.keyboard.press("Enter");
    await anPage.page.locator("article.msg.note", { hasText: "Khách hỏi giao hàng chiều nay" }).waitFor();
    await ev.post("call-vn-1-POP2", "answered", caller, shop);
    expect(anPage.errors).toEqual([]);
  });
});
