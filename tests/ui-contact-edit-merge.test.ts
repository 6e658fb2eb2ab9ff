// Story, in a real Chromium: an agent puts a customer's details right from the contact panel (the
// phone as the store writes it, an attribute "hạng: VIP") and a colleague with the same customer
// open sees it without reloading; a bad email is refused in Vietnamese; and a customer who wrote
// on the website and by email, as two profiles, is merged from the panel into one that lists both
// channels and both conversations. An agent finds only customers whose conversations they see.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { eventually, startPano, type PanoProcess } from "./support/pano.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { mail } from "./fixtures/email/mail.ts";
import { addAgent, addTeam } from "./support/agents.ts";
import { customerWrites, launchBrowser, logIn, openPage, waitForLive, type WatchedPage } from "./support/browser.ts";

let pano: PanoProcess;
let dovecot: Dovecot;
let smtp: SmtpPeer;
let browser: Browser;
let admin: WatchedPage;
let colleague: WatchedPage;
let web: string;
let mai: { conversation_id: string; contact_id: string };
let lanWeb: { conversation_id: string; contact_id: string };
let lanMail: { conversation_id: string; contact_id: string };
const AGENT = { email: "an@pano.test", password: "mat-khau-dai-du-8" };

const pane = (p: Page) => p.locator("#contact-pane");
async function openConversation(p: Page, id: string) {
  await p.goto(`${pano.url.replace(/\/$/, "")}/inbox?c=${id}&status=all`);
  await p.locator(`#contact-pane[data-contact]`).waitFor();
}

beforeAll(async () => {
  [dovecot, smtp, pano, browser] = await Promise.all([startDovecot(), startSmtpPeer(), startPano(), launchBrowser()]);
  web = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
  const email = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "email", name: "Hộp thư shop", config: { imap: dovecot.imapConfig(), smtp: smtp.smtpConfig(), from_address: "shop@pano.test" } },
  });
  const team = await addTeam(pano, "Chăm sóc khách hàng", "manual");
  await addAgent(pano, AGENT.email, [team]);

  mai = await customerWrites(pano, web, "web-mai", "Shop ơi, đơn của em giao chưa ạ?", "Trần Thị Mai");
  await pano.json(`/api/v1/contacts/${mai.contact_id}`, { method: "PATCH", json: { phone: "0912 000 000" } });
  await pano.json(`/api/v1/conversations/${mai.conversation_id}`, { method: "PATCH", json: { team_id: team } });
  // Mai once wrote from the shop's app with her right number: a profile of its own, for now.
  await pano.json(`/api/v1/channels/${web}/inbound`, {
    method: "POST", json: { external_contact_id: "app-mai", contact_name: "Chị Mai", external_message_id: "app-mai-1", text: "Áo còn size S không?", phone: "0912345678" },
  });
  lanWeb = await customerWrites(pano, web, "web-lan", "Cho mình hỏi áo khoác size M còn không?", "Nguyễn Thị Lan");
  await dovecot.append([mail({ from: "Chị Lan <lan@khach.vn>", subject: "Đổi size áo khoác", text: "Mình muốn đổi áo sang size M được không shop?" })]);
  lanMail = await eventually(async () => {
    const [c] = (await pano.json(`/api/v1/conversations?status=all&channel_id=${email.id}`)).data;
    return c ? { conversation_id: c.id, contact_id: c.contact_id } : null;
  }, 15_000, "the email is stored");
  expect(lanMail.contact_id).not.toBe(lanWeb.contact_id);
  // The email is the team's: the colleague works it, the website conversation is not theirs to see.
  await pano.json(`/api/v1/conversations/${lanMail.conversation_id}`, { method: "PATCH", json: { team_id: team } });

  [admin, colleague] = await Promise.all([openPage(browser), openPage(browser)]);
  await Promise.all([logIn(admin.page, pano), logIn(colleague.page, pano, AGENT)]);
}, 45_000);
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
});

