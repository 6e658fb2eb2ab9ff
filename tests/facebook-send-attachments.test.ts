// An agent's reply with a photo and a price list: Messenger gets the text, then each file as an
// attachment by its public Pano URL (Meta downloads it from there). Driven through the Facebook
// channel's own send against the simulator's Graph API over HTTP.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { facebookChannel } from "../src/channels/facebook/index.ts";
import type { OutboundMessage } from "../src/domain/message.ts";
import { customerMessage } from "./sim/facebook.ts";
import { psidOf, HOUR } from "./sim/facebook-pano.ts";
import { startDirectPage, type DirectPage } from "./sim/facebook-direct.ts";

let d: DirectPage;
beforeAll(async () => void (d = await startDirectPage({ pageId: "100000000000321", appSecret: "app-secret-for-attachments", pageToken: "EAAG-attachments-token-0001" })));
afterAll(async () => await d?.sim.stop());

function reply(psid: string, text: string, attachments: OutboundMessage["attachments"]): OutboundMessage {
  return {
    messageId: 42, conversationId: 7, text, attachments, contact: { externalId: psid }, authoredBy: "agent",
    lastInboundAt: new Date(Date.now() - HOUR), threadRefs: [], createdAt: new Date(),
  };
}

test("text first, then the photo as an image and the PDF as a file, each by its Pano URL", async () => {
  const psid = psidOf(1);
  // The customer wrote an hour ago (the simulator enforces Meta's window from that).
  d.sim.prepare([{ pageId: d.page.pageId, events: [customerMessage(d.page.pageId, psid, "Cho mình xem mẫu", { timestamp: Date.now() - HOUR })] }]);
  const photo = { name: "ao-dai-do.jpg", contentType: "image/jpeg", size: 120_000, url: "https://pano.shop.vn/files/aa11", path: "/data/attachments/aa/aa11" };
  const pdf = { name: "bang-gia.pdf", contentType: "application/pdf", size: 40_000, url: "https://pano.shop.vn/files/bb22", path: "/data/attachments/bb/bb22" };
  const result = await facebookChannel.send(reply(psid, "Dạ mẫu áo dài đỏ và bảng giá ạ", [photo, pdf]), d.channel, d.rt);
  expect(result.ok).toBe(true);
  const calls = d.sim.sendCalls().filter((c) => c.body.recipient.id === psid);
  expect(calls.map((c) => c.body.message)).toEqual([
    { text: "Dạ mẫu áo dài đỏ và bảng giá ạ", metadata: "pano:42" },
    { attachment: { type: "image", payload: { url: photo.url, is_reusable: true } }, metadata: "pano:42" },
    { attachment: { type: "file", payload: { url: pdf.url, is_reusable: true } }, metadata: "pano:42" },
  ]);
  expect(calls.every((c) => c.body.messaging_type === "RESPONSE")).toBe(true);
  if (!result.ok) throw new Error("unreachable");
  expect([result.externalId, ...(result.extraExternalIds ?? [])]).toHaveLength(3);
});

test("a reply with nothing in it is refused before any call", async () => {
  const before = d.sim.sendCalls().length;
  const result = await facebookChannel.send(reply(psidOf(1), "   ", []), d.channel, d.rt);
  expect(result).toMatchObject({ ok: false, kind: "failed", code: "empty" });
  expect(d.sim.sendCalls().length).toBe(before);
});
