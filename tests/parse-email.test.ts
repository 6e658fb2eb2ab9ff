// What Pano makes of a mail, from its bytes (parseOne: mailparser, then mailToEvents), for the
// recorded client mails in tests/fixtures/email and variants built from them: who it is from,
// the fresh text above the quote, threading (In-Reply-To, References, Pano's tokens, Outlook's
// Thread-Index), the loop guard's flags, and what a broken mail still leaves. Plus the two pure
// pieces parse leans on: splitReply (quote.ts) and threadRefsOf (threading.ts).
import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { parseOne } from "../src/channels/email/read.ts";
import { unreadableMail, type ParseContext } from "../src/channels/email/parse.ts";
import { splitReply } from "../src/channels/email/quote.ts";
import { messageIdFor, plusAddressFor, threadIndexFor, threadRefsOf } from "../src/channels/email/threading.ts";
import type { InboundEvent, InboundMessageEvent } from "../src/domain/message.ts";
import { fixture, htmlMail, mail } from "./fixtures/email/mail.ts";

const KEY = "7d1c".repeat(12);
const NOW = new Date("2026-12-01T00:00:00Z");
const ctx: ParseContext = { channelId: 3, ownAddress: "Shop@Pano.test", threadKey: KEY, publicUrl: "https://pano.test", now: NOW };
const PANO_ID = messageIdFor(KEY, 17, 99, "pano.test");
const VARS = {
  SUBJECT: "Áo sơ mi size M", SALT: "s1", ORIGINAL_ID: "orig-1@khach.vn", PANO_ID, RECIPIENT: "ghost@khach.vn",
  THREAD_INDEX: threadIndexFor(KEY, 17),
};
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

const read = (raw: string, o: { size?: number; truncated?: boolean } = {}) => {
  const bytes = Buffer.from(raw);
  return parseOne(bytes, o.size ?? bytes.length, o.truncated ?? false, ctx);
};
const only = async (raw: string, o?: { size?: number; truncated?: boolean }) => {
  const out = await read(raw, o);
  expect(out).toHaveLength(1);
  return out[0] as InboundMessageEvent;
};

interface Row { eml: string; says: string; expected: Partial<InboundEvent>[] }

