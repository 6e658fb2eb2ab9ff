// Macros in the agents' screens, two agents in two real Chromium windows. Lan saves a personal
// macro in Settings › Macros, then in the inbox presses "m", types part of its name without
// diacritics and Enter: the reply (variables filled), the label, the priority and the status land
// at once, and An, who has the same conversation open, sees them live. The composer's button runs
// a shared macro too; one whose reply lacks a value asks first. Lan's personal macro is not An's.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { eventually, startPano, type PanoProcess } from "./support/pano.ts";
import { customerWrites, launchBrowser, waitForLive, type WatchedPage } from "./support/browser.ts";
import { bothSignedIn, teamOfTwo } from "./support/two-agents.ts";

let pano: PanoProcess;
let browser: Browser;
let lan: WatchedPage;
let an: WatchedPage;
let conv: string;
let second: string;

const outgoing = async (id: string) => (await pano.json(`/api/v1/conversations/${id}/messages?limit=100`)).data.filter((m: any) => m.direction === "out");

async function openConversation(w: WatchedPage, id: string) {
  await w.page.goto(`${pano.url}/inbox?c=${id}`);
  await waitForLive(w.page);
  await w.page.locator(`#conv-head[data-conversation="${id}"]`).waitFor();
}

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  const team = await teamOfTwo(pano);
  const web = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
  conv = (await customerWrites(pano, web, "kh-minh", "Shop ơi áo này hết size M rồi à?", "Trần Minh")).conversation_id;
  second = (await customerWrites(pano, web, "kh-hoa", "Cho mình xin hoá đơn VAT", "Lê Hoa")).conversation_id;
  for (const id of [conv, second]) await pano.json(`/api/v1/conversations/${id}`, { method: "PATCH", json: { team_id: team } });
  await pano.json("/api/v1/macros", { method: "POST", json: { name: "Gửi hoá đơn", visibility: "team", team_id: team, actions: [{ type: "reply", text: "Dạ em gửi hoá đơn về {{contact.email}} ạ." }, { type: "add_labels", labels: ["hoa-don"] }] } });
  ({ lan, an } = await bothSignedIn(pano, browser));
});
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
});

test("Lan saves a personal macro in Settings › Macros", async () => {
  await lan.page.goto(`${pano.url}/settings/macros`);
  const form = lan.page.locator("form[action='/settings/macros']");
  // An agent may keep her own macros only: no sharing choices are offered.
  expect(await form.locator("select[name=visibility] option").allTextContents()).toEqual(["Chỉ mình tôi"]);
  await form.getByLabel("Tên").fill("Hết size — đóng");
  await form.getByLabel("Trả lời khách").fill("Chào {{contact.name}}, em là {{agent.name}}: size M tạm hết, em báo anh/chị khi có lại ạ.");
  await form.getByLabel("Gắn nhãn").fill("het-size");
  await form.getByLabel("Đổi mức ưu tiên").selectOption("low");
  await form.getByLabel("Đổi trạng thái").selectOption("resolved");
  await form.getByRole("button", { name: "Thêm macro" }).click();
  await lan.page.locator(".notice").waitFor();
  const row = lan.page.locator("tr", { hasText: "Hết size — đóng" });
  expect(await row.locator("td").nth(1).textContent()).toBe("Chỉ mình tôi");
  expect(await row.textContent()).toContain("Gắn nhãn #het-size");

  // A typo in a variable is caught beside the reply field.
  await form.getByLabel("Tên").fill("Sai");
  await form.getByLabel("Trả lời khách").fill("Chào {{contact.nam}}");
  await form.getByRole("button", { name: "Thêm macro" }).click();
  await lan.page.locator(".field-error", { hasText: "Biến không có: {{contact.nam}}" }).waitFor();
});

test("'m', a few letters without diacritics and Enter run it; the other agent sees the result live", async () => {
  await Promise.all([openConversation(lan, conv), openConversation(an, conv)]);
  await lan.page.locator("#timeline").focus();
  await lan.page.keyboard.press("m");
  const picker = lan.page.locator("#macro-picker");
  await picker.waitFor();
  await picker.locator("li[data-macro]").first().waitFor();
  expect(await picker.locator("li[data-macro] strong").allTextContents()).toEqual(["Gửi hoá đơn", "Hết size — đóng"]);
  await lan.page.keyboard.type("het size");
  expect(await picker.locator("li[data-macro]:not([hidden]) strong").allTextContents()).toEqual(["Hết size — đóng"]);
  await lan.page.keyboard.press("Enter");
  await picker.waitFor({ state: "hidden" });
  await lan.page.locator("#toast", { hasText: "Đã chạy macro “Hết size — đóng”." }).waitFor();

  const c = await pano.json(`/api/v1/conversations/${conv}`);
  expect(c).toMatchObject({ status: "resolved", priority: "low", labels: ["het-size"] });
  expect((await outgoing(conv)).map((m: any) => m.text)).toEqual(["Chào Trần Minh, em là Lan: size M tạm hết, em báo anh/chị khi có lại ạ."]);
  await lan.page.locator("#timeline .event", { hasText: "Lan đã chạy macro “Hết size — đóng”" }).waitFor();

  // An never reloaded: the reply, the macro line and the new status reach her screen.
  await an.page.locator("#timeline [data-mid]", { hasText: "size M tạm hết" }).waitFor();
  await an.page.locator("#timeline .event", { hasText: "Lan đã chạy macro “Hết size — đóng”" }).waitFor();
  await an.page.locator("#timeline .event", { hasText: "Lan đã đổi trạng thái" }).waitFor();
  expect(lan.errors).toEqual([]);
  expect(an.errors).toEqual([]);
});

test("An does not see Lan's personal macro", async () => {
  await openConversation(an, second);
  await an.page.locator("#composer [data-macros-open]").click();
  const picker = an.page.locator("#macro-picker");
  await picker.locator("li[data-macro]").first().waitFor();
  expect(await picker.locator("li[data-macro] strong").allTextContents()).toEqual(["Gửi hoá đơn"]);
  await an.page.keyboard.press("Escape");
  await picker.waitFor({ state: "hidden" });
});

test("the composer's button runs a shared macro; a value the customer has not given asks first", async () => {
  await an.page.locator("#composer [data-macros-open]").click();
  const picker = an.page.locator("#macro-picker");
  await picker.locator("li[data-macro]", { hasText: "Gửi hoá đơn" }).click();
  const ask = picker.locator("#macro-ask .ask");
  await ask.waitFor();
  expect(await ask.textContent()).toContain("Macro “Gửi hoá đơn” cần {{contact.email}} nhưng hội thoại này chưa có.");
  expect(await outgoing(second)).toEqual([]);
  await ask.getByRole("button", { name: "Vẫn chạy" }).click();
  await picker.waitFor({ state: "hidden" });
  await eventually(async () => (await outgoing(second)).length === 1, 10_000, "the reply is sent");
  expect((await outgoing(second))[0].text).toBe("Dạ em gửi hoá đơn về ạ.");
  expect((await pano.json(`/api/v1/conversations/${second}`)).labels).toEqual(["hoa-don"]);
  expect(an.dialogs).toEqual([]);
});

test("Ctrl+K opens the list from inside the composer", async () => {
  await an.page.locator("#reply-text").click();
  await an.page.keyboard.press("Control+k");
  await an.page.locator("#macro-picker").waitFor();
  expect(await an.page.evaluate(() => document.activeElement?.id)).toBe("macro-filter");
});
