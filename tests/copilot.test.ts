// The optional copilot (PANO_LLM_URL): in Chromium an agent asks for a reply draft and it streams
// into the composer, grounded in the conversation, the customer's profile and the team's canned
// replies, and is never sent without them; a summary streams into its panel. A failing, malformed
// or silent AI server ends with a reason and the composer works as before; without PANO_LLM_URL
// there is no copilot at all. The AI server is a local OpenAI-compatible fake (tests/sim/openai-chat.ts).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { launchBrowser, openPage, logIn, type WatchedPage } from "./support/browser.ts";
import { startFakeChat, type FakeChat } from "./sim/openai-chat.ts";

let pano: PanoProcess;
let ai: FakeChat;
let browser: Browser;
let w: WatchedPage;
let conversationId: string;

beforeAll(async () => {
  ai = startFakeChat();
  pano = await startPano({ env: { PANO_LLM_URL: ai.url, PANO_LLM_TIMEOUT_MS: "1500" } });
  const channel = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
  const r = await (await pano.api(`/api/v1/channels/${channel}/inbound`, { method: "POST", json: { external_contact_id: "kh-hoa", contact_name: "Trần Thị Hoa", external_message_id: "m-1", text: "Shop ơi đơn của mình bao giờ giao vậy?" } })).json();
  conversationId = r.conversation_id;
  await pano.json(`/api/v1/contacts/${r.contact_id}`, { method: "PATCH", json: { attributes: { order_code: "DH20261204" } } });
  await pano.json("/api/v1/canned-replies", { method: "POST", json: { team_id: null, shortcut: "giaohang", text: "Dạ đơn nội thành giao trong 1–2 ngày ạ." } });
  browser = await launchBrowser();
  w = await openPage(browser);
  await logIn(w.page, pano);
});
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
  ai?.stop();
});

const status = () => w.page.locator("[data-copilot-status]").innerText();

describe("the copilot", () => {
  test("a reply draft streams into the composer, grounded in the conversation, the profile and the canned replies, and is not sent", async () => {
    ai.mode = "stream";
    ai.pieces = ["Dạ chị Hoa, ", "đơn DH20261204 ", "nội thành giao trong 1–2 ngày ạ."];
    await w.page.goto(`${pano.url}/inbox?c=${conversationId}`);
    await w.page.getByRole("button", { name: /Gợi ý trả lời/ }).click();
    await w.page.waitForFunction(() => (document.getElementById("reply-text") as HTMLTextAreaElement).value.endsWith("giao trong 1–2 ngày ạ."));
    expect(await w.page.locator("#reply-text").inputValue()).toBe("Dạ chị Hoa, đơn DH20261204 nội thành giao trong 1–2 ngày ạ.");
    await w.page.locator("[data-copilot-status]", { hasText: "Bản nháp do AI viết" }).waitFor();
    const asked = JSON.stringify(ai.streamed.at(-1).messages);
    expect(asked).toContain("Shop ơi đơn của mình bao giờ giao vậy?");
    expect(asked).toContain("DH20261204");
    expect(asked).toContain("Dạ đơn nội thành giao trong 1–2 ngày ạ.");
    expect(asked).toContain("Trần Thị Hoa");
    // Only the customer's message is in the conversation: the draft waits for the agent.
    const msgs = await pano.json(`/api/v1/conversations/${conversationId}/messages`);
    expect(msgs.data.map((m: any) => m.direction)).toEqual(["in"]);
    // The agent edits and sends it themselves.
    await w.page.locator("#reply-text").press("End");
    await w.page.locator("#reply-text").pressSequentially(" Cảm ơn chị!");
    await w.page.locator("#reply-text").press("Enter");
    await w.page.locator("article.msg.out", { hasText: "Cảm ơn chị!" }).waitFor();
  });

  test("a summary of the conversation streams into its panel for whoever takes it over", async () => {
    ai.pieces = ["- Khách hỏi ngày giao đơn DH20261204.\n", "- Shop đã báo 1–2 ngày."];
    await w.page.getByRole("button", { name: "Tóm tắt hội thoại" }).click();
    const panel = w.page.locator("[data-copilot-summary]");
    await panel.getByText("Shop đã báo 1–2 ngày.").waitFor();
    expect(await panel.innerText()).toBe("- Khách hỏi ngày giao đơn DH20261204.\n- Shop đã báo 1–2 ngày.");
    expect(JSON.stringify(ai.streamed.at(-1).messages)).toContain("Cảm ơn chị!");
  });

  test("a failing, malformed or silent AI server ends with a reason; the composer still works", async () => {
    ai.mode = "error";
    await w.page.locator("#reply-text").fill("");
    await w.page.getByRole("button", { name: /Gợi ý trả lời/ }).click();
    await w.page.locator("[data-copilot-status]", { hasText: "Máy chủ AI từ chối yêu cầu." }).waitFor();
    ai.mode = "malformed";
    await w.page.getByRole("button", { name: /Gợi ý trả lời/ }).click();
    await w.page.locator("[data-copilot-status]", { hasText: "không đúng định dạng" }).waitFor();
    ai.mode = "silent";
    await w.page.locator("#reply-text").fill("");
    await w.page.getByRole("button", { name: /Gợi ý trả lời/ }).click();
    await w.page.locator("[data-copilot-status]", { hasText: "AI trả lời quá chậm" }).waitFor({ timeout: 15_000 });
    expect(await w.page.getByRole("button", { name: /Gợi ý trả lời/ }).isEnabled()).toBe(true);
    await w.page.locator("#reply-text").fill("Dạ shop kiểm tra và báo lại chị ngay ạ.");
    await w.page.locator("#reply-text").press("Enter");
    await w.page.locator("article.msg.out", { hasText: "shop kiểm tra và báo lại" }).waitFor();
    expect(w.errors).toEqual([]);
  });

  test("without PANO_LLM_URL there is no copilot", async () => {
    const plain = await startPano();
    try {
      const channel = (await plain.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
      const r = await (await plain.api(`/api/v1/channels/${channel}/inbound`, { method: "POST", json: { external_contact_id: "kh", external_message_id: "m", text: "Chào shop" } })).json();
      const page = await openPage(browser);
      await logIn(page.page, plain);
      await page.page.goto(`${plain.url}/inbox?c=${r.conversation_id}`);
      await page.page.locator("#reply-text").waitFor();
      expect(await page.page.locator("[data-copilot]").count()).toBe(0);
      const res = await page.page.request.get(`${plain.url}/conversations/${r.conversation_id}/copilot/draft`);
      expect(res.status()).toBe(404);
      await page.page.close();
    } finally {
      await plain.stop();
    }
  });
});