const rows: Row[] = [
  { eml: "gmail-reply.eml", says: "Gmail: the fresh line only, quote kept in full_text, threaded by References then In-Reply-To, token -> conversation",
    expected: [{
      kind: "message", channelId: 3, externalMessageId: "CAJ8xqs1Hq2mZ=vWkT+3e_0Lp9Xq@mail.gmail.com", direction: "in",
      contact: { externalId: "binh.tran@gmail.com", email: "binh.tran@gmail.com", name: "Trần Thị Bình" },
      text: "Dạ vâng, mình nhận được rồi. Cảm ơn shop nhiều ạ!", subject: "Áo sơ mi size M", attachments: [],
      occurredAt: new Date("2026-11-24T03:15:32Z"), threadRefs: ["orig-1@khach.vn", PANO_ID], conversationHint: 17, startsNewThread: true,
      meta: {
        message_id: "CAJ8xqs1Hq2mZ=vWkT+3e_0Lp9Xq@mail.gmail.com", from: "binh.tran@gmail.com", to: ["shop@pano.test"],
        full_text: "Dạ vâng, mình nhận được rồi. Cảm ơn shop nhiều ạ!\n\nOn Tue, Nov 24, 2026 at 9:02 AM Shop Pano <shop@pano.test> wrote:\n\n> Dạ shop đã gửi hàng cho chị rồi ạ.\n>",
      },
    }] },
  { eml: "outlook-reply.eml", says: "Outlook in windows-1258: decoded, cut at its From/Sent block, threaded by Thread-Index alone",
    expected: [{
      kind: "message", direction: "in", externalMessageId: "SG2PR06MB5310s1A1B2C3D4E5F6@SG2PR06MB5310.apcprd06.prod.outlook.com",
      contact: { externalId: "cuong.le@congty.com.vn", email: "cuong.le@congty.com.vn", name: "Lê Hoàng Cường" },
      text: "Shop ơi cho mình đổi sang size L được không?\n\nTrân trọng,\nLê Hoàng Cường",
      threadRefs: undefined, conversationHint: 17, automatic: undefined,
      meta: { thread_index: VARS.THREAD_INDEX },
    }] },
  { eml: "apple-reply.eml", says: "Apple Mail: cut at the Vietnamese 'Gửi từ iPhone' signature; References alone",
    expected: [{
      kind: "message", contact: { externalId: "dung.pham@icloud.com", name: "Phạm Thu Dung" },
      text: "Chị muốn hỏi thêm là có giao hàng vào thứ 7 không em?", threadRefs: ["orig-1@khach.vn"], conversationHint: undefined,
      occurredAt: new Date("2026-11-24T03:30:45Z"),
    }] },
  { eml: "newsletter.eml", says: "bulk mail (Precedence, List-Unsubscribe) is stored but automatic (list)",
    expected: [{ kind: "message", text: "Giảm phí sàn 50% trong tháng 12.", subject: "Ưu đãi cuối năm cho nhà bán hàng", automatic: true, meta: { automatic: "list" } }] },
  { eml: "outlook-auto-reply.eml", says: "an Outlook out-of-office is automatic (auto_reply) and still joins its conversation",
    expected: [{ kind: "message", subject: "Trả lời tự động: Áo sơ mi size M", automatic: true, conversationHint: 17, threadRefs: [PANO_ID], meta: { automatic: "auto_reply" } }] },
  { eml: "bounce-dsn.eml", says: "a DSN bounce joins the bounced mail's thread and marks that message failed",
    expected: [
      { kind: "message", contact: { externalId: "mailer-daemon@mail.pano.test" }, automatic: true, threadRefs: [PANO_ID],
        meta: { automatic: "bounce", bounce: { originalIds: [PANO_ID], recipient: "ghost@khach.vn", status: "5.1.1", failed: true } } },
      { kind: "status", channelId: 3, status: "failed", externalMessageIds: [PANO_ID], occurredAt: NOW },
    ] },
  { eml: "vietnamese-encodings.eml", says: "windows-1258 text, a split UTF-8 subject, an inline image and a PDF with an RFC 2231 name",
    expected: [{
      kind: "message", contact: { externalId: "huong.do@yahoo.com.vn", name: "Đỗ Thị Hương" },
      subject: "Khiếu nại: hàng giao bị móp méo, yêu cầu đổi trả",
      text: "Kính gửi shop,\n\nThùng hàng mình nhận hôm qua bị móp méo, mỹ phẩm bên trong vỡ hết.\nMình gửi kèm hóa đơn và ảnh.",
      attachments: [
        { kind: "image", name: "thung.png", contentType: "image/png", size: 70 },
        { kind: "file", name: "Hóa đơn.pdf", contentType: "application/pdf", size: 45 },
      ],
      meta: { remote_images: ["https://tracker.example.com/open.gif?u=42"] },
    }] },
];

describe("email parse: recorded client mails", () => {
  for (const row of rows) {
    test(`${row.eml}: ${row.says}`, async () => {
      const out = await read(fixture(row.eml, VARS));
      expect(out).toMatchObject(row.expected);
    });
  }

  test("vietnamese-encodings.eml: the inline image points at Pano's file URL, the tracker is held back, no script survives", async () => {
    const ev = await only(fixture("vietnamese-encodings.eml", VARS));
    const png = ev.attachments.find((a) => a.name === "thung.png")!;
    expect(ev.html).toContain(`src="https://pano.test/files/${sha256(png.data!)}"`);
    expect(ev.html).toContain('data-remote-src="https://tracker.example.com/open.gif?u=42"');
    expect(ev.html).not.toContain(' src="https://tracker.example.com');
  });
});

const CUSTOMER = "Chị Lan <lan@khach.vn>";

