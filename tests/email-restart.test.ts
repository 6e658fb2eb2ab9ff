// Stories of the mailbox position surviving restarts: Pano killed in the middle of 500 arriving
// mails stores each exactly once, and a mailbox renumbered by the server (new UIDVALIDITY) is
// resynced without repeating what was already stored.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, tempDir, type PanoProcess } from "./support/pano.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { allMessages } from "./support/channel-messages.ts";
import { mail } from "./fixtures/email/mail.ts";

let dovecot: Dovecot;
let smtp: SmtpPeer;
let pano: PanoProcess | null = null;

beforeAll(async () => {
  [dovecot, smtp] = await Promise.all([startDovecot(), startSmtpPeer()]);
});
afterAll(async () => {
  await pano?.stop();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
});

/** Ten customers, each opening one thread and adding replies to it: `n` mails in all. */
function customerMails(from: number, to: number, mailbox: string): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const who = i % 10;
    out.push(mail({
      from: `Khách ${who} <khach${who}.${mailbox}@khach.vn>`,
      subject: `Đơn hàng của khách ${who} (${mailbox})`,
      messageId: `${mailbox}-${i}@khach.vn`,
      inReplyTo: i >= 10 ? `${mailbox}-${who}@khach.vn` : undefined,
      text: `Tin số ${i}`,
    }));
  }
  return out;
}

async function emailChannel(p: PanoProcess, mailbox: string) {
  return p.json("/api/v1/channels", {
    method: "POST",
    json: { type: "email", name: `Hộp ${mailbox}`, config: { imap: dovecot.imapConfig(mailbox), smtp: smtp.smtpConfig(), from_address: "shop@pano.test" } },
  });
}

async function createMailbox(name: string) {
  const c = dovecot.client();
  await c.connect();
  await c.mailboxCreate(name).catch(() => {});
  await c.logout();
}

test("Pano killed in the middle of 500 arriving mails stores each exactly once after it restarts", async () => {
  await createMailbox("Burst");
  const dataDir = tempDir();
  pano = await startPano({ dataDir });
  const ch = await emailChannel(pano, "Burst");
  // The mails keep arriving while Pano is killed (SIGKILL: no goodbye) and started again.
  const arriving = dovecot.append(customerMails(0, 500, "Burst"), "Burst");
  await eventually(async () => (await allMessages(pano!, ch.id)).length > 20, 20_000, "the first mails stored");
  await pano.kill();
  pano = await startPano({ dataDir });
  await arriving;
  const all = await eventually(async () => {
    const list = await allMessages(pano!, ch.id);
    return list.length >= 500 && list;
  }, 40_000, "all 500 mails");
  // Pano reads the mailbox in UID order: once a mail appended after the burst is stored, any
  // repeat of the burst would have been stored too.
  await dovecot.append([mail({ from: "Chị Hạnh <hanh@khach.vn>", subject: "Sau đợt thư", messageId: "burst-after@khach.vn", text: "Tin sau cùng" })], "Burst");
  const final = await eventually(async () => {
    const l = await allMessages(pano!, ch.id);
    return l.some((m) => m.text === "Tin sau cùng") && l.filter((m) => m.text !== "Tin sau cùng");
  }, 20_000, "the mail after the burst");
  expect(final).toHaveLength(500);
  expect(new Set(final.map((m) => m.text)).size).toBe(500);
  // Replies joined their customer's thread: ten conversations of fifty mails.
  const convs = new Map<string, number>();
  for (const m of all) convs.set(m.conversation_id, (convs.get(m.conversation_id) ?? 0) + 1);
  expect([...convs.values()]).toEqual(Array(10).fill(50));
});

test("a mailbox renumbered by the server (new UIDVALIDITY) is resynced without repeats or gaps", async () => {
  pano ??= await startPano();
  const ch = await emailChannel(pano, "INBOX");
  const old = [1, 2, 3].map((i) => mail({ from: "Cao Thị Yến <yen@khach.vn>", subject: `Hỏi hàng lần ${i}`, messageId: `uv-${i}@khach.vn`, text: `Lần ${i}` }));
  await dovecot.append(old);
  await eventually(async () => (await allMessages(pano!, ch.id)).length === 3, 10_000, "three mails");
  // The server is migrated: the same mail comes back under new UIDs, plus one new mail whose
  // UID is lower than the last UID Pano had seen.
  const fresh = mail({ from: "Cao Thị Yến <yen@khach.vn>", subject: "Sau khi chuyển máy chủ", messageId: "uv-4@khach.vn", text: "Lần 4" });
  await dovecot.resetUidValidity([...old, fresh]);
  const list = await eventually(async () => {
    const l = await allMessages(pano!, ch.id);
    return l.length >= 4 && l;
  }, 20_000, "the new mail after the resync");
  // Pano reads in UID order: once a later mail is stored, a repeat of the resync would be too.
  await dovecot.append([mail({ from: "Cao Thị Yến <yen@khach.vn>", subject: "Thư sau", messageId: "uv-5@khach.vn", text: "Lần 5" })]);
  const after = await eventually(async () => {
    const l = await allMessages(pano!, ch.id);
    return l.some((m) => m.text === "Lần 5") && l;
  }, 20_000, "the mail after the resync");
  expect(after.map((m) => m.text).sort()).toEqual(["Lần 1", "Lần 2", "Lần 3", "Lần 4", "Lần 5"]);
  expect(list).toHaveLength(4);
});