describe("editing a customer from the contact panel", () => {
  test("the phone is corrected and 'hạng: VIP' added; a colleague's open panel shows both at once", async () => {
    await Promise.all([openConversation(admin.page, mai.conversation_id), openConversation(colleague.page, mai.conversation_id)]);
    await waitForLive(colleague.page);
    const p = admin.page;
    await pane(p).getByRole("button", { name: "Sửa thông tin" }).click();
    await p.getByLabel("Điện thoại", { exact: true }).fill("+84 912 345 678");
    await p.getByRole("button", { name: "+ Thêm thuộc tính" }).click();
    // The new row takes the focus, as a person would expect after pressing "add".
    await p.locator("#ce-k0:focus").waitFor();
    await p.keyboard.type("hạng");
    await p.getByLabel("Giá trị thuộc tính 1").fill("VIP");
    await pane(p).getByRole("button", { name: "Lưu" }).click();
    await pane(p).getByRole("status").filter({ hasText: "Đã lưu thông tin khách hàng." }).waitFor();
    expect(await pane(p).locator(".contact-details dd").first().textContent()).toBe("0912345678");
    // The number now matches another profile: Pano says so and offers the merge.
    const hint = pane(p).locator(".merge-suggest");
    expect(await hint.locator("p").textContent()).toBe("Hồ sơ “Chị Mai” có cùng số điện thoại hoặc email: có thể là cùng một khách hàng.");
    expect(await hint.getByRole("button", { name: "Xem và gộp" }).count()).toBe(1);

    const seen = pane(colleague.page);
    await seen.locator(".contact-details a[href='tel:0912345678']").waitFor({ timeout: 5000 });
    expect(await seen.locator(".contact-attributes dt").allTextContents()).toEqual(["hạng"]);
    expect(await seen.locator(".contact-attributes dd").allTextContents()).toEqual(["VIP"]);
    // The editor's keyboard is back on "Sửa thông tin", also after their own panel's live redraw.
    await p.locator("#contact-edit-button:focus").waitFor();

    const contact = await pano.json(`/api/v1/contacts/${mai.contact_id}`);
    expect(contact.phone).toBe("0912345678");
    expect(contact.attributes).toEqual({ "hạng": "VIP" });
    const audit = (await pano.json(`/api/v1/audit?action=contact.updated&subject_id=${mai.contact_id}`)).data;
    expect(audit[0].actor.email).toBe("admin@pano.test");
    expect(audit[0].data.changed).toEqual(["phone", "attributes"]);
  });

  test("the colleague renames the customer and removes the attribute: the change is theirs, and the admin's list follows", async () => {
    const p = colleague.page;
    await pane(p).getByRole("button", { name: "Sửa thông tin" }).click();
    await p.getByLabel("Tên", { exact: true }).fill("Trần Thị Mai (Hà Nội)");
    await pane(p).getByRole("button", { name: "Xóa thuộc tính hạng" }).click();
    await p.locator("#ce-k0").waitFor({ state: "detached" });
    await pane(p).getByRole("button", { name: "Lưu" }).click();
    await pane(p).getByRole("status").waitFor();
    expect(await pane(p).locator(".contact-attributes").count()).toBe(0);
    expect((await pano.json(`/api/v1/contacts/${mai.contact_id}`)).attributes).toEqual({});
    await admin.page.locator(`#conv-${mai.conversation_id}`, { hasText: "Trần Thị Mai (Hà Nội)" }).waitFor({ timeout: 5000 });
    await pane(admin.page).locator("#contact-name", { hasText: "Trần Thị Mai (Hà Nội)" }).waitFor();
    const [last] = (await pano.json(`/api/v1/audit?action=contact.updated&subject_id=${mai.contact_id}`)).data;
    expect(last.actor.email).toBe(AGENT.email);
  });

  test("a bad email is refused with a message in Vietnamese, and nothing is stored", async () => {
    const p = admin.page;
    await pane(p).getByRole("button", { name: "Sửa thông tin" }).click();
    await p.getByLabel("Email", { exact: true }).fill("mai@@khach");
    await pane(p).getByRole("button", { name: "Lưu" }).click();
    const alert = pane(p).getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toBe("Địa chỉ email “mai@@khach” không hợp lệ. Hãy nhập theo dạng ten@vidu.vn.");
    expect(await p.getByLabel("Email", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await p.getByLabel("Email", { exact: true }).inputValue()).toBe("mai@@khach");
    expect((await pano.json(`/api/v1/contacts/${mai.contact_id}`)).email).toBeNull();
    await pane(p).getByRole("button", { name: "Hủy" }).click();
    await pane(p).getByRole("button", { name: "Sửa thông tin" }).waitFor();
  });
});

describe("merging two profiles of one customer", () => {
  test("an agent finds no customer whose conversations they cannot see", async () => {
    const results = (w: WatchedPage) => w.page.evaluate(async (url) => (await fetch(url, { headers: { "HX-Request": "true" } })).text(),
      `/contacts/${mai.contact_id}/merge/results?c=${mai.conversation_id}&q=${encodeURIComponent("nguyen thi lan")}`);
    expect(await results(colleague)).toContain("Không tìm thấy khách hàng nào khác.");
    // The same search by the admin, who sees every conversation, finds her.
    expect(await results(admin)).toContain("Chọn Nguyễn Thị Lan để gộp");
  });

  test("the website profile finds the email one without diacritics, confirms, and then lists both channels and conversations", async () => {
    const p = admin.page;
    await Promise.all([openConversation(p, lanWeb.conversation_id), openConversation(colleague.page, lanMail.conversation_id)]);
    await waitForLive(colleague.page);
    expect(await pane(colleague.page).locator("#contact-name").textContent()).toBe("Chị Lan");
    await pane(p).getByRole("button", { name: "Gộp với khách hàng khác" }).click();
    await p.getByLabel("Tìm khách hàng theo tên, số điện thoại hoặc email").fill("chi lan");
    const pick = pane(p).getByRole("button", { name: "Chọn Chị Lan để gộp" });
    await pick.waitFor();
    const card = pane(p).locator(".merge-candidates > li", { hasText: "Chị Lan" });
    expect(await card.textContent()).toContain("Email · Hộp thư shop");
    expect(await card.textContent()).toContain("1 hội thoại");
    await pick.click();
    await pane(p).getByText("Hồ sơ “Chị Lan” sẽ được gộp vào “Nguyễn Thị Lan”", { exact: false }).waitFor();
    await pane(p).getByRole("button", { name: "Gộp hồ sơ" }).click();
    await pane(p).getByRole("status").filter({ hasText: "Đã gộp “Chị Lan” vào hồ sơ này." }).waitFor();

    const channels = await pane(p).locator("ul.identities li").allTextContents();
    expect(channels.map((c) => c.replace(/\s+/g, " ").trim().split(" (")[0])).toEqual(["API · Website", "Email · Hộp thư shop"]);
    expect(await pane(p).locator("ul.history li").count()).toBe(2);
    // The email's row in the list now names the surviving profile.
    await p.locator(`#conv-${lanMail.conversation_id}`, { hasText: "Nguyễn Thị Lan" }).waitFor({ timeout: 5000 });
    await pane(p).locator(`ul.history a[href="/inbox?c=${lanMail.conversation_id}&status=all"]`).waitFor();
    expect(await pane(p).locator(".contact-details a[href='mailto:lan@khach.vn']").count()).toBe(1);

    // The colleague's panel, on the email, now shows the surviving profile with both channels.
    await pane(colleague.page).locator("#contact-name", { hasText: "Nguyễn Thị Lan" }).waitFor({ timeout: 5000 });
    expect(await pane(colleague.page).locator("ul.identities li").count()).toBe(2);

    const merged = await pano.json(`/api/v1/contacts/${lanWeb.contact_id}`);
    expect(merged.identities.length).toBe(2);
    expect([...merged.conversation_ids].sort()).toEqual([lanWeb.conversation_id, lanMail.conversation_id].sort());
    expect((await pano.json(`/api/v1/conversations/${lanMail.conversation_id}`)).contact_id).toBe(lanWeb.contact_id);
    const [audit] = (await pano.json(`/api/v1/audit?action=contact.merged&subject_id=${lanWeb.contact_id}`)).data;
    expect(audit.actor.email).toBe("admin@pano.test");
    expect(admin.errors).toEqual([]);
    expect(colleague.errors).toEqual([]);
  });
});