describe("email parse: threading variants", () => {
  test("a Pano token in In-Reply-To names its conversation", async () => {
    expect(await only(mail({ from: CUSTOMER, messageId: "a1@khach.vn", inReplyTo: PANO_ID }))).toMatchObject({ threadRefs: [PANO_ID], conversationHint: 17 });
  });
  test("a forged token (wrong MAC) names nothing, though the id is still a reference", async () => {
    const forged = PANO_ID.replace(/\.([0-9a-f]+)@/, (_, mac: string) => `.${"0".repeat(mac.length)}@`);
    const ev = await only(mail({ from: CUSTOMER, messageId: "a2@khach.vn", inReplyTo: forged }));
    expect(ev.threadRefs).toEqual([forged]);
    expect(ev.conversationHint).toBeUndefined();
  });
  test("the plus-address Reply-To a customer answered to names its conversation", async () => {
    const ev = await only(mail({ from: CUSTOMER, messageId: "a3@khach.vn", to: plusAddressFor(KEY, 21, "shop@pano.test") }));
    expect(ev).toMatchObject({ conversationHint: 21, threadRefs: undefined });
  });
  test("References with junk and duplicates: ids in order, duplicates once, In-Reply-To last", async () => {
    const ev = await only(mail({ from: CUSTOMER, messageId: "a4@khach.vn", references: "<r1@x.vn> junk <r2@x.vn> <r1@x.vn>", inReplyTo: "r3@x.vn" }));
    expect(ev.threadRefs).toEqual(["r1@x.vn", "r2@x.vn", "r3@x.vn"]);
  });
  test("a subject alone never threads: a new mail with 'Re:' has no references and no hint", async () => {
    const ev = await only(mail({ from: CUSTOMER, messageId: "a5@khach.vn", subject: "Re: Áo sơ mi size M" }));
    expect(ev).toMatchObject({ threadRefs: undefined, conversationHint: undefined, startsNewThread: true });
  });
});

describe("email parse: who and when", () => {
  test("mail from the channel's own address (sent from another client) is an outgoing echo to the customer", async () => {
    const ev = await only(mail({ from: "Shop Pano <shop@pano.test>", to: CUSTOMER, messageId: "e1@pano.test" }));
    expect(ev).toMatchObject({ direction: "out", contact: { externalId: "lan@khach.vn" }, authorLabel: "shop@pano.test" });
  });
  test("Cc is kept in meta", async () => {
    const ev = await only(mail({ from: CUSTOMER, messageId: "c1@khach.vn", headers: { Cc: "Anh Minh <minh@khach.vn>" } }));
    expect(ev.meta).toMatchObject({ to: ["shop@pano.test"], cc: ["minh@khach.vn"] });
  });
  test("a Date far in the future is replaced by the arrival time", async () => {
    expect((await only(mail({ from: CUSTOMER, messageId: "d1@khach.vn", date: "Thu, 01 Jan 2099 00:00:00 +0000" }))).occurredAt).toEqual(NOW);
  });
  test("a Date before email existed is replaced by the arrival time", async () => {
    expect((await only(mail({ from: CUSTOMER, messageId: "d2@khach.vn", date: "Thu, 01 Jan 1970 00:00:00 +0000" }))).occurredAt).toEqual(NOW);
  });
  test("a mail without Message-ID is named by the hash of its bytes, stable across resyncs", async () => {
    const raw = mail({ from: CUSTOMER }).replace(/^Message-ID: .*\r\n/m, "");
    const ev = await only(raw);
    expect(ev.externalMessageId).toBe(`sha256-${sha256(Buffer.from(raw))}@pano.invalid`);
    expect((await only(raw)).externalMessageId).toBe(ev.externalMessageId);
  });
});

describe("email parse: the loop guard's flags", () => {
  const flagged: [string, Record<string, string>, string | null][] = [
    ["Auto-Submitted: auto-replied", { "Auto-Submitted": "auto-replied" }, "auto_reply"],
    ["Auto-Submitted: no (a person wrote it)", { "Auto-Submitted": "no" }, null],
    ["X-Autoreply", { "X-Autoreply": "yes" }, "auto_reply"],
    ["Precedence: auto_reply", { Precedence: "auto_reply" }, "auto_reply"],
    ["Precedence: list", { Precedence: "list" }, "list"],
    ["List-Id", { "List-Id": "<khach.lists.khach.vn>" }, "list"],
  ];
  for (const [name, headers, kind] of flagged) {
    test(`${name} -> ${kind ?? "a person's mail"}`, async () => {
      const ev = await only(mail({ from: CUSTOMER, messageId: `g-${name.length}@khach.vn`, headers }));
      expect(ev.automatic).toBe(kind ? true : undefined);
      expect(ev.meta?.automatic).toBe(kind ?? undefined);
    });
  }
  test("mailer-daemon with an 'Undelivered' subject but no DSN is a bounce, and fails nothing it cannot name", async () => {
    const out = await read(mail({ from: "MAILER-DAEMON@mx.khach.vn", messageId: "b1@mx.khach.vn", subject: "Undelivered Mail Returned to Sender", text: "Sorry." }));
    expect(out).toMatchObject([{ kind: "message", automatic: true, meta: { automatic: "bounce" } }]);
  });
});

