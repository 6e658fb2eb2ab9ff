// A Messenger customer in the agent's browser (Chromium, Vietnamese): their photo shows inline
// from Pano's own copy and their PDF is a download link; the composer counts against Messenger's
// 2,000-character limit; a reply goes out and turns "Đã xem" when the customer reads it, live.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startFacebookStory, psidOf, type FacebookStory } from "./sim/facebook-pano.ts";
import { launchBrowser, logIn, openPage, waitForLive, type WatchedPage } from "./support/browser.ts";
import { eventually } from "./support/pano.ts";

// A 2x2 red PNG: small, but a real image the browser must decode.
const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAwMDAxMDAAAAhHgMCbVAvMQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));

let s: FacebookStory;
let browser: Browser;
let w: WatchedPage;
let conv: string;
const psid = psidOf(41);

beforeAll(async () => {
  [s, browser] = await Promise.all([startFacebookStory(), launchBrowser()]);
  const photo = s.sim.addFile("ao-dai-do.png", PNG, "image/png");
  const pdf = s.sim.addFile("bang-gia.pdf", new TextEncoder().encode("%PDF-1.4 bảng giá tháng 11"), "application/pdf");
  await s.sim.customerSays(psid, "Mẫu này còn size M không shop? Gửi shop bảng giá luôn", { attachments: [{ type: "image", url: photo }, { type: "file", url: pdf }] });
  conv = (await s.conversationOf(psid)).conversationId;
  // Pano copies the files after acknowledging the webhook; wait for both copies.
  await eventually(async () => {
    const [m] = await s.messages(conv);
    return m?.attachments.length === 2 && m.attachments.every((a: { url: string }) => a.url.startsWith(`${s.pano.url}/files/`));
  }, 8000, "both files stored");
  w = await openPage(browser);
  await logIn(w.page, s.pano);
  await waitForLive(w.page);
});
afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

describe("a Messenger conversation", () => {
  test("the photo shows inline from Pano's copy, the PDF is a link to download", async () => {
    await w.page.locator(`#conv-${conv} a`).click();
    const img = w.page.locator("#timeline .msg.in img.inline");
    await img.waitFor();
    expect(await img.getAttribute("src")).toStartWith("/files/");
    expect(await img.getAttribute("alt")).toBe("ao-dai-do.png");
    await eventually(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth === 2), 5000, "the photo decoded");
    const file = w.page.locator("#timeline .msg.in .file a", { hasText: "bang-gia.pdf" });
    expect(await file.getAttribute("download")).toBe("bang-gia.pdf");
    const served = await w.page.request.get(`${s.pano.url}${await file.getAttribute("href")}`);
    // A customer's file never renders on Pano's origin: it downloads, under its own name.
    expect(served.headers()["content-disposition"]).toStartWith("attachment;");
    expect(await served.text()).toBe("%PDF-1.4 bảng giá tháng 11");
  });

  test("the counter follows Messenger's 2,000-character limit and warns past it", async () => {
    const box = w.page.locator("#reply-text");
    const counter = w.page.locator("#composer [data-counter]");
    expect(await counter.textContent()).toBe("0/2000");
    await box.fill("x".repeat(2001));
    await w.page.locator("#composer [data-counter].over").waitFor();
    expect(await counter.textContent()).toBe("2001/2000");
    await box.fill("");
  });

  test("a reply is sent, then marked read live when the customer reads it", async () => {
    const box = w.page.locator("#reply-text");
    await box.click();
    await box.pressSequentially("Dạ còn size M ạ, em gửi chị bảng giá nhé");
    await box.press("Enter");
    const bubble = w.page.locator("#timeline .msg.out", { hasText: "còn size M" });
    await bubble.locator(".status.sent").waitFor();
    const sent = (await s.messages(conv)).find((m: { direction: string }) => m.direction === "out");
    await s.sim.receipts(psid, [sent.external_id], { read: true });
    await bubble.locator(".status.read", { hasText: "Đã xem" }).waitFor();
    expect(w.errors).toEqual([]);
  });

  test("a photo attached with the paperclip goes with the reply: Messenger gets it by its Pano URL and the timeline shows it", async () => {
    const before = s.sim.sendCalls().length;
    await w.page.locator("#composer input[type=file][name=files]").setInputFiles({ name: "mau-moi.png", mimeType: "image/png", buffer: Buffer.from(PNG) });
    await w.page.locator("#composer [data-chosen]", { hasText: "mau-moi.png" }).waitFor();
    const box = w.page.locator("#reply-text");
    await box.click();
    await box.pressSequentially("Mẫu mới về hôm nay ạ");
    await box.press("Enter");
    const bubble = w.page.locator("#timeline .msg.out", { hasText: "Mẫu mới về hôm nay" });
    await bubble.locator("img.inline").waitFor();
    await bubble.locator(".status.sent").waitFor();
    const calls = s.sim.sendCalls().slice(before).filter((c: any) => c.body.recipient.id === psid).map((c: any) => c.body.message);
    expect(calls[0].text).toBe("Mẫu mới về hôm nay ạ");
    expect(calls[1].attachment.type).toBe("image");
    const url: string = calls[1].attachment.payload.url;
    expect(url).toContain("/files/");
    // What Meta downloads from that URL is the photo the agent picked, byte for byte.
    const got = new Uint8Array(await (await fetch(s.pano.url + url.slice(url.indexOf("/files/")))).arrayBuffer());
    expect(got).toEqual(PNG);
    expect(await w.page.locator("#composer [data-chosen]").textContent()).toBe("");
    expect(w.errors).toEqual([]);
  });
});
