// Someone with an admin's session opens a saved mailbox in Settings, types their own server into
// the SMTP and IMAP host or port, leaves the passwords blank ("keep the current value") and presses
// Test connection. The saved passwords belong to the servers they were saved for: Pano asks for
// the password again instead of handing the saved one to a server someone just typed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { signIn, fieldError, type PageSession } from "./settings-session.ts";

const SAVED_SMTP = "smtp-da-luu-9f3k";
const SAVED_IMAP = "imap-da-luu-7q2m";
const ASK_AGAIN = "Bạn đã đổi máy chủ, cổng hoặc tài khoản. Mật khẩu đã lưu chỉ dùng cho máy chủ cũ: hãy nhập mật khẩu cho máy chủ mới.";

/** An IMAP server that takes notes: whatever a client sends it (LOGIN included) is kept. */
function imapNotebook() {
  let seen = "";
  const server = Bun.listen({
    hostname: "127.0.0.1", port: 0,
    socket: {
      open(s) {
        s.write("* OK [CAPABILITY IMAP4rev1] ready\r\n");
      },
      data(s, bytes) {
        const text = new TextDecoder().decode(bytes);
        seen += text;
        for (const line of text.split("\r\n").filter(Boolean)) s.write(`${line.split(" ")[0]} NO [AUTHENTICATIONFAILED] no\r\n`);
      },
    },
  });
  return { port: server.port, seen: () => seen, stop: () => server.stop(true) };
}

let pano: PanoProcess;
let admin: PageSession;
let shopSmtp: SmtpPeer;
let otherSmtp: SmtpPeer;
const shopImap = imapNotebook();
const otherImap = imapNotebook();
let channelId: string;

/** The saved mailbox's form as Settings shows it (passwords blank), with some fields changed. */
function form(change: Record<string, string> = {}) {
  return {
    type: "email", channel_id: channelId, name: "Hộp thư CSKH", "config.from_address": "cskh@shop.vn",
    "config.imap.host": "127.0.0.1", "config.imap.port": String(shopImap.port), "config.imap.secure": "false", "config.imap.starttls": "never",
    "config.imap.user": "cskh@shop.vn", "config.imap.password": "", "config.imap.mailbox": "INBOX",
    "config.smtp.host": "127.0.0.1", "config.smtp.port": String(shopSmtp.port), "config.smtp.secure": "false", "config.smtp.starttls": "never",
    "config.smtp.user": "cskh@shop.vn", "config.smtp.password": "",
    ...change,
  };
}

beforeAll(async () => {
  [shopSmtp, otherSmtp, pano] = await Promise.all([
    startSmtpPeer({ user: "cskh@shop.vn", password: SAVED_SMTP }),
    startSmtpPeer({ user: "ke-gian@evil.test", password: "khong-biet" }),
    startPano(),
  ]);
  admin = await signIn(pano, ADMIN.email, ADMIN.password);
  channelId = "";
  const saved = await admin.post("/settings/channels/new/email", form({ "config.imap.password": SAVED_IMAP, "config.smtp.password": SAVED_SMTP }));
  expect(saved.status).toBe(303);
  channelId = /\/settings\/channels\/(\d+)/.exec(saved.location ?? "")![1];
});
afterAll(async () => {
  await pano?.stop();
  await Promise.all([shopSmtp?.stop(), otherSmtp?.stop()]);
  shopImap.stop();
  otherImap.stop();
});

test("a Test aimed at another SMTP and IMAP server with blank passwords is refused; the saved passwords reach neither", async () => {
  const r = await admin.post("/settings/channels/test", form({ "config.smtp.port": String(otherSmtp.port), "config.imap.port": String(otherImap.port) }));
  expect(otherSmtp.logins).toEqual([]);
  expect(otherImap.seen()).not.toContain(SAVED_IMAP);
  expect(r.html).toContain(ASK_AGAIN);
  expect(fieldError(r.html, "config.smtp.password")).toBe("Máy chủ, cổng hoặc tài khoản đã đổi: nhập lại mật khẩu");
  expect(fieldError(r.html, "config.imap.password")).toBe("Máy chủ, cổng hoặc tài khoản đã đổi: nhập lại mật khẩu");
  // The htmx button gets the same sentence.
  const hx = await fetch(`${pano.url}/settings/channels/test`, {
    method: "POST", headers: { cookie: admin.cookie, "hx-request": "true", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: admin.csrf, ...form({ "config.smtp.host": "localhost", "config.smtp.port": String(otherSmtp.port) }) }),
  });
  expect(await hx.text()).toContain(ASK_AGAIN);
  expect(otherSmtp.logins).toEqual([]);
});

test("another account on the same server also needs its password typed", async () => {
  const r = await admin.post("/settings/channels/test", form({ "config.smtp.user": "giam-doc@shop.vn" }));
  expect(r.html).toContain(ASK_AGAIN);
  expect(shopSmtp.logins.filter((l) => l.user === "giam-doc@shop.vn")).toEqual([]);
});

test("with the password typed, the new server gets the typed one and never the saved one", async () => {
  const r = await admin.post("/settings/channels/test", form({ "config.smtp.port": String(otherSmtp.port), "config.smtp.user": "ke-gian@evil.test", "config.smtp.password": "mat-khau-moi" }));
  expect(r.html).toContain("SMTP:");
  expect(otherSmtp.logins).toEqual([{ user: "ke-gian@evil.test", password: "mat-khau-moi" }]);
});

test("the saved servers, unchanged, are still tested with the saved passwords", async () => {
  const before = shopSmtp.logins.length;
  const r = await admin.post("/settings/channels/test", form());
  expect(r.html).toContain("SMTP ok: 127.0.0.1:");
  expect(shopSmtp.logins.slice(before)).toEqual([{ user: "cskh@shop.vn", password: SAVED_SMTP }]);
});

test("saving a changed server with a blank password is refused the same way and changes nothing", async () => {
  const r = await admin.post(`/settings/channels/${channelId}`, form({ "config.smtp.port": String(otherSmtp.port) }));
  expect(r.status).toBe(422);
  expect(r.html).toContain(ASK_AGAIN);
  const ch = await pano.json(`/api/v1/channels/${channelId}`);
  expect(ch.status).not.toBe("paused");
  const page = await admin.get(`/settings/channels/${channelId}`);
  expect(page.html).toContain(`value="${shopSmtp.port}"`);
});
