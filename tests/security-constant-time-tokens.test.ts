// A stranger who wants to push mail into someone else's conversation must guess the token Pano
// plants in its Message-ID: it now carries at least 128 bits. Customers replying to mail Pano sent
// before (with the old, shorter token) still land in their conversation.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { createHmac } from "node:crypto";
import { join } from "node:path";
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

const conversations = async () => (await pano.json(`/api/v1/conversations?status=all&channel_id=${channelId}`)).data as any[];
const messagesOf = async (convId: string) => (await pano.json(`/api/v1/conversations/${convId}/messages`)).data as any[];

async function conversationWithReply(from: string, subject: string) {
  await dovecot.append([mail({ from, subject, text: `${subject}: shop ơi tư vấn giúp mình.` })]);
  const conv = await eventually(async () => (await conversations()).find((c) => c.subject === subject), 10_000, `conversation "${subject}"`);
  await pano.json(`/api/v1/conversations/${conv.id}/messages`, { method: "POST", json: { text: "Dạ shop xin trả lời ạ." } });
  const sent = await eventually(() => smtp.received.find((m) => m.parsed.subject === `Re: ${subject}`), 10_000, "the reply at the SMTP peer");
  return { conv, sent };
}

/** The channel's token key, as Pano keeps it: what an old Pano used to sign its short tokens. */
function threadKey(): string {
  const db = new Database(join(pano.dataDir, "pano.db"), { readonly: true });
  try {
    return db.query<{ value: string }, [number]>("SELECT value FROM channel_state WHERE channel_id = ? AND key = 'thread_key'").get(Number(channelId))!.value;
  } finally {
    db.close();
  }
}
const oldMac = (key: string, conversationId: number) => createHmac("sha256", key).update(`c${conversationId}`).digest("hex").slice(0, 10);

test("the token in Pano's Message-ID carries at least 128 bits", async () => {
  const { sent } = await conversationWithReply("Đặng Thu Hà <ha.dang@gmail.com>", "Hỏi giá váy maxi");
  const token = /^<pano\.c\d+\.m\d+\.([0-9a-f]+)@pano\.test>$/.exec(sent.parsed.messageId ?? "");
  expect(token).not.toBeNull();
  expect(token![1].length * 4).toBeGreaterThanOrEqual(128);
});

test("a reply quoting an old Pano Message-ID with the short token still joins its conversation", async () => {
  const { conv } = await conversationWithReply("Bùi Văn Long <long.bui@yahoo.com>", "Bảo hành nồi cơm điện");
  // Not the id of a stored message (so the reference lookup cannot find it): only the token can.
  const oldId = `pano.c${conv.id}.m987654.${oldMac(threadKey(), Number(conv.id))}@pano.test`;
  await dovecot.append([mail({ from: "Bùi Văn Long <long.bui@yahoo.com>", subject: "Chuyện bảo hành", messageId: newId(), inReplyTo: oldId, text: "Nồi vẫn chưa sửa xong shop ạ." })]);
  await eventually(async () => (await messagesOf(conv.id)).find((m) => m.direction === "in" && m.text.startsWith("Nồi vẫn chưa sửa xong")), 10_000, "the reply in the old conversation");
});

test("an Outlook reply carrying an old-layout Thread-Index still joins its conversation; a forged one does not", async () => {
  const { conv } = await conversationWithReply("Hồ Ngọc Ánh <anh.ho@congty.com.vn>", "Báo giá đồng phục");
  const oldIndex = (mac: string) => {
    const b = Buffer.alloc(27);
    b.writeBigUInt64BE(BigInt(conv.id), 6);
    Buffer.from(mac.padEnd(16, "0"), "hex").copy(b, 14);
    return b.toString("base64");
  };
  await dovecot.append([mail({ from: "Hồ Ngọc Ánh <anh.ho@congty.com.vn>", subject: "RE: đồng phục", headers: { "Thread-Index": oldIndex("0000000000") }, text: "Giả mạo: không thuộc cuộc trò chuyện." })]);
  await dovecot.append([mail({ from: "Hồ Ngọc Ánh <anh.ho@congty.com.vn>", subject: "RE: đồng phục", headers: { "Thread-Index": oldIndex(oldMac(threadKey(), Number(conv.id))) }, text: "Cho mình 20 áo size M nhé." })]);
  await eventually(async () => (await messagesOf(conv.id)).find((m) => m.direction === "in" && m.text.startsWith("Cho mình 20 áo")), 10_000, "the Outlook reply in its conversation");
  const forged = await eventually(async () => (await conversations()).find((c) => c.subject === "RE: đồng phục" && c.id !== conv.id), 10_000, "the forged mail in a conversation of its own");
  expect(forged.id).not.toBe(conv.id);
});
