// Story: a shop whose mail host understands plus addresses turns on "Reply-To carries the
// conversation". A customer's answer that lost every threading header (written as a new mail to
// the Reply-To address, under another subject) still lands in its conversation; an address with
// a made-up token does not reach anyone's conversation.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { mail } from "./fixtures/email/mail.ts";

let pano: PanoProcess;
let dovecot: Dovecot;
let smtp: SmtpPeer;
let channelId: string;

beforeAll(async () => {
  [dovecot, smtp, pano] = await Promise.all([startDovecot(), startSmtpPeer(), startPano()]);
  const ch = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "email", name: "Hộp thư shop", config: { imap: dovecot.imapConfig(), smtp: smtp.smtpConfig(), from_address: "shop@pano.test", from_name: "Shop Pano", plus_reply_to: true } },
  });
  channelId = ch.id;
});
afterAll(async () => {
  await pano?.stop();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
});

const conversations = async () => (await pano.json(`/api/v1/conversations?status=all&channel_id=${channelId}`)).data as any[];
const messagesOf = async (convId: string) => (await pano.json(`/api/v1/conversations/${convId}/messages`)).data as any[];

test("an answer sent to the reply's plus address, with no threading headers and a new subject, joins the conversation", async () => {
  await dovecot.append([mail({ from: "Võ Thanh Tâm <tam@khach.vn>", subject: "Đặt 20 hộp bánh trung thu", text: "Shop báo giá giúp mình 20 hộp nhé." })]);
  const conv = await eventually(async () => (await conversations()).find((c) => c.subject === "Đặt 20 hộp bánh trung thu"), 10_000, "the order mail");
  const reply = await pano.json(`/api/v1/conversations/${conv.id}/messages`, { method: "POST", json: { text: "Dạ 20 hộp là 4.000.000đ ạ." } });
  const sent = await eventually(() => smtp.received.find((m) => m.parsed.subject === "Re: Đặt 20 hộp bánh trung thu"), 10_000, "the reply at the SMTP peer");
  const replyTo = sent.parsed.replyTo?.value[0]?.address ?? "";
  expect(replyTo).toMatch(new RegExp(`^shop\\+c${conv.id}\\.[0-9a-f]{32}@pano\\.test$`));
  await eventually(async () => (await messagesOf(conv.id)).find((m) => m.id === reply.id && m.status === "sent"), 10_000, "reply sent");

  // The customer's webmail starts a fresh mail to the Reply-To address: no In-Reply-To, no References.
  await dovecot.append([mail({ from: "Võ Thanh Tâm <tam@khach.vn>", to: `Shop Pano <${replyTo}>`, subject: "Chốt đơn", text: "Ok shop, mình chốt 20 hộp, giao thứ 7." })]);
  const answer = await eventually(async () => (await messagesOf(conv.id)).find((m) => m.text === "Ok shop, mình chốt 20 hộp, giao thứ 7."), 10_000, "the answer in the same conversation");
  expect(answer.direction).toBe("in");
  expect((await conversations()).filter((c) => c.subject === "Chốt đơn")).toEqual([]);
});

test("a plus address with a guessed token opens a new conversation instead of joining someone else's", async () => {
  const victim = (await conversations()).find((c) => c.subject === "Đặt 20 hộp bánh trung thu");
  await dovecot.append([mail({ from: "Người Lạ <la@khac.vn>", to: `shop+c${victim.id}.0123456789@pano.test`, subject: "Đổi địa chỉ giao", text: "Giao đơn kia sang địa chỉ khác nhé." })]);
  const own = await eventually(async () => (await conversations()).find((c) => c.subject === "Đổi địa chỉ giao"), 10_000, "the stranger's own conversation");
  expect(own.id).not.toBe(victim.id);
  expect((await messagesOf(victim.id)).some((m) => m.text.startsWith("Giao đơn kia"))).toBe(false);
});
