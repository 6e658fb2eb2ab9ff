// Story: an agent's reply with an image and a price list (PDF) reaches a Zalo customer. Zalo takes
// files only through its upload endpoints, so the channel uploads each one first and sends the
// returned attachment_id / token; what Zalo would refuse fails before any upload, with a reason.
// (Pano's API and composer do not attach files yet, so this drives the channel adapter directly
// against the simulator, with the runtime Pano gives it.)
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import type { Channel, ChannelRuntime } from "../src/channels/channel.ts";
import { createOutsideFetch } from "../src/net/outside-fetch.ts";
import type { OutboundAttachment, OutboundMessage } from "../src/domain/message.ts";
import { zaloChannel } from "../src/channels/zalo/index.ts";
import type { ZaloConfig } from "../src/channels/zalo/config.ts";
import { startZaloSim, type ZaloSim } from "./sim/zalo.ts";
import { tempDir } from "./support/pano.ts";

let sim: ZaloSim;
let channel: Channel<ZaloConfig>;
let rt: ChannelRuntime;
const dir = tempDir("pano-zalo-upload-");

beforeAll(async () => {
  sim = await startZaloSim({ echoes: false });
  channel = { id: 1, type: "zalo", name: "Shop Hoa Mai", status: "active", config: sim.channelConfig() };
  rt = {
    fetchOutside: createOutsideFetch({ allowPrivate: true, maxBytes: 1 << 20 }), // the simulators are on 127.0.0.1
    http: fetch, now: () => new Date(), dataDir: dir, log: () => {},
    urls: { facebookGraph: "", zaloApi: sim.url, zaloOauth: sim.url, publicUrl: "http://127.0.0.1:1" },
    updateConfig: async (_id, patch) => void (channel = { ...channel, config: { ...channel.config, ...patch } }),
    setStatus: async (_id, status) => void (channel = { ...channel, status }),
    ingest: async () => {}, current: () => channel,
    state: { get: () => null, set: async () => {} },
  };
});
afterAll(async () => await sim?.stop());

function file(name: string, contentType: string, bytes: number): OutboundAttachment {
  const path = join(dir, name);
  writeFileSync(path, new Uint8Array(bytes).fill(37));
  return { name, contentType, size: bytes, path, url: `http://127.0.0.1:1/files/${name}` };
}

const reply = (user: string, text: string, attachments: OutboundAttachment[]): OutboundMessage => ({
  messageId: 42, conversationId: 7, text, attachments, contact: { externalId: user }, authoredBy: "agent", lastInboundAt: new Date(), threadRefs: [], createdAt: new Date(),
});

test("an image and a PDF are uploaded to Zalo first, then sent as a media message, a file message and the text", async () => {
  const user = sim.addUser();
  const r = await zaloChannel.send(reply(user, "Dạ shop gửi chị ảnh mẫu và bảng giá ạ", [file("ao-dai-do.png", "image/png", 200_000), file("bang-gia.pdf", "application/pdf", 900_000)]), channel, rt);
  expect(r.ok).toBe(true);
  const uploads = sim.requests.filter((q) => q.path.startsWith("/v2.0/oa/upload/"));
  expect(uploads.map((q) => q.path)).toEqual(["/v2.0/oa/upload/image", "/v2.0/oa/upload/file"]);
  expect(uploads.every((q) => q.headers.access_token === channel.config.access_token)).toBe(true);
  const [image, pdf, text] = sim.sent.filter((s) => s.user_id === user).map((s) => s.message);
  const attachmentId = image.attachment.payload.elements[0].attachment_id;
  expect(image.attachment).toMatchObject({ type: "template", payload: { template_type: "media", elements: [{ media_type: "image" }] } });
  expect(sim.uploads.get(attachmentId)).toMatchObject({ kind: "image", name: "ao-dai-do.png", size: 200_000 });
  expect(pdf.attachment.type).toBe("file");
  expect(sim.uploads.get(pdf.attachment.payload.token)).toMatchObject({ kind: "file", name: "bang-gia.pdf" });
  expect(text).toEqual({ text: "Dạ shop gửi chị ảnh mẫu và bảng giá ạ" });
  if (r.ok) expect([r.externalId, ...(r.extraExternalIds ?? [])]).toEqual(sim.sent.filter((s) => s.user_id === user).map((s) => s.message_id));
});

test("an image over 1 MB or a file type Zalo does not take fails before anything is uploaded", async () => {
  const user = sim.addUser();
  const before = sim.requests.length;
  const big = await zaloChannel.send(reply(user, "", [file("anh-lon.jpg", "image/jpeg", 1_500_000)]), channel, rt);
  expect(big).toMatchObject({ ok: false, kind: "failed", code: "attachment_too_large" });
  const zip = await zaloChannel.send(reply(user, "", [file("don-hang.zip", "application/zip", 1000)]), channel, rt);
  expect(zip).toMatchObject({ ok: false, kind: "failed", code: "attachment_type" });
  if (!zip.ok) expect(zip.reasonVi).toContain("PDF/DOC/DOCX");
  expect(sim.requests.length).toBe(before);
});
