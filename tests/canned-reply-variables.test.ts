// Canned replies with variables: the filling rule as a table, then the story in a real Chromium.
// An agent types "/" in the composer, picks a reply with {{contact.name}}, {{agent.name}} and a
// custom attribute: they come filled in; {{contact.email}}, which this customer has not given, is
// flagged before sending, and Enter asks first instead of sending it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { fillVariables, unfilledVariables, unknownVariables, type VariableValues } from "../src/domain/reply-variables.ts";
import { eventually, startPano, type PanoProcess } from "./support/pano.ts";
import { customerWrites, launchBrowser, logIn, openPage, waitForLive, type WatchedPage } from "./support/browser.ts";

const values: VariableValues = {
  contact: { name: "Nguyễn Thị Lan", phone: "+84901234567", email: null, attributes: { "Hạng thành viên": "Vàng", points: 1200, vip: true, empty: "", nested: { a: 1 } } },
  agent: { name: "Minh" },
  conversation: { id: 42 },
};

describe("filling variables", () => {
  const cases: [string, string, string, string[], string[]][] = [
    // [what, template, filled text, missing, unknown]
    ["contact and agent", "Chào {{contact.name}}, em là {{agent.name}}.", "Chào Nguyễn Thị Lan, em là Minh.", [], []],
    ["spaces inside the braces", "SĐT: {{ contact.phone }}", "SĐT: +84901234567", [], []],
    ["conversation id", "Mã hỗ trợ #{{conversation.id}}", "Mã hỗ trợ #42", [], []],
    ["a missing value stays as its placeholder", "Email: {{contact.email}}", "Email: {{contact.email}}", ["contact.email"], []],
    ["the same missing value twice is listed once", "{{contact.email}} / {{contact.email}}", "{{contact.email}} / {{contact.email}}", ["contact.email"], []],
    ["a custom attribute with a Vietnamese key", "Hạng: {{contact.attributes.Hạng thành viên}}", "Hạng: Vàng", [], []],
    ["numbers and booleans are written out", "{{contact.attributes.points}} điểm, VIP {{contact.attributes.vip}}", "1200 điểm, VIP true", [], []],
    ["an empty or nested attribute is missing", "{{contact.attributes.empty}}{{contact.attributes.nested}}", "{{contact.attributes.empty}}{{contact.attributes.nested}}", ["contact.attributes.empty", "contact.attributes.nested"], []],
    ["an attribute the contact does not have is missing", "{{contact.attributes.size}}", "{{contact.attributes.size}}", ["contact.attributes.size"], []],
    ["an unknown variable is left as written", "{{contact.age}} {{ foo }}", "{{contact.age}} {{ foo }}", [], ["{{contact.age}}", "{{ foo }}"]],
    ["single braces and plain text are untouched", "{contact.name} {{}} {{ }}", "{contact.name} {{}} {{ }}", [], ["{{ }}"]],
    ["no variables", "Cảm ơn anh/chị!", "Cảm ơn anh/chị!", [], []],
  ];
  for (const [what, template, text, missing, unknown] of cases) {
    test(what, () => {
      expect(fillVariables(template, values)).toEqual({ text, missing, unknown });
    });
  }

  test("a prototype name is not an attribute", () => {
    expect(fillVariables("{{contact.attributes.constructor}}", values).missing).toEqual(["contact.attributes.constructor"]);
  });

  test("what is still unfilled in a text about to be sent, and what names no variable", () => {
    expect(unfilledVariables("Chào Lan, email {{contact.email}} và {{ agent.name }}; {{foo}}")).toEqual(["contact.email", "agent.name"]);
    expect(unfilledVariables("Không còn biến nào")).toEqual([]);
    expect(unknownVariables("{{contact.name}} {{contact.nmae}}")).toEqual(["{{contact.nmae}}"]);
  });
});

