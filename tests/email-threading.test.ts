// Stories of an email thread staying one conversation: the agent's reply carries the threading
// headers, and the customer's answer joins the conversation whether it comes from Gmail, Outlook
// (Thread-Index only) or Apple Mail (References rewritten), even under a new subject.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { startPano, eventually, type PanoProcess, openDatabaseOf } from "./support/pano.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer, type ReceivedMail } from "./support/smtp-peer.ts";
import { mail, newId, fixture, encodedWord } from "./fixtures/email/mail.ts";

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
const bracketed = (h: string | string[] | undefined) => (Array.isArray(h) ? h.join(" ") : h ?? "");

/** A customer writes in, the agent answers; returns what the customer's mail client received. */
async function threadWithReply(from: string, subject: string) {
  const originalId = newId();
  await dovecot.append([mail({ from, subject, messageId: originalId, text: `${subject}: shop tư vấn giúp mình với.` })]);
  const conv = await eventually(async () => (await conversations()).find((c) => c.subject === subject), 10_000, `conversation "${subject}"`);
  const reply = await pano.json(`/api/v1/conversations/${conv.id}/messages`, { method: "POST", json: { text: "Dạ shop đã gửi hàng cho anh/chị rồi ạ.\n\nCảm ơn anh/chị!" } });
  const sent: ReceivedMail = await eventually(() => smtp.received.find((m) => m.parsed.subject === `Re: ${subject}`), 10_000, "reply at the SMTP peer");
  const out = await eventually(async () => (await messagesOf(conv.id)).find((m) => m.id === reply.id && m.status === "sent"), 10_000, "reply sent");
  return { conv, originalId, sent, panoId: out.external_id as string };
}

async function landsIn(convId: string, text: string) {
  return eventually(async () => (await messagesOf(convId)).find((m) => m.direction === "in" && m.text.startsWith(text)), 10_000, `"${text}" in conversation ${convId}`);
}

test("the agent's reply reaches the customer from the shop's address with threading headers", async () => {
  const { sent, originalId, panoId } = await threadWithReply("Nguyễn Minh Khoa <khoa@khach.vn>", "Hỏi giá sỉ áo thun");
  expect(sent.from).toBe("shop@pano.test");
  expect(sent.to).toEqual(["khoa@khach.vn"]);
  expect(sent.parsed.from?.value[0]).toMatchObject({ address: "shop@pano.test", name: "Shop Pano" });
  expect(sent.parsed.inReplyTo).toBe(`<${originalId}>`);
  expect(bracketed(sent.parsed.references)).toContain(`<${originalId}>`);
  expect(sent.parsed.messageId).toBe(`<${panoId}>`);
  expect(sent.parsed.text?.trim()).toBe("Dạ shop đã gửi hàng cho anh/chị rồi ạ.\n\nCảm ơn anh/chị!");
  expect(sent.parsed.html).toContain("<p>Dạ shop đã gửi hàng cho anh/chị rồi ạ.</p>");
});

test("a Gmail reply (In-Reply-To and References) joins the same conversation, quote collapsed", async () => {
  const { conv, originalId, panoId } = await threadWithReply("Trần Thị Bình <binh.tran@gmail.com>", "Áo khoác gió màu xanh");
  await dovecot.append([fixture("gmail-reply.eml", { ORIGINAL_ID: originalId, PANO_ID: panoId, SALT: "g1", SUBJECT: encodedWord("Re: Áo khoác gió màu xanh") })]);
  const m = await landsIn(conv.id, "Dạ vâng, mình nhận được rồi.");
  expect(m.text).toBe("Dạ vâng, mình nhận được rồi. Cảm ơn shop nhiều ạ!");
  expect((await conversations()).filter((c) => c.contact_id === conv.contact_id)).toHaveLength(1);
});

test("an Outlook reply that carries only Thread-Index (no In-Reply-To, no References) joins the same conversation", async () => {
  const { conv, sent } = await threadWithReply("Lê Hoàng Cường <cuong.le@congty.com.vn>", "Áo sơ mi size M");
  const ours = sent.parsed.headers.get("thread-index") as string;
  expect(ours).toBeTruthy();
  // Outlook keeps the 22-byte root and appends 5 bytes per reply.
  const replyIndex = Buffer.concat([Buffer.from(ours, "base64"), Buffer.from([0x00, 0x01, 0x9a, 0x3c, 0x10])]).toString("base64");
  await dovecot.append([fixture("outlook-reply.eml", { THREAD_INDEX: replyIndex, SALT: "o1", SUBJECT: encodedWord("RE: Áo sơ mi size M") })]);
  const m = await landsIn(conv.id, "Shop ơi cho mình đổi sang size L");
  expect(m.text).toBe("Shop ơi cho mình đổi sang size L được không?\n\nTrân trọng,\nLê Hoàng Cường");
});