describe("email parse: broken and hostile mail", () => {
  test("no From: the mail is kept from an unknown sender, flagged malformed, with its original attached", async () => {
    const raw = mail({ from: CUSTOMER, messageId: "m1@khach.vn" }).replace(/^From: .*\r\n/m, "");
    const ev = await only(raw);
    expect(ev.contact).toEqual({ externalId: "unknown-sender@pano.invalid" });
    expect(ev.text).toContain("Chào shop, cho mình hỏi đơn hàng.");
    expect(ev.text).toContain("Malformed message; the original is attached");
    expect(ev.meta?.malformed).toEqual(["no readable sender address / không đọc được địa chỉ người gửi"]);
    expect(ev.attachments).toMatchObject([{ kind: "file", name: "original.eml", contentType: "message/rfc822", size: Buffer.byteLength(raw) }]);
  });
  test("no From but a Reply-To: the Reply-To is the sender", async () => {
    const raw = mail({ from: CUSTOMER, messageId: "m2@khach.vn", headers: { "Reply-To": "lan.backup@khach.vn" } }).replace(/^From: .*\r\n/m, "");
    expect((await only(raw)).contact).toMatchObject({ externalId: "lan.backup@khach.vn" });
  });
  test("control characters (NUL above all) never reach the text or the subject", async () => {
    const ev = await only(mail({ from: CUSTOMER, messageId: "m3@khach.vn", subject: "Đơn\u0007 hàng", text: "Xin\u0000 chào\u001b shop" }));
    expect(ev.text).toBe("Xin chào shop");
    expect(ev.subject).toBe("Đơn hàng");
  });
  test("NFD Vietnamese is stored NFC", async () => {
    const ev = await only(mail({ from: CUSTOMER, messageId: "m4@khach.vn", text: "Cảm ơn shop".normalize("NFD") }));
    expect(ev.text).toBe("Cảm ơn shop".normalize("NFC"));
  });
  test("a subject of 2 000 characters is cut to 500", async () => {
    expect((await only(mail({ from: CUSTOMER, messageId: "m5@khach.vn", subject: "Đ".repeat(2000) }))).subject).toBe("Đ".repeat(500));
  });
  test("a huge body (300 000 characters) is kept whole", async () => {
    const text = "Hàng đẹp lắm. ".repeat(21_000).trim();
    expect((await only(mail({ from: CUSTOMER, messageId: "m6@khach.vn", text }))).text).toBe(text);
  });
  test("a mail cut at the size limit says so in both languages and records the real size", async () => {
    const ev = await only(mail({ from: CUSTOMER, messageId: "m7@khach.vn" }), { size: 52_400_000, truncated: true });
    expect(ev.text).toContain("[Thư quá lớn (52.4 MB), Pano chỉ lưu phần đầu / Message too large (52.4 MB), only its beginning was stored]");
    expect(ev.meta).toMatchObject({ truncated: true, size: 52_400_000 });
  });
  test("script and event handlers are removed from HTML; the text part is what agents read", async () => {
    const ev = await only(htmlMail({ from: CUSTOMER, messageId: "m8@khach.vn", text: "Chào shop", html: `<p onclick="steal()">Chào shop</p><script>steal()</script><a href="javascript:steal()">bấm</a>` }));
    expect(ev.text).toBe("Chào shop");
    expect(ev.html).toContain("Chào shop");
    expect(ev.html).not.toMatch(/<script|onclick|javascript:/i);
  });
  test("bytes mailparser cannot read at all are kept as original.eml from an unknown sender", () => {
    const raw = new Uint8Array([0xff, 0xfe, 0x00, 0x01]);
    expect(unreadableMail(raw, 4, "boom", ctx)).toEqual([{
      kind: "message", channelId: 3, externalMessageId: `sha256-${sha256(raw)}@pano.invalid`, direction: "in",
      contact: { externalId: "unknown-sender@pano.invalid", name: "Không rõ người gửi / Unknown sender" },
      text: "[Pano không đọc được thư này; bản gốc được đính kèm / Pano could not read this message; the original is attached] (boom)",
      attachments: [{ kind: "file", name: "original.eml", contentType: "message/rfc822", size: 4, data: raw }],
      occurredAt: NOW, startsNewThread: true, meta: { unreadable: "boom", size: 4 },
    }]);
  });
});

