// Two agents, Lan and An, open the same customer's conversation in two real Chromium windows:
// each sees the other there, sees when the other is typing a reply, and sees them go when they
// leave. Lan, writing, does not answer over An's reply: sending asks "An vừa trả lời — vẫn gửi?"
// first, and only "Vẫn gửi" sends. A reply Lan had already seen when she started typing asks nothing.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { eventually, runPano, startPano, type PanoProcess } from "./support/pano.ts";
import { customerWrites, launchBrowser, waitForLive, type WatchedPage } from "./support/browser.ts";
import { AN, bothSignedIn, teamOfTwo } from "./support/two-agents.ts";

let pano: PanoProcess;
let browser: Browser;
let lan: WatchedPage;
let an: WatchedPage;
let anToken: string;
let conv: string;
let other: string;

const bar = (w: WatchedPage) => w.page.locator("#composer [data-agents-here]");
const replies = async () => (await pano.json(`/api/v1/conversations/${conv}/messages?limit=100`)).data.filter((m: any) => m.direction === "out" && !m.private);

async function openConversation(w: WatchedPage, id: string) {
  await w.page.locator(`#conv-${id} a`).click();
  await w.page.locator(`#composer [data-agents-here][data-conversation="${id}"]`).waitFor({ state: "attached" });
}

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  const team = await teamOfTwo(pano);
  const tok = await runPano(["token", "create", "--name", "an", "--user", AN.email], { PANO_DATA_DIR: pano.dataDir });
  anToken = tok.stdout.trim();
  const web = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
  conv = (await customerWrites(pano, web, "kh-minh", "Đơn hàng #1234 của mình bao giờ giao ạ?", "Trần Minh")).conversation_id;
  other = (await customerWrites(pano, web, "kh-hoa", "Shop còn áo size M không?", "Lê Hoa")).conversation_id;
  for (const id of [conv, other]) await pano.json(`/api/v1/conversations/${id}`, { method: "PATCH", json: { team_id: team } });
  ({ lan, an } = await bothSignedIn(pano, browser));
  await Promise.all([waitForLive(lan.page), waitForLive(an.page)]);
});
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
});

test("both see each other in the conversation, and who is typing", async () => {
  await openConversation(lan, conv);
  await openConversation(an, conv);
  await bar(lan).locator("li", { hasText: "An đang xem hội thoại này" }).waitFor();
  await bar(an).locator("li", { hasText: "Lan đang xem hội thoại này" }).waitFor();
  expect(await bar(lan).locator("li").count()).toBe(1); // not herself

  await an.page.locator("#reply-text").pressSequentially("Dạ shop kiểm tra", { delay: 20 });
  await bar(lan).locator("li.typing", { hasText: "An đang soạn trả lời…" }).waitFor();
  // A pause in typing goes back to viewing.
  await bar(lan).locator("li.viewing", { hasText: "An đang xem hội thoại này" }).waitFor({ timeout: 15_000 });
  await an.page.locator("#reply-text").fill("");
});

test("the other goes away from the bar when they open another conversation", async () => {
  await openConversation(an, other);
  await bar(lan).waitFor({ state: "hidden" });
  expect(await bar(lan).locator("li").count()).toBe(0);
  await openConversation(an, conv);
  await bar(lan).locator("li", { hasText: "An đang xem hội thoại này" }).waitFor();
});

test("sending over a colleague's reply you had not seen asks first; only 'Vẫn gửi' sends", async () => {
  await lan.page.locator("#reply-text").pressSequentially("Dạ đơn của anh đang", { delay: 10 });
  const before = (await replies()).length;
  // An answers meanwhile (from the API, as another app of An's would).
  const r = await fetch(`${pano.url}/api/v1/conversations/${conv}/messages`, {
    method: "POST", headers: { authorization: `Bearer ${anToken}`, "content-type": "application/json" },
    body: JSON.stringify({ text: "Dạ đơn #1234 giao ngày mai ạ." }),
  });
  expect(r.status).toBe(202);
  await lan.page.locator("#reply-text").pressSequentially(" giao ạ.", { delay: 10 });
  await lan.page.locator("#reply-text").press("Enter");
  const ask = lan.page.locator("#composer-ask .ask");
  await ask.waitFor();
  expect(await ask.textContent()).toContain("An vừa trả lời — vẫn gửi?");
  expect((await replies()).length).toBe(before + 1); // An's only
  expect(await lan.page.locator("#reply-text").inputValue()).toBe("Dạ đơn của anh đang giao ạ.");

  await ask.getByRole("button", { name: "Vẫn gửi" }).click();
  await eventually(async () => (await replies()).some((m: any) => m.text === "Dạ đơn của anh đang giao ạ."), 10_000, "Lan's reply is stored");
  await lan.page.locator("#composer-ask .ask").waitFor({ state: "detached" });
  expect(await lan.page.locator("#reply-text").inputValue()).toBe("");
  expect(lan.dialogs).toEqual([]);
});

test("'Xem lại' keeps the text; a reply already on screen when typing started asks nothing", async () => {
  await lan.page.locator("#timeline [data-mid]", { hasText: "Dạ đơn của anh đang giao ạ." }).waitFor();
  const count = (await replies()).length;
  await lan.page.locator("#reply-text").pressSequentially("Anh cần gì thêm không ạ?", { delay: 10 });
  await lan.page.locator("#reply-text").press("Enter");
  await eventually(async () => (await replies()).length === count + 1, 10_000, "sent without a question");
  expect(await lan.page.locator("#composer-ask .ask").count()).toBe(0);

  // An writes while Lan drafts; Lan chooses to look again, and her draft stays.
  await lan.page.locator("#reply-text").pressSequentially("Cảm ơn anh", { delay: 10 });
  await an.page.locator("#reply-text").fill("Shop cảm ơn anh Minh!");
  await an.page.locator("#reply-text").press("Enter");
  await eventually(async () => (await replies()).length === count + 2, 10_000, "An's reply is stored");
  await lan.page.locator("#reply-text").press("Enter");
  await lan.page.locator("#composer-ask .ask", { hasText: "An vừa trả lời — vẫn gửi?" }).waitFor();
  await lan.page.getByRole("button", { name: "Xem lại" }).click();
  await lan.page.locator("#composer-ask .ask").waitFor({ state: "detached" });
  expect(await lan.page.locator("#reply-text").inputValue()).toBe("Cảm ơn anh");
  expect((await replies()).length).toBe(count + 2);
});

test("an agent who closes the window is gone from the other's bar", async () => {
  await bar(lan).locator("li", { hasText: "An" }).waitFor();
  await an.context.close();
  await bar(lan).waitFor({ state: "hidden", timeout: 15_000 });
});