test("an Apple Mail reply whose References name only the customer's first mail joins the same conversation", async () => {
  const { conv, originalId } = await threadWithReply("Phạm Thu Dung <dung.pham@icloud.com>", "Giao hàng cuối tuần");
  await dovecot.append([fixture("apple-reply.eml", { ORIGINAL_ID: originalId, SALT: "a1", SUBJECT: encodedWord("Re: Giao hàng cuối tuần") })]);
  const m = await landsIn(conv.id, "Chị muốn hỏi thêm");
  // The "Gửi từ iPhone của tôi" signature and the quote are collapsed.
  expect(m.text).toBe("Chị muốn hỏi thêm là có giao hàng vào thứ 7 không em?");
});

test("a reply under a new subject stays in its thread; a new mail under an old subject opens a new one", async () => {
  const { conv, originalId, panoId } = await threadWithReply("Võ Thanh Tâm <tam.vo@gmail.com>", "Đơn hàng #3003");
  await dovecot.append([fixture("gmail-reply.eml", { ORIGINAL_ID: originalId, PANO_ID: panoId, SALT: "g2", SUBJECT: encodedWord("Đổi địa chỉ giao hàng") })]);
  await landsIn(conv.id, "Dạ vâng, mình nhận được rồi.");
  await dovecot.append([mail({ from: "Võ Thanh Tâm <tam.vo@gmail.com>", subject: "Re: Đơn hàng #3003", text: "Mình muốn đặt thêm một đơn mới." })]);
  const fresh = await eventually(async () => (await conversations()).find((c) => c.subject === "Re: Đơn hàng #3003"), 10_000, "a new conversation");
  expect(fresh.id).not.toBe(conv.id);
  expect(fresh.contact_id).toBe(conv.contact_id);
  expect((await messagesOf(conv.id)).map((m) => m.direction)).toEqual(["in", "out", "in"]);
});

// A stranger who wants to push mail into someone else's conversation must guess the token Pano
// plants in its Message-ID (compared in constant time): it carries at least 128 bits. Customers
// replying to mail Pano sent before, with the old 40-bit token, still land in their conversation.

/** The channel's token key, as Pano keeps it: what an older Pano signed its short tokens with. */
function threadKey(): string {
  const db = openDatabaseOf(pano.dataDir);
  try {
    return db.query<{ value: string }, [number]>("SELECT value FROM channel_state WHERE channel_id = ? AND key = 'thread_key'").get(Number(channelId))!.value;
  } finally {
    db.close();
  }
}
const oldToken = (conversationId: string) => createHmac("sha256", threadKey()).update(`c${conversationId}`).digest("hex").slice(0, 10);

test("the token in Pano's Message-ID carries at least 128 bits", async () => {
  const { sent } = await threadWithReply("Đặng Thu Hà <ha.dang@gmail.com>", "Hỏi giá váy maxi");
  const token = /^<pano\.c\d+\.m\d+\.([0-9a-f]+)@pano\.test>$/.exec(sent.parsed.messageId ?? "");
  expect(token).not.toBeNull();
  expect(token![1].length * 4).toBeGreaterThanOrEqual(128);
});

test("a reply quoting an old Pano Message-ID with the short token still joins its conversation", async () => {
  const { conv } = await threadWithReply("Bùi Văn Long <long.bui@yahoo.com>", "Bảo hành nồi cơm điện");
  // Not the id of a stored message (so the reference lookup cannot find it): only the token can.
  const oldId = `pano.c${conv.id}.m987654.${oldToken(conv.id)}@pano.test`;
  await dovecot.append([mail({ from: "Bùi Văn Long <long.bui@yahoo.com>", subject: "Chuyện bảo hành", inReplyTo: oldId, text: "Nồi vẫn chưa sửa xong shop ạ." })]);
  await landsIn(conv.id, "Nồi vẫn chưa sửa xong");
});

test("an Outlook reply carrying an old-layout Thread-Index still joins its conversation; a forged one does not", async () => {
  const { conv } = await threadWithReply("Hồ Ngọc Ánh <anh.ho@congty.com.vn>", "Báo giá đồng phục");
  const oldIndex = (token: string) => {
    const b = Buffer.alloc(27);
    b.writeBigUInt64BE(BigInt(conv.id), 6);
    Buffer.from(token.padEnd(16, "0"), "hex").copy(b, 14);
    return b.toString("base64");
  };
  await dovecot.append([mail({ from: "Hồ Ngọc Ánh <anh.ho@congty.com.vn>", subject: "RE: đồng phục", headers: { "Thread-Index": oldIndex("0000000000") }, text: "Giả mạo: không thuộc cuộc trò chuyện." })]);
  await dovecot.append([mail({ from: "Hồ Ngọc Ánh <anh.ho@congty.com.vn>", subject: "RE: đồng phục", headers: { "Thread-Index": oldIndex(oldToken(conv.id)) }, text: "Cho mình 20 áo size M nhé." })]);
  await landsIn(conv.id, "Cho mình 20 áo");
  const forged = await eventually(async () => (await conversations()).find((c) => c.subject === "RE: đồng phục"), 10_000, "the forged mail in a conversation of its own");
  expect(forged.id).not.toBe(conv.id);
});
