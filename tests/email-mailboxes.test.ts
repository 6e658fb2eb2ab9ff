// Stories of a shop with several mailboxes where some are in trouble: one points at a server
// that refuses connections, one at a server that accepts and then says nothing (a firewall that
// drops packets, a hung host). The healthy mailbox keeps receiving and sending as if they were
// not there, and the broken ones say what is wrong in their status.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createServer, type Server, type Socket } from "node:net";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { refusedPort } from "./support/refused-port.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { mail } from "./fixtures/email/mail.ts";

let pano: PanoProcess;
let dovecot: Dovecot;
let smtp: SmtpPeer;
let silent: { server: Server; port: number; sockets: Set<Socket> };
// Its own silent server, so a connection to it can only be the outbox trying to send.
let silentSmtp: { server: Server; port: number; sockets: Set<Socket> };
let dead: Awaited<ReturnType<typeof refusedPort>>;
let deadPort: number;
const ids: Record<"healthy" | "refused" | "silent" | "silentSmtp", string> = { healthy: "", refused: "", silent: "", silentSmtp: "" };

/** Accepts TCP connections and never answers: no greeting, no banner. */
async function silentServer() {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

const endpoint = (port: number) => ({ host: "127.0.0.1", port, secure: false, starttls: "never" as const, user: "shop@pano.test", password: "mat-khau" });

async function addChannel(name: string, config: object): Promise<string> {
  return (await pano.json("/api/v1/channels", { method: "POST", json: { type: "email", name, config } })).id;
}

beforeAll(async () => {
  [dovecot, smtp, pano, silent, silentSmtp, dead] = await Promise.all([startDovecot(), startSmtpPeer(), startPano(), silentServer(), silentServer(), refusedPort()]);
  deadPort = dead.port;
  // The broken mailboxes are connected first, so their loops are already stuck when mail comes.
  ids.refused = await addChannel("Hộp thư kho (máy chủ tắt)", {
    imap: { ...endpoint(deadPort), mailbox: "INBOX" }, smtp: endpoint(deadPort), from_address: "kho@pano.test", poll_seconds: 1,
  });
  ids.silent = await addChannel("Hộp thư cũ (máy chủ treo)", {
    imap: { ...endpoint(silent.port), mailbox: "INBOX" }, smtp: endpoint(deadPort), from_address: "cu@pano.test", poll_seconds: 1,
  });
  // Reads a folder of the healthy server but sends through the one that never answers.
  const admin = dovecot.client();
  await admin.connect();
  await admin.mailboxCreate("Kho");
  await admin.logout();
  ids.silentSmtp = await addChannel("Hộp thư kho (gửi qua máy chủ treo)", {
    imap: dovecot.imapConfig("Kho"), smtp: endpoint(silentSmtp.port), from_address: "kho-gui@pano.test",
  });
  ids.healthy = await addChannel("Hộp thư CSKH", { imap: dovecot.imapConfig(), smtp: smtp.smtpConfig(), from_address: "shop@pano.test", from_name: "Shop Pano" });
});
afterAll(async () => {
  await pano?.stop();
  for (const s of [silent, silentSmtp]) {
    for (const sock of s?.sockets ?? []) sock.destroy();
    s?.server.close();
  }
  dead?.close();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
});

const conversationsOf = async (channelId: string) => (await pano.json(`/api/v1/conversations?status=all&channel_id=${channelId}`)).data as any[];
const messagesOf = async (convId: string) => (await pano.json(`/api/v1/conversations/${convId}/messages`)).data as any[];

test("mail to the healthy mailbox arrives while the others' servers refuse or hang", async () => {
  for (let i = 1; i <= 3; i++) {
    await dovecot.append([mail({ from: `Khách ${i} <khach${i}@khach.vn>`, subject: `Hỏi hàng lần ${i}`, text: `Shop ơi, còn hàng mẫu số ${i} không?` })]);
    // Each mail on its own, well inside the hung server's greeting timeout (15 s).
    await eventually(async () => (await conversationsOf(ids.healthy)).find((c) => c.subject === `Hỏi hàng lần ${i}`), 5_000, `mail ${i} in Pano`);
  }
  expect(await conversationsOf(ids.refused)).toEqual([]);
  expect(await conversationsOf(ids.silent)).toEqual([]);
});

test("the mailbox whose server refuses connections shows an error naming the cause; the healthy one stays active", async () => {
  const refused = await eventually(async () => {
    const ch = await pano.json(`/api/v1/channels/${ids.refused}`);
    return ch.status === "error" ? ch : null;
  }, 20_000, "refused mailbox in error");
  expect(refused.status_detail).toContain("ECONNREFUSED");
  expect((await pano.json(`/api/v1/channels/${ids.healthy}`)).status).toBe("active");
});

// The outbox sends each conversation's replies on their own, so a hung SMTP server holds up
// only its own mailbox's replies.
test("a reply on the healthy mailbox goes out while a reply on another mailbox hangs on its SMTP server", async () => {
  await dovecot.append([mail({ from: "Chị Mai <mai@khach.vn>", to: "kho-gui@pano.test", subject: "Hỏi tồn kho", text: "Kho còn áo size M không em?" })], "Kho");
  const stuckConv = await eventually(async () => (await conversationsOf(ids.silentSmtp)).find((c) => c.subject === "Hỏi tồn kho"), 5_000, "mail in the second folder");
  const stuck = await pano.json(`/api/v1/conversations/${stuckConv.id}/messages`, { method: "POST", json: { text: "Dạ còn ạ." } });
  // The outbox has picked the stuck reply up and sits in the silent server's greeting.
  await eventually(() => silentSmtp.sockets.size > 0, 5_000, "the stuck reply's SMTP connection");
  const conv = (await conversationsOf(ids.healthy)).find((c) => c.subject === "Hỏi hàng lần 1");
  const reply = await pano.json(`/api/v1/conversations/${conv.id}/messages`, { method: "POST", json: { text: "Dạ mẫu số 1 còn hàng ạ." } });
  const sent = await eventually(async () => (await messagesOf(conv.id)).find((m) => m.id === reply.id && m.status === "sent"), 5_000, "the healthy reply sent");
  expect(smtp.received.some((m) => m.parsed.messageId === `<${sent.external_id}>`)).toBe(true);
  const waiting = (await messagesOf(stuckConv.id)).find((m) => m.id === stuck.id);
  expect(waiting.status).toBe("queued");
});
