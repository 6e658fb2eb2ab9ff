// Story: an admin fills in a mailbox in Settings and presses "Test connection" before saving.
// Pano logs in to the real IMAP server (Dovecot) and the real SMTP server, and says what it
// found, in Vietnamese; a wrong password or an unreachable server is named, side by side.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { refusedPort } from "./support/refused-port.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { signIn, type PageSession } from "./settings-session.ts";
import { mail } from "./fixtures/email/mail.ts";

let pano: PanoProcess;
let dovecot: Dovecot;
let smtp: SmtpPeer;
let admin: PageSession;

beforeAll(async () => {
  [dovecot, smtp, pano] = await Promise.all([startDovecot(), startSmtpPeer(), startPano()]);
  admin = await signIn(pano, ADMIN.email, ADMIN.password);
  await dovecot.append([mail({ from: "An <an@khach.vn>" }), mail({ from: "Bình <binh@khach.vn>" })]);
});
afterAll(async () => {
  await pano?.stop();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
});

/** The form as an admin fills it, with the given fields changed. */
function form(change: Record<string, string> = {}) {
  const i = dovecot.imapConfig();
  const s = smtp.smtpConfig();
  return {
    type: "email", name: "Hộp thư CSKH", "config.from_address": "shop@pano.test", "config.from_name": "Shop Pano",
    "config.imap.host": i.host, "config.imap.port": String(i.port), "config.imap.secure": "false", "config.imap.starttls": "never",
    "config.imap.user": i.user, "config.imap.password": i.password, "config.imap.mailbox": "INBOX",
    "config.smtp.host": s.host, "config.smtp.port": String(s.port), "config.smtp.secure": "false", "config.smtp.starttls": "never",
    "config.smtp.user": s.user, "config.smtp.password": s.password,
    ...change,
  };
}

test("a working mailbox: both servers logged in to, the mail counted, IDLE noticed, nothing saved", async () => {
  const r = await admin.post("/settings/channels/test", form());
  expect(r.status).toBe(200);
  expect(r.html).toContain("Kết nối thành công: IMAP ok: INBOX has 2 messages, IDLE supported; SMTP ok: 127.0.0.1:");
  expect((await pano.json("/api/v1/channels")).data).toHaveLength(0);
  expect(smtp.received).toHaveLength(0);
});

test("a wrong IMAP password and an SMTP server that is not there are both named", async () => {
  const closed = await refusedPort();
  const r = await admin.post("/settings/channels/test", form({ "config.imap.password": "sai-mat-khau", "config.smtp.port": String(closed.port) }));
  closed.close();
  expect(r.html).toContain("Kết nối thất bại: IMAP login refused (check user and app password)");
  expect(r.html).toMatch(/SMTP: Could not reach the mail server \(\w+\): connect ECONNREFUSED/);
  expect(r.html).not.toContain("sai-mat-khau");
});
