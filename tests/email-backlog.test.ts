// Story: a shop connects a mailbox that already holds a few hundred mails (a weekend's worth).
// Pano reads the backlog in large batches (parsed on its mail reader thread) and must store it
// exactly as it stores a single mail: each mail once, replies in their customer's thread, an
// attachment's bytes intact, a broken mail kept with its reason, and new mail still arriving
// afterwards.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { allMessages } from "./support/channel-messages.ts";
import { mail, fixture } from "./fixtures/email/mail.ts";

let pano: PanoProcess;
let dovecot: Dovecot;
let smtp: SmtpPeer;

// Kept so that teardown stops whatever did start, also when another part failed to.
let starting: Promise<unknown>[] = [];
beforeAll(async () => {
  starting = [startDovecot().then((d) => (dovecot = d)), startSmtpPeer().then((s) => (smtp = s)), startPano().then((p) => (pano = p))];
  await Promise.all(starting);
});
afterAll(async () => {
  await Promise.allSettled(starting);
  await pano?.stop();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
});

test("a mailbox holding 300 mails when it is connected is stored whole: once each, threaded, attachments intact, the broken mail kept", async () => {
  const waiting: string[] = [];
  // 30 customers, each with a first mail and nine replies to it.
  for (let i = 0; i < 297; i++) {
    const who = i % 30;
    waiting.push(mail({
      from: `Khách ${who} <khach${who}@backlog.vn>`,
      subject: `Đơn hàng cuối tuần ${who}`,
      messageId: `backlog-${i}@backlog.vn`,
      inReplyTo: i >= 30 ? `backlog-${who}@backlog.vn` : undefined,
      text: `Tin cuối tuần số ${i}`,
    }));
  }
  waiting.splice(150, 0, fixture("vietnamese-encodings.eml", { SALT: "backlog" }));
  waiting.splice(200, 0, ["From: <<<not an address", "Subject: h\u0000ỏng", "Content-Type: multipart/mixed; boundary=\"never-closed\"", "", "--never-closed", "Content-Transfer-Encoding: base64", "", "!!!not*base64@@@", ""].join("\r\n"));
  waiting.push(mail({ from: "Khách cuối <cuoi@backlog.vn>", subject: "Thư cuối của đợt", messageId: "backlog-last@backlog.vn", text: "Thư cuối" }));
  dovecot.deliver(waiting);

  const ch = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "email", name: "Hộp thư cuối tuần", config: { imap: dovecot.imapConfig(), smtp: smtp.smtpConfig(), from_address: "shop@pano.test" } },
  });
  const all = await eventually(async () => {
    const list = await allMessages(pano, ch.id);
    return list.length >= 300 && list;
  }, 40_000, "the 300 waiting mails");
  expect(all).toHaveLength(300);
  // Read on the mail reader thread, not the fallback on the main thread.
  expect(pano.logs()).not.toContain("mail reader thread");
  expect(new Set(all.map((m) => m.external_id)).size).toBe(300);

  // Replies joined their customer's first mail: thirty threads, most of ten mails.
  const byConversation = new Map<string, any[]>();
  for (const m of all) byConversation.set(m.conversation_id, [...(byConversation.get(m.conversation_id) ?? []), m]);
  const threads = [...byConversation.values()].filter((ms) => ms.some((m) => /^Tin cuối tuần số/.test(m.text)));
  expect(threads).toHaveLength(30);
  expect(threads.map((ms) => ms.length).sort((a, b) => a - b)).toEqual([...Array(3).fill(9), ...Array(27).fill(10)]);
  for (const ms of threads) expect(new Set(ms.map((m) => Number(/số (\d+)/.exec(m.text)![1]) % 30)).size).toBe(1);

  // The mail with attachments came through the batch with its bytes whole.
  const withFiles = all.find((m) => m.attachments.some((a: any) => a.name === "Hóa đơn.pdf"));
  expect(withFiles.text).toStartWith("Kính gửi shop,");
  const pdf = withFiles.attachments.find((a: any) => a.name === "Hóa đơn.pdf");
  expect(await (await fetch(pdf.url)).text()).toStartWith("%PDF-1.4");
  expect(withFiles.html).toContain('data-remote-src="https://tracker.example.com/open.gif?u=42"');

  // The broken mail is kept, saying why, with its original bytes.
  const broken = all.find((m) => m.text.includes("Malformed message"));
  expect(broken.attachments.map((a: any) => a.name)).toContain("original.eml");
  expect(broken.text).not.toContain("\u0000");

  // After the backlog the mailbox is watched as usual: a new mail arrives on its own.
  await dovecot.append([mail({ from: "Khách mới <moi@backlog.vn>", subject: "Sau đợt cuối tuần", messageId: "backlog-after@backlog.vn", text: "Thư mới sau đợt" })]);
  const after = await eventually(async () => {
    const list = await allMessages(pano, ch.id);
    return list.some((m) => m.text === "Thư mới sau đợt") && list;
  }, 20_000, "the mail after the backlog");
  expect(after).toHaveLength(301);
});

test("Pano stops cleanly right after reading a backlog", async () => {
  const code = await pano.stop();
  expect(code).toBe(0);
  pano = null as unknown as PanoProcess;
});