describe("splitReply: the fresh part of a reply", () => {
  const cases: [string, string, string, boolean][] = [
    ["Gmail English opener", "Ok shop\n\nOn Tue, Nov 24, 2026 at 9:02 AM Shop <s@p.vn> wrote:\n> cũ", "Ok shop", true],
    ["Gmail opener wrapped over two lines", "Ok shop\n\nOn Tue, Nov 24, 2026 at 9:02 AM Shop Pano\n<shop@pano.test> wrote:\n> cũ", "Ok shop", true],
    ["Vietnamese Gmail opener", "Dạ được\n\nVào 9:02 24 thg 11, 2026, Shop <s@p.vn> đã viết:\n> cũ", "Dạ được", true],
    ["Outlook From/Sent block", "Size L nhé\n\nFrom: Shop <s@p.vn>\nSent: Tuesday\nTo: Lan\n\ncũ", "Size L nhé", true],
    ["a 'From:' line with no Sent/Date after it is the customer's own words", "Gửi shop\nFrom: Lan ở Đà Nẵng\nCần 2 áo", "Gửi shop\nFrom: Lan ở Đà Nẵng\nCần 2 áo", false],
    ["Original Message separator", "Ok\n-----Original Message-----\ncũ", "Ok", true],
    ["Vietnamese forwarded separator", "Xem giúp\n---------- Thư chuyển tiếp ----------\ncũ", "Xem giúp", true],
    ["'-- ' signature", "Cảm ơn\n-- \nLan\n0912", "Cảm ơn", true],
    ["'Sent from my iPhone'", "Ok\n\nSent from my iPhone", "Ok", true],
    ["a '>' block running to the end", "Đồng ý\n> cũ 1\n>\n> cũ 2\n", "Đồng ý", true],
    ["'>' lines followed by new text are interleaved answers, kept", "> giá?\n200k\n> ship?\nfree", "> giá?\n200k\n> ship?\nfree", false],
    ["French opener", "Merci\nLe 24 nov. 2026, Shop a écrit :\n> vieux", "Merci", true],
    ["CRLF line ends", "Ok\r\n\r\nOn Tue, Nov 24, 2026 at 9:02 AM S <s@p.vn> wrote:\r\n> cũ", "Ok", true],
    ["no quote at all", "Chỉ một dòng", "Chỉ một dòng", false],
    ["empty", "", "", false],
  ];
  for (const [name, input, fresh, collapsed] of cases) {
    test(name, () => expect(splitReply(input)).toEqual({ fresh, collapsed }));
  }
  test("a mail that is only a quote (a forward) keeps everything", () => {
    const forward = "On Mon, Nov 23, 2026 at 1:00 PM A <a@b.vn> wrote:\n> nội dung";
    expect(splitReply(forward)).toEqual({ fresh: forward, collapsed: false });
  });
});

describe("threadRefsOf: References then In-Reply-To", () => {
  const cases: [string, string | string[] | undefined, string | undefined, string[]][] = [
    ["nothing", undefined, undefined, []],
    ["bracketed ids in order, In-Reply-To last", "<a@x.vn> <b@x.vn>", "<c@x.vn>", ["a@x.vn", "b@x.vn", "c@x.vn"]],
    ["In-Reply-To already in References counts once, where References put it", "<a@x.vn> <c@x.vn>", "<c@x.vn>", ["a@x.vn", "c@x.vn"]],
    ["ids without brackets, comma separated", "a@x.vn, b@x.vn", undefined, ["a@x.vn", "b@x.vn"]],
    ["words that are not ids are dropped", "junk <a@x.vn> (comment)", "not-an-id", ["a@x.vn"]],
    ["a header repeated (mailparser gives a list)", ["<a@x.vn>", "<b@x.vn>"], undefined, ["a@x.vn", "b@x.vn"]],
  ];
  for (const [name, refs, irt, expected] of cases) test(name, () => expect(threadRefsOf(refs, irt)).toEqual(expected));

  test("a References chain of 80 keeps the newest 50", () => {
    const ids = Array.from({ length: 80 }, (_, i) => `r${i}@x.vn`);
    expect(threadRefsOf(ids.map((i) => `<${i}>`).join(" "), undefined)).toEqual(ids.slice(30));
  });
});
