// Stories of mail no person wrote (out-of-office replies, bounces, newsletters) and of SMTP
// refusals: stored where an agent can see them, but never reopening a conversation or looping.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { mail, newId, fixture, encodedWord } from "./fixtures/email/mail.ts";

let pano: PanoProcess;
let dovecot: Dovecot;
let smtp: SmtpPeer;
let channelId: string;

beforeAll(async () => {
  [dovecot, smtp, pano] = await Promise.all([startDovecot(), startSmtpPeer(), startPano({ env: { PANO_RETRY_BASE_MS: "50" } })]);
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
const conversation = (id: string) => pano.json(`/api/v1/conversations/${id}`);
const messagesOf = async (convId: string) => (await pano.json(`/api/v1/conversations/${convId}/messages`)).data as any[];

async function conversationFrom(from: string, subject: string) {
  await dovecot.append([mail({ from, subject, text: "Shop ơi, đơn của mình sao rồi?" })]);
  return eventually(async () => (await conversations()).find((c) => c.subject === subject), 10_000, `conversation "${subject}"`);
}

async function reply(convId: string, text: string) {
  const r = await pano.json(`/api/v1/conversations/${convId}/messages`, { method: "POST", json: { text } });
  return eventually(async () => (await messagesOf(convId)).find((m) => m.id === r.id && m.status !== "queued"), 15_000, "the reply to leave the outbox");
}

const resolve = (convId: string) => pano.json(`/api/v1/conversations/${convId}`, { method: "PATCH", json: { status: "resolved" } });

test("an out-of-office reply is stored in the thread but neither reopens it nor triggers an answer", async () => {
  const conv = await conversationFrom("Lê Hoàng Cường <cuong.le@congty.com.vn>", "Báo giá bàn làm việc");
  const out = await reply(conv.id, "Dạ shop gửi anh báo giá trong file đính kèm ạ.");
  await resolve(conv.id);
  const sentBefore = smtp.received.length;
  await dovecot.append([fixture("outlook-auto-reply.eml", { PANO_ID: out.external_id, THREAD_INDEX: "AQHbPv7rAAAAAAAAAAEAAAAAAAAAAA==", SALT: "oof1", SUBJECT: encodedWord("Re: Báo giá bàn làm việc") })]);
  await eventually(async () => (await messagesOf(conv.id)).find((m) => m.text.startsWith("Tôi đang nghỉ phép")), 10_000, "the auto-reply stored");
  expect((await conversation(conv.id)).status).toBe("resolved");
  expect(smtp.received.length).toBe(sentBefore);
});

test("a bounce marks the outgoing message failed with the receiving server's reason", async () => {
  const conv = await conversationFrom("Khách Gõ Sai <khach-go-sai@khach.vn>", "Hỏi phí vận chuyển");
  const out = await reply(conv.id, "Dạ phí vận chuyển nội thành là 20.000đ ạ.");
  expect(out.status).toBe("sent");
  await resolve(conv.id);
  await dovecot.append([fixture("bounce-dsn.eml", { PANO_ID: out.external_id, RECIPIENT: "khach-go-sai@khach.vn", SALT: "b1", SUBJECT: "Hỏi phí vận chuyển" })]);
  const failed = await eventually(async () => (await messagesOf(conv.id)).find((m) => m.id === out.id && m.status === "failed"), 10_000, "the reply marked failed");
  expect(failed.error).toContain("550 5.1.1");
  expect(failed.error).toContain("User unknown");
  expect((await conversation(conv.id)).status).toBe("resolved");
});

test("a newsletter is kept out of the open queue", async () => {
  await dovecot.append([fixture("newsletter.eml", { SALT: "nl1" })]);
  const conv = await eventually(async () => (await conversations()).find((c) => c.subject === "Ưu đãi cuối năm cho nhà bán hàng"), 10_000, "the newsletter stored");
  expect(conv.status).toBe("resolved");
  const open = (await pano.json(`/api/v1/conversations?channel_id=${channelId}`)).data as any[];
  expect(open.map((c) => c.id)).not.toContain(conv.id);
});

test("a permanent SMTP refusal (5xx) fails the reply with the server's words", async () => {
  const conv = await conversationFrom("Đặng Quốc Huy <huy@khach.vn>", "Đổi hàng lỗi");
  smtp.refuse(550, "5.7.1 Message rejected as spam by Content Filtering");
  const out = await reply(conv.id, "Dạ shop đổi hàng cho anh ngay ạ.");
  expect(out.status).toBe("failed");
  expect(out.error).toContain("550");
  expect(out.error).toContain("rejected as spam");
});

test("a temporary SMTP refusal (4xx) is retried until the mail is accepted", async () => {
  const conv = await conversationFrom("Bùi Ngọc Lan <lan@khach.vn>", "Hẹn lịch giao");
  smtp.refuse(451, "4.3.0 Mail server temporarily unavailable", 2);
  const r = await pano.json(`/api/v1/conversations/${conv.id}/messages`, { method: "POST", json: { text: "Dạ shop giao chiều mai ạ." } });
  const sent = await eventually(async () => (await messagesOf(conv.id)).find((m) => m.id === r.id && m.status === "sent"), 15_000, "sent after retries");
  expect(smtp.received.filter((m) => m.parsed.messageId === `<${sent.external_id}>`)).toHaveLength(1);
});

test("mail sent from the shop's own address elsewhere is recorded as outgoing, not as a customer", async () => {
  const conv = await conversationFrom("Hồ Mỹ Linh <linh@khach.vn>", "Xác nhận đơn");
  const out = await reply(conv.id, "Dạ shop xác nhận đơn của chị ạ.");
  // The mailbox may hold a copy of Pano's own mail (Bcc to self, a server that files sent mail in INBOX).
  await dovecot.append([smtp.received.find((m) => m.parsed.messageId === `<${out.external_id}>`)!.raw]);
  const own = mail({ from: "Shop Pano <shop@pano.test>", to: "Hồ Mỹ Linh <linh@khach.vn>", messageId: newId("pano.test"), inReplyTo: out.external_id, subject: "Re: Xác nhận đơn", text: "Shop bổ sung: đơn giao trong 2 ngày." });
  await dovecot.append([own]);
  const echo = await eventually(async () => (await messagesOf(conv.id)).find((m) => m.text === "Shop bổ sung: đơn giao trong 2 ngày."), 10_000, "the echo stored");
  expect(echo.direction).toBe("out");
  expect((await messagesOf(conv.id)).filter((m) => m.text === "Dạ shop xác nhận đơn của chị ạ.")).toHaveLength(1);
});

test("with an automatic reply rule on, a person gets one (marked Auto-Submitted); an out-of-office, a list mail and a bounce get none", async () => {
  const rule = await pano.json("/api/v1/routing-rules", {
    method: "POST",
    json: { name: "Trả lời tự động", conditions: { business_hours: { when: "outside", days: [] }, applies_to: "any_message" }, actions: { auto_reply: "Shop đã nhận thư, sẽ trả lời trong giờ làm việc ạ." } },
  });
  try {
    // The rule is live: a person's mail is answered automatically, once, marked as automatic.
    await dovecot.append([mail({ from: "Tạ Minh Châu <chau@khach.vn>", subject: "Hỏi giờ mở cửa", text: "Shop mở cửa mấy giờ ạ?" })]);
    const auto = await eventually(() => smtp.received.find((m) => m.to.includes("chau@khach.vn")), 10_000, "the automatic reply to a person");
    expect(auto.parsed.text?.trim()).toBe("Shop đã nhận thư, sẽ trả lời trong giờ làm việc ạ.");
    expect(auto.parsed.headers.get("auto-submitted")).toBe("auto-replied");

    // Mail no person wrote, each opening a thread of its own: stored, never answered.
    await dovecot.append([
      mail({ from: "Phòng Kinh Doanh <kinhdoanh@doitac.vn>", subject: "Tự động: Vắng mặt", headers: { "Auto-Submitted": "auto-replied" }, text: "Tôi vắng mặt đến thứ 2." }),
      mail({ from: "Bản tin <news@sangiaodich.vn>", subject: "Bản tin tuần", headers: { "List-Id": "<tuan.sangiaodich.vn>", Precedence: "bulk" }, text: "Khuyến mãi tuần này." }),
      fixture("bounce-dsn.eml", { PANO_ID: newId("pano.test"), RECIPIENT: "khong-ton-tai@khach.vn", SALT: "b-auto", SUBJECT: "Hỏi giờ mở cửa" }),
    ]);
    const automatic: any[] = [];
    for (const subject of ["Tự động: Vắng mặt", "Bản tin tuần", "Undelivered Mail Returned to Sender"]) {
      const stored = await eventually(async () => (await conversations()).find((c) => c.subject === subject), 10_000, `"${subject}" stored`);
      expect(stored.status).toBe("resolved");
      automatic.push(stored);
    }
    // Routing runs after commit, in arrival order: once a person's mail that came after them is
    // answered, an automatic reply to any of them would have been written already.
    await dovecot.append([mail({ from: "Đỗ Thu Hà <thuha@khach.vn>", subject: "Hỏi phí giao hàng", text: "Giao về Đà Nẵng bao nhiêu tiền ạ?" })]);
    await eventually(() => smtp.received.find((m) => m.to.includes("thuha@khach.vn")), 10_000, "the automatic reply to the person who wrote after them");
    for (const c of automatic) expect((await messagesOf(c.id)).filter((m) => m.direction === "out")).toEqual([]);
    const answered = smtp.received.filter((m) => ["kinhdoanh@doitac.vn", "news@sangiaodich.vn"].some((a) => m.to.includes(a)) || m.to.some((a) => a.startsWith("mailer-daemon") || a.startsWith("postmaster")));
    expect(answered).toEqual([]);
  } finally {
    await pano.api(`/api/v1/routing-rules/${rule.id}`, { method: "DELETE" });
  }
});
