// An agent's email reply with a photo and a price list: the customer's mail client gets one mail
// with the text, a simple HTML version of the same words, and both files attached byte for byte,
// threaded under the customer's mail. Driven through the email channel's own send against a real
// SMTP receiver (the composer's file picker is not part of this story).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { emailChannel } from "../src/channels/email/index.ts";
import { closeTransport } from "../src/channels/email/send.ts";
import type { Channel, ChannelRuntime } from "../src/channels/channel.ts";
import { createOutsideFetch } from "../src/net/outside-fetch.ts";
import type { EmailConfig } from "../src/channels/email/config.ts";
import type { OutboundMessage } from "../src/domain/message.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { tempDir } from "./support/pano.ts";

let smtp: SmtpPeer;
let rt: ChannelRuntime;
let channel: Channel<EmailConfig>;
const dir = tempDir("pano-email-out-");
const state = new Map<string, string>();

beforeAll(async () => {
  smtp = await startSmtpPeer();
  channel = {
    id: 1, type: "email", name: "Hộp thư shop", status: "active",
    config: { imap: { host: "127.0.0.1", port: 1, secure: false, user: "shop@pano.test", password: "x" }, smtp: smtp.smtpConfig(), from_address: "shop@pano.test", from_name: "Shop Pano" } as EmailConfig,
  };
  rt = {
    fetchOutside: createOutsideFetch({ allowPrivate: true, maxBytes: 1 << 20 }), // the simulators are on 127.0.0.1
    http: fetch, now: () => new Date(), dataDir: dir,
    urls: { facebookGraph: "", zaloApi: "", zaloOauth: "", publicUrl: "https://pano.shop.vn" },
    log: () => {}, updateConfig: async () => {}, setStatus: async () => {}, ingest: async () => {},
    current: () => channel,
    state: { get: (_id: number, k: string) => state.get(k) ?? null, set: async (_id: number, k: string, v: string) => void state.set(k, v) },
  };
});
afterAll(async () => {
  closeTransport(channel.id);
  await smtp.stop();
});

function stored(name: string, bytes: Uint8Array): string {
  mkdirSync(join(dir, "attachments"), { recursive: true });
  const path = join(dir, "attachments", name);
  writeFileSync(path, bytes);
  return path;
}

test("the reply arrives as text, HTML and both files, threaded under the customer's mail", async () => {
  const photo = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 2000 }, (_, i) => i % 251)]);
  const pdf = new TextEncoder().encode("%PDF-1.4\n% Bảng giá sỉ tháng 12\n1 0 obj << >> endobj\n%%EOF\n");
  const msg: OutboundMessage = {
    messageId: 77, conversationId: 12,
    text: "Dạ shop gửi chị ảnh mẫu áo dài đỏ & bảng giá <sỉ> ạ.\n\nCảm ơn chị!",
    attachments: [
      { name: "áo-dài-đỏ.png", contentType: "image/png", size: photo.byteLength, url: "https://pano.shop.vn/files/aa11", path: stored("aa11", photo) },
      { name: "Bảng giá.pdf", contentType: "application/pdf", size: pdf.byteLength, url: "https://pano.shop.vn/files/bb22", path: stored("bb22", pdf) },
    ],
    contact: { externalId: "mai@khach.vn", email: "mai@khach.vn", name: "Trần Thị Mai" },
    authoredBy: "agent", lastInboundAt: new Date(), replyToExternalId: "hoi-gia.1@khach.vn",
    subject: "Hỏi giá sỉ áo dài", threadRefs: ["hoi-gia.1@khach.vn"], createdAt: new Date(),
  };
  const result = await emailChannel.send(msg, channel, rt);
  expect(result.ok).toBe(true);
  if (!result.ok) throw new Error("unreachable");
  const got = smtp.received.find((m) => m.parsed.messageId === `<${result.externalId}>`)!;
  expect(got.to).toEqual(["mai@khach.vn"]);
  expect(got.parsed.subject).toBe("Re: Hỏi giá sỉ áo dài");
  expect(got.parsed.inReplyTo).toBe("<hoi-gia.1@khach.vn>");
  expect(got.parsed.text?.trim()).toBe(msg.text);
  // The HTML says the same, escaped, paragraph by paragraph.
  expect(got.parsed.html).toContain("<p>Dạ shop gửi chị ảnh mẫu áo dài đỏ &amp; bảng giá &lt;sỉ&gt; ạ.</p><p>Cảm ơn chị!</p>");
  const files = got.parsed.attachments.map((a) => ({ name: a.filename, type: a.contentType, bytes: new Uint8Array(a.content) }));
  expect(files).toEqual([
    { name: "áo-dài-đỏ.png", type: "image/png", bytes: photo },
    { name: "Bảng giá.pdf", type: "application/pdf", bytes: pdf },
  ]);
});

test("a retry of the same reply carries the same Message-ID, so the customer's server can drop the copy", async () => {
  const msg: OutboundMessage = {
    messageId: 78, conversationId: 12, text: "Dạ shop gửi lại ạ.", attachments: [],
    contact: { externalId: "mai@khach.vn", email: "mai@khach.vn" }, authoredBy: "agent", lastInboundAt: new Date(),
    subject: "Hỏi giá sỉ áo dài", threadRefs: [], createdAt: new Date(),
  };
  const first = await emailChannel.send(msg, channel, rt);
  const again = await emailChannel.send(msg, channel, rt);
  expect(first.ok && again.ok).toBe(true);
  if (!first.ok || !again.ok) throw new Error("unreachable");
  expect(again.externalId).toBe(first.externalId);
});
