// Stories of one customer's history across channels: Chị Mai writes on Zalo, emails the shop and
// calls its switchboard; the agent sees all of it in one list, newest first, on the full-page
// profile and in the contact panel, pages back through it, and unfolds an earlier conversation's
// messages inside the one open. An agent of another team sees none of it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { eventually } from "./support/pano.ts";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { mail } from "./fixtures/email/mail.ts";
import { pbxSender } from "./sim/pbx.ts";
import { addAgent, addTeam, type Agent } from "./support/agents.ts";
import { launchBrowser, logIn, openPage } from "./support/browser.ts";

const SHOP = "842873000001";
const PBX = { secret: "khoa-ky-webhook-tong-dai-lich-su-0123", token: "tong-dai-lich-su-0001" };
const PASSWORD = "mat-khau-dai-du-8";

let w: ZaloWorld;
let dovecot: Dovecot;
let smtp: SmtpPeer;
let browser: Browser;
let sam: Agent; // sales: the Zalo and email conversations are his team's
let wen: Agent; // warranty: none of Mai's conversations
let contactId: string;
const conv: Record<"zalo" | "email" | "phone", string> = { zalo: "", email: "", phone: "" };
let callId: string;

const api = (path: string, token?: string) => w.pano.api(path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
const history = async (token?: string, query = "") => {
  const r = await api(`/api/v1/contacts/${contactId}/history${query}`, token);
  return { status: r.status, body: await r.json() };
};
const conversationsOf = async () => (await w.pano.json(`/api/v1/contacts/${contactId}`)).conversation_ids as string[];

beforeAll(async () => {
  [w, dovecot, smtp] = await Promise.all([startZaloWorld(), startDovecot(), startSmtpPeer()]);
  const pano = w.pano;
  const email = await pano.json("/api/v1/channels", { method: "POST", json: { type: "email", name: "Hộp thư shop", config: { imap: dovecot.imapConfig(), smtp: smtp.smtpConfig(), from_address: "shop@pano.test" } } });
  const phone = await pano.json("/api/v1/channels", { method: "POST", json: { type: "phone", name: "Tổng đài", config: { provider: "generic", numbers: [SHOP], signing_secret: PBX.secret, webhook_token: PBX.token } } });
  const sales = await addTeam(pano, "Bán hàng", "manual");
  const warranty = await addTeam(pano, "Bảo hành", "manual");
  [sam, wen] = await Promise.all([addAgent(pano, "sam@shop.vn", [sales]), addAgent(pano, "wen@shop.vn", [warranty])]);

  // On Zalo first: 22 messages, more than one page of an unfolded conversation.
  const mai = w.sim.addUser(undefined, { display_name: "Nguyễn Thị Mai" });
  for (let i = 1; i <= 22; i++) expect((await w.sim.userSays(mai, `Tin nhắn Zalo số ${i}`)).status).toBe(200);
  const zalo = await w.conversationOf(mai);
  await eventually(async () => (await w.messagesOf(zalo.id)).length === 22, 20_000, "22 Zalo messages");
  conv.zalo = zalo.id;
  contactId = zalo.contact_id;
  // The agent notes her phone and email on the profile; her mail and her call then join it.
  await pano.json(`/api/v1/contacts/${contactId}`, { method: "PATCH", json: { phone: "0903 111 222", email: "mai.nguyen@khach.vn" } });
  await dovecot.append([mail({ from: "Nguyễn Thị Mai <Mai.Nguyen@khach.vn>", subject: "Đổi size áo khoác", text: "Em muốn đổi áo khoác size M sang size L ạ." })]);
  conv.email = await eventually(async () => {
    for (const id of await conversationsOf()) if ((await pano.json(`/api/v1/conversations/${id}`)).channel_id === email.id) return id;
    return null;
  }, 20_000, "the email joins Mai's profile");
  const pbx = pbxSender(`${pano.url}/webhooks/phone/${PBX.token}/events`, PBX.secret);
  const at = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  const call = { call_id: "mai-call-1", direction: "inbound" as const, from: "+84 903 111 222", to: SHOP, started_at: at(1) };
  expect((await pbx.post({ ...call, status: "answered", agent: "le-tan-01", answered_at: at(6) })).status).toBe(200);
  expect((await pbx.post({ ...call, status: "ended", agent: "le-tan-01", answered_at: at(6), ended_at: at(96), duration_s: 90 })).status).toBe(200);
  conv.phone = await eventually(async () => {
    for (const id of await conversationsOf()) if ((await pano.json(`/api/v1/conversations/${id}`)).channel_id === phone.id) return id;
    return null;
  }, 20_000, "the call joins Mai's profile");
  callId = (await pano.json(`/api/v1/conversations/${conv.phone}/messages`)).data.find((m: any) => m.kind === "call").id;
  await pano.json(`/api/v1/conversations/${conv.phone}/calls/${callId}/outcome`, { method: "POST", json: { outcome: "follow_up" } });
  for (const id of [conv.zalo, conv.email]) await pano.json(`/api/v1/conversations/${id}`, { method: "PATCH", json: { team_id: sales, assignee_id: sam.id } });
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await w?.stop();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
});

async function signedIn(email?: string): Promise<Page> {
  const { page } = await openPage(browser);
  await logIn(page, w.pano, email ? { email, password: PASSWORD } : undefined);
  return page;
}

describe("one customer history", () => {
  test("the API lists her Zalo chat, her email and her call with its outcome, newest first", async () => {
    const { status, body } = await history();
    expect(status).toBe(200);
    expect(body.next_cursor).toBeNull();
    const byType = Object.fromEntries(body.data.map((e: any) => [e.type === "call" ? "call" : e.channel_type, e]));
    expect(Object.keys(byType).sort()).toEqual(["call", "email", "zalo"]);
    expect(byType.zalo).toMatchObject({ conversation_id: conv.zalo, status: "open", assignee_id: sam.id, preview: "Tin nhắn Zalo số 22", message_count: 22 });
    expect(byType.email).toMatchObject({ conversation_id: conv.email, subject: "Đổi size áo khoác" });
    expect(byType.call).toMatchObject({ conversation_id: conv.phone, message_id: callId, direction: "in", call_status: "answered", duration_s: 90, outcome: { value: "follow_up" } });
    const times = body.data.map((e: any) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  test("the profile page shows every channel in one list, and an entry opens its conversation", async () => {
    const page = await signedIn();
    await page.goto(`${w.pano.url}/contacts/${contactId}`);
    expect(await page.locator("#profile-name").textContent()).toBe("Nguyễn Thị Mai");
    const list = page.getByRole("list", { name: "Mọi hội thoại và cuộc gọi" });
    await list.waitFor();
    expect(await list.locator("li.history-entry").count()).toBe(3);
    const zalo = list.locator(`li[data-conversation="${conv.zalo}"]`);
    expect(await zalo.textContent()).toContain("Zalo · Shop Hoa Mai");
    expect(await zalo.textContent()).toContain("Tin nhắn Zalo số 22");
    expect(await zalo.textContent()).toContain("Phụ trách: sam");
    expect(await list.locator(`li[data-conversation="${conv.email}"]`).textContent()).toContain("Đổi size áo khoác");
    const call = list.locator(`li[data-call="${callId}"]`);
    expect(await call.textContent()).toContain("Cuộc gọi đến · Tổng đài");
    expect(await call.textContent()).toContain("Đã nghe");
    expect(await call.textContent()).toContain("1:30");
    expect(await call.textContent()).toContain("Kết quả cuộc gọi: Cần theo dõi tiếp");
    await Promise.all([page.waitForURL(new RegExp(`/inbox\\?c=${conv.email}`)), list.locator(`li[data-conversation="${conv.email}"] a`).first().click()]);
    await page.locator(`.conversation[data-conversation="${conv.email}"]`).waitFor();
    await page.close();
  });

  test("the contact panel beside her Zalo chat shows the same list and leads to the full profile", async () => {
    const page = await signedIn();
    await page.goto(`${w.pano.url}/inbox?c=${conv.zalo}&status=all`);
    const pane = page.locator("#contact-pane");
    const entries = pane.locator("ul.history li.history-entry");
    await eventually(async () => (await entries.count()) === 3, 15_000, "three entries in the panel");
    expect(await pane.locator(`li[data-conversation="${conv.zalo}"] [aria-current="true"]`).count()).toBe(1);
    expect(await pane.locator(`li[data-call="${callId}"]`).textContent()).toContain("Cần theo dõi tiếp");
    // An entry opens in the middle pane, beside the same panel.
    await pane.locator(`#contact-history-${conv.email}`).click();
    await page.locator(`.conversation[data-conversation="${conv.email}"]`).waitFor();
    await Promise.all([page.waitForURL(new RegExp(`/contacts/${contactId}$`)), page.locator("#contact-pane").getByRole("link", { name: "Xem hồ sơ đầy đủ" }).click()]);
    await page.locator("#profile-name", { hasText: "Nguyễn Thị Mai" }).waitFor();
    await page.close();
  });

  test("the conversation view unfolds an earlier conversation's messages in place, a page at a time", async () => {
    const page = await signedIn();
    await page.goto(`${w.pano.url}/inbox?c=${conv.email}&status=all`);
    const earlier = page.locator("#timeline .earlier-conversations");
    await earlier.waitFor();
    const zalo = earlier.locator("li", { hasText: "Shop Hoa Mai" });
    await zalo.getByText("Xem tin nhắn").click();
    const shown = zalo.locator(".earlier-messages");
    await shown.getByText("Tin nhắn Zalo số 22", { exact: true }).waitFor();
    expect(await shown.locator(".earlier-msg").count()).toBe(20);
    expect(await shown.getByText("Tin nhắn Zalo số 2", { exact: true }).count()).toBe(0);
    await shown.getByRole("button", { name: "Tin nhắn cũ hơn" }).click();
    await zalo.getByText("Tin nhắn Zalo số 1", { exact: true }).waitFor();
    expect(await zalo.locator(".earlier-msg").count()).toBe(22);
    await zalo.getByText("Đầu hội thoại.").waitFor();
    // Still the email's timeline: nothing of the Zalo chat joined it.
    expect(await page.locator(`#timeline article.msg`, { hasText: "Tin nhắn Zalo số 1" }).count()).toBe(0);
    await page.close();
  });

  test("thirty more conversations page in: 25 on the profile, then older ones on request; the API's cursor walks them all once", async () => {
    // Each order on the website is its own conversation: resolved at once by a team that never reopens.
    const orders = await w.pano.json("/api/v1/teams", { method: "POST", json: { name: "Đơn web", assignment: "manual", reopen_window: 0 } });
    for (let i = 1; i <= 30; i++) {
      const r = await w.pano.json(`/api/v1/channels/${await web()}/inbound`, {
        method: "POST",
        json: { external_contact_id: "mai-web", contact_name: "Mai", phone: "0903111222", external_message_id: `mai-web-${i}`, text: `Đơn hàng web số ${i}` },
      });
      await w.pano.json(`/api/v1/conversations/${r.conversation_id}`, { method: "PATCH", json: { team_id: orders.id, status: "resolved" } });
    }
    expect((await conversationsOf()).length).toBe(33);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const { body }: { body: any } = await history(undefined, `?limit=7${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...body.data.map((e: any) => (e.type === "call" ? `call-${e.message_id}` : e.conversation_id)));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen.length).toBe(33);
    expect(new Set(seen).size).toBe(33);

    const page = await signedIn();
    await page.goto(`${w.pano.url}/contacts/${contactId}`);
    const list = page.getByRole("list", { name: "Mọi hội thoại và cuộc gọi" });
    expect(await list.locator("li.history-entry").count()).toBe(25);
    expect(await list.locator("li.history-entry").first().textContent()).toContain("Đơn hàng web số 30");
    await list.getByRole("button", { name: "Xem cũ hơn" }).click();
    await list.getByText("Đã hết lịch sử.").waitFor();
    expect(await list.locator("li.history-entry").count()).toBe(33);
    expect(await list.locator(`li[data-conversation="${conv.zalo}"]`).count()).toBe(1);

    // The panel beside the newest order: 10 at a time.
    await page.goto(`${w.pano.url}/inbox?c=${seen[0]}&status=all`);
    const panel = page.locator("#contact-pane ul.history");
    await eventually(async () => (await panel.locator("li.history-entry").count()) === 10, 15_000, "the panel's first page");
    for (const n of [20, 30, 33]) {
      await panel.getByRole("button", { name: "Xem cũ hơn" }).click();
      await eventually(async () => (await panel.locator("li.history-entry").count()) === n, 15_000, `${n} entries in the panel`);
    }
    expect(await panel.getByRole("button", { name: "Xem cũ hơn" }).count()).toBe(0);
    expect(await panel.locator(`li[data-conversation="${seen[0]}"] [aria-current="true"]`).count()).toBe(1);
    await page.close();

    const bad = await history(undefined, "?cursor=not-a-cursor");
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe("validation_failed");
  });

  test("an agent sees only her team's part of the history, and an agent of another team sees none of it", async () => {
    const own = await history(sam.token);
    expect(own.status).toBe(200);
    expect(own.body.data.map((e: any) => e.conversation_id).sort()).toEqual([conv.zalo, conv.email].sort());
    const other = await history(wen.token);
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain("Mai");

    const page = await signedIn("wen@shop.vn");
    const r = await page.goto(`${w.pano.url}/contacts/${contactId}`);
    expect(r?.status()).toBe(404);
    expect(await page.textContent("body")).not.toContain("Nguyễn Thị Mai");
    const more = await page.request.get(`${w.pano.url}/contacts/${contactId}/history?place=page&cursor=${Buffer.from(`${Date.now()}.1.999999`).toString("base64url")}`);
    expect(more.status()).toBe(404);
    const msgs = await page.request.get(`${w.pano.url}/contacts/conversations/${conv.zalo}/messages`);
    expect(msgs.status()).toBe(404);
    await page.close();

    const samPage = await signedIn("sam@shop.vn");
    await samPage.goto(`${w.pano.url}/contacts/${contactId}`);
    const list = samPage.getByRole("list", { name: "Mọi hội thoại và cuộc gọi" });
    await list.waitFor();
    expect(await list.locator("li.history-entry").count()).toBe(2);
    expect(await list.locator(`li[data-call]`).count()).toBe(0);
    await samPage.close();
  });
});

let webChannel: string | null = null;
async function web() {
  webChannel ??= (await w.pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
  return webChannel!;
}