describe("in the composer", () => {
  let pano: PanoProcess;
  let browser: Browser;
  let w: WatchedPage;
  let conv: string;
  const outgoing = async () => (await pano.json(`/api/v1/conversations/${conv}/messages?limit=100`)).data.filter((m: any) => m.direction === "out");

  beforeAll(async () => {
    [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
    const web = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
    const first = await customerWrites(pano, web, "kh-lan", "Cho mình đổi size áo với ạ", "Nguyễn Thị Lan");
    conv = first.conversation_id;
    await pano.json(`/api/v1/contacts/${first.contact_id}`, { method: "PATCH", json: { attributes: { "Hạng thành viên": "Vàng" } } });
    await pano.json("/api/v1/canned-replies", { method: "POST", json: { team_id: null, shortcut: "doisize", text: "Chào {{contact.name}}, em là {{agent.name}}. Khách hạng {{contact.attributes.Hạng thành viên}} được đổi size miễn phí, mã #{{conversation.id}}." } });
    await pano.json("/api/v1/canned-replies", { method: "POST", json: { team_id: null, shortcut: "hoadon", text: "Dạ em gửi hoá đơn về {{contact.email}} ạ." } });
    w = await openPage(browser);
    await logIn(w.page, pano);
    await waitForLive(w.page);
    await w.page.goto(`${pano.url}/inbox?c=${conv}`);
    await waitForLive(w.page);
  });
  afterAll(async () => {
    await browser?.close();
    await pano?.stop();
  });

  test("a canned reply comes filled in for this customer and this agent", async () => {
    const ta = w.page.locator("#reply-text");
    await ta.click();
    await ta.pressSequentially("/dois");
    await w.page.locator("#canned li[data-shortcut=doisize]").waitFor();
    await ta.press("Enter");
    const { name } = (await pano.json("/api/v1/users")).data.find((u: any) => u.email === "admin@pano.test");
    expect(await ta.inputValue()).toBe(`Chào Nguyễn Thị Lan, em là ${name}. Khách hạng Vàng được đổi size miễn phí, mã #${conv}.`);
    expect(await w.page.locator("#composer [data-vars-missing]").isHidden()).toBe(true);
    await ta.press("Enter");
    await eventually(async () => (await outgoing()).some((m: any) => m.text.startsWith("Chào Nguyễn Thị Lan")), 10_000, "the filled reply is sent");
    expect(await w.page.locator("#composer-ask .ask").count()).toBe(0);
  });

  test("a value the customer has not given is flagged, and sending asks first", async () => {
    const ta = w.page.locator("#reply-text");
    await ta.pressSequentially("/hoad");
    await w.page.locator("#canned li[data-shortcut=hoadon]").waitFor();
    await ta.press("Enter");
    expect(await ta.inputValue()).toBe("Dạ em gửi hoá đơn về {{contact.email}} ạ.");
    const flag = w.page.locator("#composer [data-vars-missing]");
    await flag.waitFor();
    expect(await flag.textContent()).toBe("Chưa có giá trị: {{contact.email}}");
    expect(await ta.getAttribute("class")).toContain("has-missing");
    // The placeholder is selected: typing replaces it.
    expect(await ta.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd))).toBe("{{contact.email}}");

    const before = (await outgoing()).length;
    await ta.press("End");
    await ta.press("Enter");
    const ask = w.page.locator("#composer-ask .ask");
    await ask.waitFor();
    expect(await ask.textContent()).toContain("Trả lời còn biến chưa có giá trị ({{contact.email}}) — vẫn gửi?");
    expect((await outgoing()).length).toBe(before);

    // The agent types the address over the placeholder instead: no question, the flag goes.
    await ask.getByRole("button", { name: "Xem lại" }).click();
    await ta.evaluate((el: HTMLTextAreaElement) => { const i = el.value.indexOf("{{"); el.setSelectionRange(i, el.value.indexOf("}}") + 2); });
    await ta.pressSequentially("lan@example.vn");
    await flag.waitFor({ state: "hidden" });
    await ta.press("Enter");
    await eventually(async () => (await outgoing()).some((m: any) => m.text === "Dạ em gửi hoá đơn về lan@example.vn ạ."), 10_000, "the corrected reply is sent");
    expect(w.dialogs).toEqual([]);
  });

  test("the API gives a reply filled in for a conversation, naming what is missing", async () => {
    const list = await pano.json(`/api/v1/canned-replies?conversation_id=${conv}`);
    const hoadon = list.data.find((r: any) => r.shortcut === "hoadon");
    expect(hoadon).toMatchObject({ text: "Dạ em gửi hoá đơn về {{contact.email}} ạ.", filled_text: "Dạ em gửi hoá đơn về {{contact.email}} ạ.", missing_variables: ["contact.email"] });
    const one = await pano.json(`/api/v1/canned-replies/${list.data.find((r: any) => r.shortcut === "doisize").id}?conversation_id=${conv}`);
    expect(one.filled_text).toStartWith("Chào Nguyễn Thị Lan");
    expect(one.missing_variables).toEqual([]);
    const none = await pano.api("/api/v1/canned-replies?conversation_id=999999");
    expect([none.status, (await none.json()).error.code]).toEqual([404, "not_found"]);
  });

  test("a canned reply naming no variable is refused when saved, with the variables to use", async () => {
    const r = await pano.api("/api/v1/canned-replies", { method: "POST", json: { team_id: null, shortcut: "sai", text: "Chào {{customer.name}}" } });
    expect(r.status).toBe(422);
    const body = await r.json();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.message).toContain("{{customer.name}}");
  });
});
