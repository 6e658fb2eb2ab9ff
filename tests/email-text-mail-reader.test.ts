// A plain text mail (one text/plain part) is read without mailparser's streams
// (src/channels/email/text-mail.ts). These stories hold the quick reader and mailparser side by
// side on the same bytes: every mail the quick reader takes must come out exactly as mailparser
// reads it, down to the events Pano stores; every other mail must be left to mailparser.
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { readTextMail } from "../src/channels/email/text-mail.ts";
import { mailToEvents, PARSE_OPTIONS, type ParseContext } from "../src/channels/email/parse.ts";
import { parseOne } from "../src/channels/email/read.ts";
import { mail, fixture, encodedWord, htmlMail } from "./fixtures/email/mail.ts";

const ctx: ParseContext = { channelId: 7, ownAddress: "shop@pano.test", threadKey: "thread-key-for-tests", publicUrl: "https://inbox.shop.vn", now: new Date("2026-12-05T06:00:00Z") };
const DATE = "Sat, 05 Dec 2026 12:30:00 +0700";
const LIFTED = new Set(["subject", "references", "date", "to", "from", "cc", "bcc", "message-id", "in-reply-to", "reply-to"]);

/**
 * What Pano reads of a ParsedMail, in a form toEqual can compare. A Date header that cannot be
 * read becomes the time of parsing on both sides (mailparser's rule): that is checked, then left out.
 */
function seen(p: ParsedMail, dateIsParseTime = false) {
  if (dateIsParseTime) expect(Math.abs(p.date!.getTime() - Date.now())).toBeLessThan(60_000);
  return {
    headerLines: p.headerLines,
    // The quick reader decodes only the fields lifted onto the mail; Pano reads the rest from headerLines.
    headers: [...p.headers.entries()].filter(([k]) => LIFTED.has(k) && !(dateIsParseTime && k === "date")),
    text: p.text,
    html: p.html,
    subject: p.subject,
    from: p.from,
    to: p.to,
    cc: p.cc,
    replyTo: p.replyTo,
    messageId: p.messageId,
    inReplyTo: p.inReplyTo,
    references: p.references,
    date: dateIsParseTime ? "time of parsing" : p.date?.getTime(),
    attachments: p.attachments.length,
  };
}

async function bothReaders(raw: string | Buffer) {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  const quick = readTextMail(bytes);
  const slow = await simpleParser(bytes, PARSE_OPTIONS);
  return { bytes, quick, slow };
}

const eventsOf = (parsed: ParsedMail, bytes: Buffer, dateIsParseTime = false) =>
  mailToEvents({ parsed, size: bytes.byteLength, truncated: false, rawHash: "same-hash", raw: bytes }, ctx).map((e) => (dateIsParseTime ? { ...e, occurredAt: "time of parsing" } : e));

