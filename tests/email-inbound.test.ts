// Stories of mail arriving in a shop's mailbox (a real Dovecot) and becoming conversations in Pano.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { mail, newId, fixture } from "./fixtures/email/mail.ts";

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

test("Vietnamese in Windows-1258, quoted-printable, base64 and RFC 2047 displays correctly, with attachments and inline image stored", async () => {
  await dovecot.append([fixture("vietnamese-encodings.eml", { SALT: "vn1" })]);
  const conv = await eventually(() => conversationWith("Khiếu nại: hàng giao bị móp méo, yêu cầu đổi trả"), 10_000, "conversation");
  const [m] = (await pano.json(`/api/v1/conversations/${conv.id}/messages`)).data;
  // The signature after "-- " is collapsed; the rest arrives as written.
  expect(m.text).toBe("Kính gửi shop,\n\nThùng hàng mình nhận hôm qua bị móp méo, mỹ phẩm bên trong vỡ hết.\nMình gửi kèm hóa đơn và ảnh.");
  expect((await pano.json(`/api/v1/contacts/${conv.contact_id}`)).name).toBe("Đỗ Thị Hương");
  const names = m.attachments.map((a: any) => a.name).sort();
  expect(names).toEqual(["Hóa đơn.pdf", "thung.png"]);
  const pdf = m.attachments.find((a: any) => a.name === "Hóa đơn.pdf");
  expect(pdf.content_type).toBe("application/pdf");
  expect(await (await fetch(pdf.url)).text()).toStartWith("%PDF-1.4");
  // The inline image points at Pano's stored copy; the tracking pixel is parked until an agent asks.
  const inlineSrc = /<img[^>]*src="([^"]+)"[^>]*data-cid="anh-thung-hang@khach.vn"/.exec(m.html)?.[1];
  expect(inlineSrc).toStartWith(`${pano.url}/files/`);
  expect((await fetch(inlineSrc!)).headers.get("content-type")).toContain("image/png");
  expect(m.html).toContain('data-remote-src="https://tracker.example.com/open.gif?u=42"');
  expect(m.html).not.toMatch(/\ssrc="https:\/\/tracker/);
});

test("an email from an address already known on another channel joins that customer's profile", async () => {
  const api = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website chat" } });
  const first = await pano.json(`/api/v1/channels/${api.id}/inbound`, {
    method: "POST",
    json: { external_contact_id: "web-77", contact_name: "Hoàng Gia Bảo", email: "bao.hoang@khach.vn", external_message_id: newId(), text: "Chào shop" },
  });
  await dovecot.append([mail({ from: "Bao Hoang <bao.hoang@khach.vn>", subject: "Gửi shop ảnh sản phẩm", text: "Ảnh đây ạ." })]);
  const conv = await eventually(() => conversationWith("Gửi shop ảnh sản phẩm"), 10_000, "conversation");
  expect(conv.contact_id).toBe(first.contact_id);
});

test("a malformed mail and an oversized one are stored with a note and do not hold up the mail behind them", async () => {
  const c = dovecot.client();
  await c.connect();
  await c.mailboxCreate("Small").catch(() => {});
  await c.logout();
  const ch = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "email", name: "Hộp nhỏ", config: { imap: dovecot.imapConfig("Small"), smtp: smtp.smtpConfig(), from_address: "shop@pano.test", max_message_bytes: 10_000 } },
  });
  const broken = [
    "From: <<<not an address",
    "Subject: =?x-unknown?Q?=FF=FE?= h\u0000ỏng",
    "Content-Type: multipart/mixed; boundary=\"never-closed\"",
    "",
    "--never-closed",
    "Content-Type: text/plain; charset=x-no-such-charset",
    "Content-Transfer-Encoding: base64",
    "",
    "!!!not*base64@@@",
    "",
  ].join("\r\n");
  const huge = mail({ from: "Phan Văn Đức <duc@khach.vn>", subject: "Ảnh chụp màn hình lỗi", text: `Lỗi như ảnh dưới đây.\n\n${"A".repeat(60_000)}` });
  const after = mail({ from: "Trịnh Thu Trang <trang@khach.vn>", subject: "Thư đến sau", text: "Thư này vẫn đến." });
  await dovecot.append([broken, huge, after], "Small");
  const list = async () => (await pano.json(`/api/v1/conversations?status=all&channel_id=${ch.id}`)).data as any[];
  await eventually(async () => (await list()).find((c) => c.subject === "Thư đến sau"), 10_000, "the mail after them");
  expect(await list()).toHaveLength(3);
  const big = (await list()).find((c) => c.subject === "Ảnh chụp màn hình lỗi");
  const [bigMsg] = (await pano.json(`/api/v1/conversations/${big.id}/messages`)).data;
  expect(bigMsg.text).toStartWith("Lỗi như ảnh dưới đây.");
  expect(bigMsg.text).toContain("Message too large");
  const odd = (await list()).find((c) => c.subject !== "Ảnh chụp màn hình lỗi" && c.subject !== "Thư đến sau");
  const [oddMsg] = (await pano.json(`/api/v1/conversations/${odd.id}/messages`)).data;
  expect(oddMsg.text).toContain("Malformed message");
  expect(oddMsg.attachments.map((a: any) => a.name)).toContain("original.eml");
});

test("a server without IDLE (or with it turned off) is polled at the configured interval", async () => {
  const c = dovecot.client();
  await c.connect();
  await c.mailboxCreate("Polled").catch(() => {});
  await c.logout();
  // A mail already there comes with the first sync; once it is stored, that sync has listed the
  // mailbox, so the next mail can only arrive through a later poll.
  await dovecot.append([mail({ from: "Quốc Bảo <bao@khach.vn>", subject: "Chào shop", text: "Shop còn mở cửa không ạ?" })], "Polled");
  const ch = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "email", name: "Hộp kiểm tra định kỳ", config: { imap: dovecot.imapConfig("Polled"), smtp: smtp.smtpConfig(), from_address: "shop@pano.test", idle: false, poll_seconds: 1 } },
  });
  const conversations = async () => (await pano.json(`/api/v1/conversations?status=all&channel_id=${ch.id}`)).data.length;
  await eventually(async () => (await conversations()) === 1, 10_000, "the mail of the first sync");
  await dovecot.append([mail({ from: "Mai Anh <maianh@khach.vn>", subject: "Hỏi lịch mở cửa", text: "Shop mở cửa mấy giờ ạ?" })], "Polled");
  await eventually(async () => (await conversations()) === 2, 10_000, "the polled mail");
});

test("after the IMAP server goes away and comes back, Pano reconnects and picks up what arrived", async () => {
  const noticed = () => pano.logs().split("IMAP session failed; reconnecting").length;
  const before = noticed();
  await dovecot.stop();
  // The server is back only after Pano has seen it gone (its session failed), not merely later.
  await eventually(() => noticed() > before, 20_000, "Pano to notice the IMAP server gone");
  await dovecot.restart();
  await dovecot.append([mail({ from: "Lý Thanh Hà <ha@khach.vn>", subject: "Sau khi máy chủ khởi động lại", text: "Shop còn hàng không?" })]);
  await eventually(() => conversationWith("Sau khi máy chủ khởi động lại"), 20_000, "mail after reconnect");
}, 60_000);
