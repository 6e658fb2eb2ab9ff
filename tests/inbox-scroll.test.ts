// A long queue loads by cursor as the agent scrolls: the first page, then the rest, each
// conversation once, still urgent first and then the longest waiting.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { customerWrites, launchBrowser, logIn, openPage } from "./support/browser.ts";

const COUNT = 47;
let pano: PanoProcess;
let browser: Browser;
const ids: string[] = [];

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano({ env: { PANO_TRIAGE: "off" } }), launchBrowser()]);
  const channel = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
  for (let i = 1; i <= COUNT; i++) ids.push((await customerWrites(pano, channel, `kh-${i}`, `Câu hỏi số ${i}`, `Khách ${i}`)).conversation_id);
  await pano.json(`/api/v1/conversations/${ids[30]}`, { method: "PATCH", json: { priority: "urgent" } });
});
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
});

test("the list opens on one page and loads the next when its end scrolls into view", async () => {
  const w = await openPage(browser);
  await logIn(w.page, pano);
  const rows = w.page.locator("#conv-list .conv-row");
  await rows.first().waitFor();
  expect(await rows.count()).toBe(40);
  await rows.last().scrollIntoViewIfNeeded();
  await w.page.locator("#conv-list .more").waitFor({ state: "detached" });
  const shown = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-id")!));
  // Urgent first, then oldest first; every conversation exactly once.
  expect(shown).toEqual([ids[30], ...ids.filter((id) => id !== ids[30])]);
  expect(w.errors).toEqual([]);
});

test("a conversation the team has answered moves below the customers still waiting", async () => {
  await pano.json(`/api/v1/conversations/${ids[0]}/messages`, { method: "POST", json: { text: "Dạ shop trả lời câu 1 ạ" } });
  const w = await openPage(browser);
  await logIn(w.page, pano);
  const rows = w.page.locator("#conv-list .conv-row");
  await rows.first().waitFor();
  await rows.last().scrollIntoViewIfNeeded();
  await w.page.locator("#conv-list .more").waitFor({ state: "detached" });
  const shown = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-id")!));
  expect(shown).toEqual([ids[30], ...ids.filter((id) => id !== ids[30] && id !== ids[0]), ids[0]]);
  expect(w.errors).toEqual([]);
});