const body = "Chào shop, mình đặt đơn hàng hôm qua nhưng chưa thấy xác nhận.\nShop kiểm tra giúp mình với ạ!\n\n-- \nKhách hàng thân thiết";
const qp = (s: string) => Buffer.from(s).toString("latin1").replace(/[=\u0080-\u00ff]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`).replace(/(.{70})/g, "$1=\r\n");

/** What a big webmail puts above the fields a customer sees: relay hops, signatures, its own ids. */
const clientTrace = () =>
  Array.from({ length: 8 }, (_, i) => `Received: from mail-sor-f${i}.google.com (mail-sor-f${i}.google.com. [209.85.220.${i}])\r\n        by mx.pano.test with SMTPS id x${i}sor1;\r\n        Sat, 05 Dec 2026 05:30:0${i} -0800 (PST)\r\n`).join("") +
  "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=gmail.com; s=20230601; t=1733405400;\r\n        h=to:subject:message-id:date:from:mime-version; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n        b=Zm9vYmFyYmF6(not a comment)=\r\n" +
  "ARC-Seal: i=1; a=rsa-sha256; t=1733405400; cv=none; d=google.com; s=arc-20240605; b=QUJD\r\n" +
  "X-Google-Smtp-Source: AGHT+IF=?UTF-8?B?w4FiYw==?=\r\nX-Received: by 2002:a05:6214:1 with SMTP id 1; Sat, 05 Dec 2026 05:30:00 -0800 (PST)\r\n" +
  "X-Priority: 3\r\nAuthentication-Results: mx.pano.test; dkim=pass header.i=@gmail.com\r\n";

/** Plain mails as clients send them: raw UTF-8 or encoded words in headers, every transfer encoding, LF or CRLF. */
const plainMails: [string, string | Buffer][] = [
  ["8bit UTF-8 with raw UTF-8 headers (bench/email's mail)", mail({ from: "Khách hàng 12 <khach12@khach.vn>", subject: "Đơn hàng #100012", messageId: "bench-12@khach.vn", inReplyTo: "bench-2@khach.vn", date: DATE, text: body })],
  ["encoded-word name and subject", mail({ from: `${encodedWord("Nguyễn Thị Hương")} <huong@khach.vn>`, subject: encodedWord("Hỏi về bảo hành"), date: DATE, messageId: "ew-1@khach.vn", text: body })],
  ["quoted-printable body with soft breaks", mail({ from: "Lan <lan@khach.vn>", date: DATE, messageId: "qp-1@khach.vn", text: "x", headers: {} }).replace("Content-Transfer-Encoding: 8bit\r\n\r\nx", `Content-Transfer-Encoding: quoted-printable\r\n\r\n${qp(body + " " + "dài ".repeat(40))}`)],
  ["base64 body in 76-character lines", mail({ from: "Minh <minh@khach.vn>", date: DATE, messageId: "b64-1@khach.vn", text: "x" }).replace("Content-Transfer-Encoding: 8bit\r\n\r\nx", `Content-Transfer-Encoding: base64\r\n\r\n${Buffer.from(body).toString("base64").replace(/.{76}/g, "$&\r\n")}`)],
  ["us-ascii, 7bit, no charset parameter", mail({ from: "bob@example.com", date: DATE, messageId: "ascii-1@example.com", text: "Hello, is my order shipped?" }).replace("Content-Type: text/plain; charset=utf-8", "Content-Type: text/plain").replace("8bit", "7bit")],
  ["no Content-Type at all", mail({ from: "Tuan <tuan@khach.vn>", date: DATE, messageId: "noct@khach.vn", text: body }).replace("Content-Type: text/plain; charset=utf-8\r\n", "")],
  ["bare LF line ends", mail({ from: "Ha <ha@khach.vn>", date: DATE, messageId: "lf@khach.vn", text: body }).replace(/\r\n/g, "\n")],
  ["folded headers, several recipients, a group and Cc", mail({ from: '"Trần, Văn B" <b@khach.vn>', to: "Shop <shop@pano.test>,\r\n  Kho <kho@pano.test>, Team: a@x.vn, b@x.vn;", date: DATE, messageId: "fold@khach.vn", headers: { Cc: "Kế toán <ketoan@pano.test>", "Reply-To": "b.reply@khach.vn", References: "<r1@khach.vn>\r\n <r2@khach.vn> <r3@khach.vn>" }, text: body })],
  ["an auto-reply with list headers", mail({ from: "noreply@shopee.vn", date: DATE, messageId: "auto@shopee.vn", headers: { "Auto-Submitted": "auto-replied", "List-Id": "<news.shopee.vn>", Precedence: "bulk", "X-Priority": "1 (Highest)" }, text: "Cảm ơn bạn đã liên hệ." })],
  ["a mail from the shop's own address (an echo)", mail({ from: "Shop Pano <shop@pano.test>", to: "Khách <khach@khach.vn>", date: DATE, messageId: "echo@pano.test", text: "Dạ shop gửi hàng rồi ạ." })],
  ["a quoted reply below the fresh text", mail({ from: "Phuong <phuong@khach.vn>", date: DATE, messageId: "quote@khach.vn", inReplyTo: "orig@pano.test", text: "Vâng, cảm ơn shop.\r\n\r\nVào Th 5, 3 thg 12, 2026 lúc 10:00, Shop Pano <shop@pano.test> đã viết:\r\n> Dạ đơn của chị đã gửi.\r\n> Shop Pano" })],
  ["no Message-ID, a date that cannot be read", mail({ from: "x@khach.vn", date: "hôm qua", text: body }).replace(/Message-ID: <[^>]+>\r\n/, "")],
  ["control characters and a NUL in the body", mail({ from: "y@khach.vn", date: DATE, messageId: "ctl@khach.vn", text: "a\u0000b\u0007c đơn" })],
  ["an empty body", mail({ from: "z@khach.vn", date: DATE, messageId: "empty@khach.vn", text: "" })],
  ["a Thread-Index from Outlook", mail({ from: "o@khach.vn", date: DATE, messageId: "ti@khach.vn", headers: { "Thread-Index": "AQHXabcdEFGHijklMNOPqrstUVWX", "Thread-Topic": "Đơn hàng" }, text: body })],
  ["Content-Disposition: inline", mail({ from: "d@khach.vn", date: DATE, messageId: "inline@khach.vn", text: body }).replace("MIME-Version: 1.0\r\n", "MIME-Version: 1.0\r\nContent-Disposition: inline\r\n")],
  ["8bit Latin-1 bytes that are not UTF-8", Buffer.concat([Buffer.from(mail({ from: "l@khach.vn", date: DATE, messageId: "bad-utf8@khach.vn", text: "X" }).replace(/X\r\n$/, "")), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0d, 0x0a])])],
  // Odd but readable shapes real mail carries.
  ...(() => {
    const plain = (h: Record<string, string> = {}, text = "Chào shop ạ") => mail({ from: "An <an@khach.vn>", date: DATE, messageId: "odd@khach.vn", headers: h, text });
    return [
      ["a quoted charset and format=fixed", plain().replace("charset=utf-8", 'charset="UTF-8"; format=fixed')],
      ["8BIT in capitals", plain().replace("8bit", "8BIT")],
      ["us-ascii declared, 8-bit bytes sent", plain().replace("charset=utf-8", "charset=us-ascii")],
      ["two Subject headers", plain({ Subject: "Thứ hai" })],
      ["an encoded-word name holding a comma", mail({ from: `${encodedWord("Trần, Văn A")} <a@khach.vn>`, date: DATE, messageId: "comma@khach.vn", text: "x" })],
      ["a date without a weekday", mail({ from: "a@khach.vn", date: "5 Dec 2026 12:30 +0700", messageId: "date@khach.vn", text: "x" })],
      ["an address in angle brackets alone", mail({ from: "<a@khach.vn>", date: DATE, messageId: "angle@khach.vn", text: "x" })],
      ["References with junk between the ids", plain({ References: "<a@b> junk <c@d>\r\n\t<e@f>" })],
      ["quoted-printable ending in a soft break", plain().replace("8bit\r\n\r\nChào shop ạ", "quoted-printable\r\n\r\nCh=C3=A0o shop =\r\n=E1=BA=A1=\r\n")],
      ["a comment in Content-Type", plain().replace("charset=utf-8", "charset=utf-8 (plain)")],
      ["no MIME-Version and no Content-Type", plain().replace("MIME-Version: 1.0\r\n", "").replace("Content-Type: text/plain; charset=utf-8\r\n", "")],
      ["a header line without a colon", plain().replace("MIME-Version: 1.0\r\n", "MIME-Version: 1.0\r\nGarbageLineWithoutColon\r\n")],
      ["a long encoded subject folded over lines", mail({ from: "a@khach.vn", date: DATE, messageId: "long@khach.vn", subject: encodedWord("Đơn hàng ".repeat(30)).replace(/(.{60})/g, "$1?=\r\n =?UTF-8?B?"), text: "x" })],
      ["a named inline text part", plain().replace("charset=utf-8", 'charset=utf-8; name="note.txt"')],
      ["a webmail's long header block: Received hops, DKIM, ARC and X- headers before the fields", plain().replace("From: ", clientTrace() + "From: ")],
    ] as [string, string][];
  })(),
];

describe("a plain text mail is read without mailparser's streams, exactly as mailparser reads it", () => {
  for (const [name, raw] of plainMails) {
    test(name, async () => {
      const { bytes, quick, slow } = await bothReaders(raw);
      expect(quick).not.toBeNull();
      const parseTime = name.includes("cannot be read");
      expect(seen(quick!, parseTime)).toEqual(seen(slow, parseTime));
      // The events Pano stores from it are the same, field for field.
      expect(eventsOf(quick!, bytes, parseTime)).toEqual(eventsOf(slow, bytes, parseTime));
    });
  }

  test("bench/email's 10,000-mail backlog shape reads the same for every customer", async () => {
    for (let i = 0; i < 300; i++) {
      const raw = mail({ from: `Khách hàng ${i} <khach${i}@khach.vn>`, subject: `Đơn hàng #${100000 + i}`, messageId: `bench-${i}@khach.vn`, inReplyTo: i % 3 ? `bench-${i - 1}@khach.vn` : undefined, date: DATE, text: `${body}\nTin số ${i}` });
      const { bytes, quick, slow } = await bothReaders(raw);
      expect(eventsOf(quick!, bytes)).toEqual(eventsOf(slow, bytes));
    }
  });
});

