// An agent's reply with a photo and a price list: Messenger gets the text, then each file as an
// attachment by its public Pano URL (Meta downloads it from there). Driven through the Facebook
// channel's own send against the simulator's Graph API over HTTP.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { facebookChannel } from "../src/channels/facebook/index.ts";
import type { Channel, ChannelRuntime } from "../src/channels/channel.ts";
import type { FacebookConfig } from "../src/channels/facebook/config.ts";
import type { OutboundMessage } from "../src/domain/message.ts";
import { startFacebookSim, customerMessage, type FacebookSim } from "./sim/facebook.ts";
import { psidOf, HOUR } from "./sim/facebook-pano.ts";

const page = { pageId: "100000000000321", appSecret: "app-secret-for-attachments", pageToken: "EAAG-attachments-token-0001" };
let sim: FacebookSim;
let rt: ChannelRuntime;
const channel: Channel<FacebookConfig> = {
  id: 1, type: "facebook", name: "Shop Hoa Mai", status: "active",
  config: { page_id: page.pageId, page_access_token: page.pageToken, app_secret: page.appSecret, verify_token: "verify-token-0001", allow_human_agent_tag: false },
};

beforeAll(async () => {
  sim = await startFacebookSim({ ...page, echoes: false });
  rt = {
    http: fetch, now: () => new Date(), dataDir: "/nonexistent",
    urls: { facebookGraph: sim.url, zaloApi: "", zaloOauth: "", publicUrl: "https://pano.shop.vn" },
    log: () => {}, updateConfig: async () => {}, setStatus: async () => {}, ingest: async () => {},
    current: () => channel, state: { get: () => null, set: async () => {} },
  };
});
afterAll(async () => {
  await sim.stop();
});

function reply(psid: string, text: string, attachments: OutboundMessage["attachments"]): OutboundMessage {
  return {
    messageId: 42, conversationId: 7, text, attachments, contact: { externalId: psid }, authoredBy: "agent",
    lastInboundAt: new Date(Date.now() - HOUR), threadRefs: [], createdAt: new Date(),
  };
}

test("text first, then the photo as an image and the PDF as a file, each by its Pano URL", async () => {
  const psid = psidOf(1);
  // The customer wrote an hour ago (the simulator enforces Meta's window from that).
  sim.prepare([{ pageId: page.pageId, events: [customerMessage(page.pageId, psid, "Cho mình xem mẫu", { timestamp: Date.now() - HOUR })] }]);
  const photo = { name: "ao-dai-do.jpg", contentType: "image/jpeg", size: 120_000, url: "https://pano.shop.vn/files/aa11", path: "/data/attachments/aa/aa11" };
  const pdf = { name: "bang-gia.pdf", contentType: "application/pdf", size: 40_000, url: "https://pano.shop.vn/files/bb22", path: "/data/attachments/bb/bb22" };
  const result = await facebookChannel.send(reply(psid, "Dạ mẫu áo dài đỏ và bảng giá ạ", [photo, pdf]), channel, rt);
  expect(result.ok).toBe(true);
  const calls = sim.sendCalls().filter((c) => c.body.recipient.id === psid);
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
  const before = sim.sendCalls().length;
  const result = await facebookChannel.send(reply(psidOf(1), "   ", []), channel, rt);
  expect(result).toMatchObject({ ok: false, kind: "failed", code: "empty" });
  expect(sim.sendCalls().length).toBe(before);
});
