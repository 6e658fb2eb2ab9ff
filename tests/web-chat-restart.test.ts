// Pano restarts while a visitor has the chat open on the shop's site (another origin). The widget
// says it lost the connection, reconnects by itself once Pano is back, fetches the reply the agent
// sent after the restart, and then gets the next one live; nothing shows twice.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Frame } from "playwright-core";
import { startPano, tempDir, eventually, type PanoProcess } from "./support/pano.ts";
import { startShop, chatFrame, type Shop } from "./support/web-chat-shop.ts";
import { launchBrowser, openPage, type WatchedPage } from "./support/browser.ts";

const dataDir = tempDir();
let pano: PanoProcess;
let browser: Browser;
let shop: Shop;
let channel: { id: string; widget_token: string };
let w: WatchedPage;
let frame: Frame;
let conversationId: string;

/**
 * The same Pano again, on the port the first one reported. This is a deliberate same-port restart,
 * not a pre-picked free port: the widget's Pano origin is baked into the snippet the shop pasted,
 * so a restarted Pano must come back where it was. The port was ours until a moment ago; if
 * something else took it meanwhile, the story cannot be told and says so.
 */
async function restartOnSamePort(port: number): Promise<PanoProcess> {
  let last = "";
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return await startPano({ dataDir, env: { PORT: String(port) } });
    } catch (err) {
      last = String(err);
      if (!/EADDRINUSE|address already in use|cannot listen/i.test(last)) throw err;
      await Bun.sleep(250); // the old socket may still be closing
    }
  }
  throw new Error(`port ${port}, which the first Pano had, was taken by something else; the restart cannot reuse it:\n${last}`);
}

const theirs = (text: string) => frame.locator(".msg.theirs", { hasText: text });

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano({ dataDir }), launchBrowser()]);
  shop = await startShop(pano);
  channel = shop.channel;
  w = await openPage(browser);
});
afterAll(async () => {
  await browser?.close();
  shop?.stop();
  await pano?.stop();
});

describe("Pano restarts while a widget is open", () => {
  test("the visitor writes and gets a first reply live", async () => {
    await w.page.goto(shop.url);
    await w.page.locator("button[data-pano-launcher]").click();
    frame = await chatFrame(w.page);
    await frame.locator("#text").fill("Shop ơi mình đặt hai bó hoa");
    await frame.locator("#text").press("Enter");
    await frame.locator(".msg.mine[data-id]").waitFor();
    conversationId = (await eventually(async () => (await pano.json(`/api/v1/conversations?channel_id=${channel.id}&status=all`)).data[0]))!.id;
    await pano.json(`/api/v1/conversations/${conversationId}/messages`, { method: "POST", json: { text: "Dạ em nhận đơn ạ" } });
    await theirs("Dạ em nhận đơn ạ").waitFor({ timeout: 2000 });
  });

  test("Pano stops: the widget says the connection is lost", async () => {
    const port = pano.port;
    expect(await pano.stop()).toBe(0);
    await frame.getByText("Mất kết nối, đang kết nối lại…").waitFor({ timeout: 5000 });
    // The visitor comes back to the tab while Pano is away: the widget catches up and sends a read
    // receipt, both of which fail now (and must fail quietly).
    await frame.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await eventually(() => w.errors.length > 0 || frame.evaluate(() => performance.getEntriesByType("resource").some((r) => r.name.includes("/chat/api/receipt"))), 5000, "the widget to try its receipt");
    pano = await restartOnSamePort(port);
    expect(pano.port).toBe(port);
  });

  test("a reply sent after the restart reaches the widget without a reload, then the next one live", async () => {
    await pano.json(`/api/v1/conversations/${conversationId}/messages`, { method: "POST", json: { text: "Chiều nay em giao ạ" } });
    await theirs("Chiều nay em giao ạ").waitFor({ timeout: 10_000 });
    await eventually(async () => (await frame.locator("#notice").isHidden()) || null, 5000, "the lost-connection notice to clear");
    const t0 = Date.now();
    await pano.json(`/api/v1/conversations/${conversationId}/messages`, { method: "POST", json: { text: "Chị nhớ nghe máy nhé" } });
    await theirs("Chị nhớ nghe máy nhé").waitFor({ timeout: 2000 });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  test("nothing is lost or shown twice, and a fetch that failed while Pano was away is no page error", async () => {
    // A marker reply after everything else: once it shows, any late duplicate of the earlier ones would have too.
    await pano.json(`/api/v1/conversations/${conversationId}/messages`, { method: "POST", json: { text: "Cảm ơn chị" } });
    await theirs("Cảm ơn chị").waitFor({ timeout: 5000 });
    const shown = await frame.locator(".msg[data-id]").evaluateAll((els) => els.map((e) => [e.getAttribute("data-id"), e.querySelector("p")?.textContent ?? ""]));
    expect(shown.map(([, text]) => text)).toEqual(["Shop ơi mình đặt hai bó hoa", "Dạ em nhận đơn ạ", "Chiều nay em giao ạ", "Chị nhớ nghe máy nhé", "Cảm ơn chị"]);
    expect(new Set(shown.map(([id]) => id)).size).toBe(shown.length);
    expect(w.errors).toEqual([]);
  });
});