describe("any other mail is left to mailparser", () => {
  const others: [string, string][] = [
    ["text and HTML alternatives", htmlMail({ from: "h@khach.vn", date: DATE, messageId: "html@khach.vn", text: "chào", html: "<p>chào</p>" })],
    ["another charset (windows-1258)", mail({ from: "w@khach.vn", date: DATE, text: "x" }).replace("charset=utf-8", "charset=windows-1258")],
    ["format=flowed", mail({ from: "f@khach.vn", date: DATE, text: "a long line \r\ncontinued" }).replace("charset=utf-8", "charset=utf-8; format=flowed")],
    ["a text file sent as an attachment", mail({ from: "a@khach.vn", date: DATE, text: "x" }).replace("MIME-Version: 1.0\r\n", 'MIME-Version: 1.0\r\nContent-Disposition: attachment; filename="note.txt"\r\n')],
    ["an HTML-only mail", mail({ from: "p@khach.vn", date: DATE, text: "<p>x</p>" }).replace("text/plain", "text/html")],
    ["headers with no empty line after them", "From: n@khach.vn\r\nSubject: chỉ có tiêu đề\r\n"],
    ["a body with no header", "\r\nChào shop"],
    ["Gmail's recorded reply (multipart)", fixture("gmail-reply.eml", { PANO_ID: "pano-1@pano.test", SALT: "s1", SUBJECT: "Đơn hàng", RECIPIENT: "shop@pano.test", ORIGINAL_ID: "o@pano.test", THREAD_INDEX: "AQ" })],
  ];
  for (const [name, raw] of others) {
    test(name, async () => {
      expect(readTextMail(Buffer.from(raw))).toBeNull();
      // ...and Pano still stores it as mailparser reads it.
      const events = await parseOne(Buffer.from(raw), raw.length, false, ctx);
      expect(events[0].kind).toBe("message");
    });
  }

  test("every recorded client mail is either read the same or left to mailparser", async () => {
    const vars = { PANO_ID: "pano-1@pano.test", SALT: "s1", SUBJECT: "Đơn hàng", RECIPIENT: "shop@pano.test", ORIGINAL_ID: "o@pano.test", THREAD_INDEX: "AQHXabcd" };
    const names = readdirSync(join(import.meta.dir, "fixtures/email")).filter((f) => f.endsWith(".eml"));
    let quickOnes = 0;
    for (const name of names) {
      const { bytes, quick, slow } = await bothReaders(fixture(name, vars));
      if (!quick) continue;
      quickOnes++;
      expect(seen(quick)).toEqual(seen(slow));
      expect(eventsOf(quick, bytes)).toEqual(eventsOf(slow, bytes));
    }
    expect(names.length).toBeGreaterThan(5);
    expect(quickOnes).toBeGreaterThan(0);
  });
});
