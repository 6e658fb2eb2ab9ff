// A website visitor who gave their email and left before the agent answered gets the reply by mail
// through the chat's offline email channel (real SMTP peer), threaded with Pano's token; their
// answer by email (real Dovecot) joins the same website chat conversation and shows in their
// widget. A visitor whose widget is open gets no mail.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { mail, newId } from "./fixtures/email/mail.ts";

const SHOP = "https://shophoa.example";
let pano: PanoProcess;
let dovecot: Dovecot;
let smtp: SmtpPeer;
let mailbox: { id: string };
let chat: { id: string; widget_token: string };

beforeAll(async () => {
  [dovecot, smtp, pano] = await Promise.all([startDovecot(), startSmtpPeer(), startPano()]);
  mailbox = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "email", name: "Hộp thư shop", config: { imap: dovecot.imapConfig(), smtp: smtp.smtpConfig(), from_address: "shop@pano.test", from_name: "Shop Hoa" } },
  });
  chat = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "web_chat", name: "Shop Hoa", config: { allowed_origins: [SHOP], pre_chat: { email: "optional" }, offline_email_channel_id: Number(mailbox.id) } },
  });
});
afterAll(async () => {
  await pano?.stop();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
});

const visitor = (path: string, session: string | null, init: { method?: string; json?: unknown } = {}) =>
  fetch(`${pano.url}/chat/api/${path}`, {
    method: init.method ?? "GET",
    headers: { origin: SHOP, "content-type": "application/json", ...(session ? { "x-pano-session": session } : {}) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
async function visitorWrites(text: string, email: string) {
  const { session } = await (await visitor("session", null, { method: "POST", json: { token: chat.widget_token, origin: SHOP } })).json();
  const r = await visitor("messages", session, { method: "POST", json: { client_id: crypto.randomUUID().replace(/-/g, ""), text, visitor: { name: "Lan", email } } });
  expect(r.status).toBe(201);
  const conversations = async () => (await pano.json(`/api/v1/conversations?channel_id=${chat.id}&status=all`)).data as { id: string; contact_id: string }[];
  const mine = async () => {
    for (const c of await conversations()) {
      const msgs = (await pano.json(`/api/v1/conversations/${c.id}/messages`)).data;
      if (msgs.some((m: { text: string }) => m.text === text)) return c;
    }
    return null;
  };
  return { session: session as string, conv: await eventually(mine, 5000, "the visitor's conversation") };
}
const agentReplies = async (convId: string, text: string) => {
  const reply = await pano.json(`/api/v1/conversations/${convId}/messages`, { method: "POST", json: { text } });
  // "sent" is after the channel's send returned: any mail has been handed to SMTP by then.
  await eventually(async () => (await pano.json(`/api/v1/conversations/${convId}/messages`)).data.find((m: { id: string; status: string }) => m.id === reply.id && m.status === "sent"), 10_000, "reply sent");
};

test("the visitor left: the reply arrives by email, and their email answer joins the same chat conversation", async () => {
  const { session, conv } = await visitorWrites("Shop ơi hoa hồng đỏ còn không ạ?", "lan@khach.vn");
  await agentReplies(conv.id, "Dạ còn ạ, 50 nghìn một bông.");

  const sent = await eventually(() => smtp.received.find((m) => m.to.includes("lan@khach.vn")), 10_000, "the mail to the visitor");
  expect(sent.parsed.from?.value[0]).toMatchObject({ address: "shop@pano.test", name: "Shop Hoa" });
  expect(sent.parsed.subject).toContain("Shop Hoa");
  expect(sent.parsed.text).toContain("Dạ còn ạ, 50 nghìn một bông.");
  expect(sent.parsed.text).toContain("Bạn có thể trả lời email này");
  // The email channel's own threading token names the website chat conversation.
  const messageId = sent.parsed.messageId!.replace(/^<|>$/g, "");
  expect(messageId).toMatch(new RegExp(`^pano\\.c${conv.id}\\.`));

  await dovecot.append([mail({ from: "Lan <lan@khach.vn>", subject: `Re: ${sent.parsed.subject}`, messageId: newId(), inReplyTo: messageId, references: `<${messageId}>`, text: "Cho mình đặt 10 bông nhé, giao chiều nay." })]);
  const answer = await eventually(async () => (await pano.json(`/api/v1/conversations/${conv.id}/messages`)).data.find((m: { direction: string; text: string }) => m.direction === "in" && m.text.startsWith("Cho mình đặt 10 bông")), 15_000, "the email answer in the chat conversation");
  expect(answer).toBeTruthy();
  // No separate email conversation was opened for it.
  expect((await pano.json(`/api/v1/conversations?channel_id=${mailbox.id}&status=all`)).data).toEqual([]);
  // The visitor sees it in the widget when they come back.
  const items = (await (await visitor("messages?after=0", session)).json()).items as { mine: boolean; text: string }[];
  expect(items.map((i) => [i.mine, i.text.split("\n")[0]])).toEqual([
    [true, "Shop ơi hoa hồng đỏ còn không ạ?"],
    [false, "Dạ còn ạ, 50 nghìn một bông."],
    [true, "Cho mình đặt 10 bông nhé, giao chiều nay."],
  ]);
});

test("a visitor whose widget is open gets the reply live and no email", async () => {
  const { session, conv } = await visitorWrites("Shop có giao hàng Quận 7 không?", "minh@khach.vn");
  const live = await fetch(`${pano.url}/chat/api/live?session=${encodeURIComponent(session)}`, { headers: { origin: SHOP } });
  const reader = live.body!.getReader();
  const seen: string[] = [];
  const read = (async () => {
    const dec = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      seen.push(dec.decode(value));
    }
  })();
  await eventually(() => seen.join("").includes("event: hello"), 5000, "the stream open");
  await agentReplies(conv.id, "Dạ có ạ, phí 20 nghìn.");
  await eventually(() => seen.join("").includes("event: changed"), 5000, "the live notice");
  expect(smtp.received.filter((m) => m.to.includes("minh@khach.vn"))).toEqual([]);
  await reader.cancel();
  await read.catch(() => {});
});
