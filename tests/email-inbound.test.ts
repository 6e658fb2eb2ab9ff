// Stories of mail arriving in a shop's mailbox (a real Dovecot) and becoming conversations in Pano.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { mail, newId } from "./fixtures/email/mail.ts";

let pano: PanoProcess;
let dovecot: Dovecot;
let smtp: SmtpPeer;
let channelId: string;

beforeAll(async () => {
  [dovecot, smtp, pano] = await Promise.all([startDovecot(), startSmtpPeer(), startPano()]);
  const ch = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "email", name: "Hộp thư shop", config: { imap: dovecot.imapConfig(), smtp: smtp.smtpConfig(), from_address: "shop@pano.test", from_name: "Shop Pano" } },
  });
  channelId = ch.id;
});
afterAll(async () => {
  await pano?.stop();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
});

async function conversationWith(subject: string) {
  const list = await pano.json(`/api/v1/conversations?status=all&channel_id=${channelId}`);
  return list.data.find((c: any) => c.subject === subject);
}

test("a new email opens a conversation with its subject and sender", async () => {
  await dovecot.append([mail({ from: "Nguyễn Văn An <an@khach.vn>", subject: "Đơn hàng #1001 chưa giao", text: "Chào shop, đơn #1001 của mình chưa giao ạ." })]);
  const conv = await eventually(() => conversationWith("Đơn hàng #1001 chưa giao"), 10_000, "conversation");
  const msgs = await pano.json(`/api/v1/conversations/${conv.id}/messages`);
  expect(msgs.data[0].text).toBe("Chào shop, đơn #1001 của mình chưa giao ạ.");
  const contact = await pano.json(`/api/v1/contacts/${conv.contact_id}`);
  expect(contact.email).toBe("an@khach.vn");
  expect(contact.name).toBe("Nguyễn Văn An");
});
