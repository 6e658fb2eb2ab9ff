// Stories of an agent answering on Zalo: the reply reaches Zalo once (its echo is not a second
// message); what Zalo refuses ends failed with a reason the agent can read, in Vietnamese and
// English, and the composer says so before sending when Pano already knows; a rate limit is
// waited out.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";

let w: ZaloWorld;
beforeAll(async () => void (w = await startZaloWorld()));
afterAll(async () => await w?.stop());

async function conversationWith(name: string) {
  const user = w.sim.addUser(undefined, { display_name: name });
  await w.sim.userSays(user, "Shop ơi, cho em hỏi giá áo dài");
  return { user, conv: await w.conversationOf(user) };
}

async function reply(convId: string, text: string) {
  const m = await w.pano.json(`/api/v1/conversations/${convId}/messages`, { method: "POST", json: { text } });
  expect(m.status).toBe("queued");
  return m.id as string;
}

const messageNamed = (convId: string, id: string) => async () => (await w.messagesOf(convId)).find((m: any) => m.id === id);
const settled = (convId: string, id: string) =>
  eventually(async () => {
    const m = await messageNamed(convId, id)();
    return m && (m.status === "sent" || m.status === "failed") ? m : null;
  }, 10_000, "the reply to settle");

test("an agent's reply reaches Zalo as a consultation message, and Zalo's echo of it is not stored twice", async () => {
  const { user, conv } = await conversationWith("Nguyễn Thị Lan");
  const id = await reply(conv.id, "Dạ áo dài đỏ size M còn ạ, giá 850.000đ");
  const sent = await settled(conv.id, id);
  expect(sent.status).toBe("sent");
  const call = w.sim.sent.find((s) => s.user_id === user)!;
  expect(call.message).toEqual({ text: "Dạ áo dài đỏ size M còn ạ, giá 850.000đ" });
  expect(sent.external_id).toBe(call.message_id);
  // The simulator reports the send back as oa_send_text with the same msg_id, as Zalo does.
  await eventually(() => w.sim.deliveries.some((d) => d.event.event_name === "oa_send_text" && (d.event.message as any).msg_id === call.message_id && d.status === 200), 5000, "the echo");
  const out = (await w.messagesOf(conv.id)).filter((m: any) => m.direction === "out");
  expect(out.map((m: any) => m.id)).toEqual([id]);
});

test("a reply longer than Zalo's 2,000 characters goes out as two messages", async () => {
  const { user, conv } = await conversationWith("Trần Văn Minh");
  const long = `${"Chính sách đổi trả trong 7 ngày. ".repeat(40)}\n\n${"Giao hàng toàn quốc, miễn phí từ 500.000đ. ".repeat(20)}`;
  const m = await settled(conv.id, await reply(conv.id, long));
  expect(m.status).toBe("sent");
  const parts = w.sim.sent.filter((s) => s.user_id === user).map((s) => s.message.text as string);
  expect(parts).toHaveLength(2);
  expect(parts.every((p) => p.length <= 2000)).toBe(true);
  expect(parts.join("").replace(/\s+/g, "")).toBe(long.replace(/\s+/g, ""));
  // Both parts come back as oa_send_text echoes; they belong to the one reply already stored.
  const ids = w.sim.sent.filter((s) => s.user_id === user).map((s) => s.message_id);
  await eventually(() => ids.every((id) => w.sim.deliveries.some((d) => (d.event.message as any)?.msg_id === id && d.status === 200)), 5000, "both echoes");
  expect((await w.messagesOf(conv.id)).filter((x: any) => x.direction === "out")).toHaveLength(1);
});

test("-230: a customer who last wrote 8 days ago: the composer says so before sending, and Zalo's refusal fails the reply with the reason", async () => {
  const user = w.sim.addUser(undefined, { display_name: "Lê Thu Hương" });
  const eightDaysAgo = String(Date.now() - 8 * 24 * 3600_000);
  await w.sim.deliver({ ...w.sim.events.userText(user, "Shop ơi còn hàng không?"), timestamp: eightDaysAgo });
  const conv = await w.conversationOf(user);
  const composer = await w.pano.json(`/api/v1/conversations/${conv.id}/composer`);
  expect(composer).toMatchObject({ can_send: false, code: "outside_window" });
  expect(composer.reason.vi).toContain("7 ngày");
  expect(composer.reason.en).toContain("7 days");
  const m = await settled(conv.id, await reply(conv.id, "Dạ shop chào chị"));
  expect(m.status).toBe("failed");
  expect(m.error).toContain("within 7 days");
  expect(m.error).toContain("-230");
});

test("-213: a customer who unfollowed cannot be answered; the contact and the composer show why", async () => {
  const { user, conv } = await conversationWith("Phạm Quốc Dũng");
  expect((await w.pano.json(`/api/v1/conversations/${conv.id}/composer`)).can_send).toBe(true);
  await w.sim.unfollow(user);
  await eventually(async () => (await w.contactOf(user))?.identities.find((i: any) => i.external_id === user)?.follows === false, 5000, "the unfollow on the contact");
  const composer = await w.pano.json(`/api/v1/conversations/${conv.id}/composer`);
  expect(composer).toMatchObject({ can_send: false, code: "not_follower" });
  expect(composer.reason.vi).toContain("bỏ quan tâm");
  const m = await settled(conv.id, await reply(conv.id, "Dạ chị ơi"));
  expect(m.status).toBe("failed");
  expect(m.error).toContain("does not follow the OA");
  expect(w.sim.sendCalls().at(-1)!.body).toMatchObject({ recipient: { user_id: user } });
});

test("-227 and -201: a banned or long-inactive customer, and a message Zalo calls invalid, fail once with Zalo's reason", async () => {
  for (const [code, name, words] of [[-227, "Đinh Công Sơn", "inactive on Zalo for more than 45 days"], [-201, "Mạc Thị Yến", "rejected the message as invalid"]] as const) {
    const { user, conv } = await conversationWith(name);
    w.sim.failNext(code);
    const m = await settled(conv.id, await reply(conv.id, "Dạ shop chào anh/chị"));
    expect(m.status).toBe("failed");
    expect(m.error).toContain(words);
    expect(m.error).toContain(String(code));
    expect(w.sim.sendCalls().filter((c) => (c.body as { recipient: { user_id: string } }).recipient.user_id === user)).toHaveLength(1);
  }
});

test("-32: Zalo's rate limit is waited out with backoff and the reply is sent once", async () => {
  const { user, conv } = await conversationWith("Vũ Phương Thảo");
  const before = w.sim.sendCalls().length;
  w.sim.failNext(-32, 2);
  const m = await settled(conv.id, await reply(conv.id, "Dạ shop gửi chị mã giảm giá HOAMAI10"));
  expect(m.status).toBe("sent");
  const calls = w.sim.sendCalls().slice(before);
  expect(calls).toHaveLength(3);
  const gaps = [calls[1].at - calls[0].at, calls[2].at - calls[1].at];
  expect(gaps.every((g) => g > 0)).toBe(true);
  expect(w.sim.sent.filter((s) => s.user_id === user)).toHaveLength(1);
});

test("-211: an OA out of quota shows it on the channel for admins; replies are retried and the notice goes once one is sent", async () => {
  const { conv } = await conversationWith("Lâm Gia Huy");
  // Four refusals keep the notice up for about two seconds of backoff: long enough to be seen.
  w.sim.failNext(-211, 4);
  const id = await reply(conv.id, "Dạ shop xác nhận đơn của anh ạ");
  const flagged = await eventually(async () => {
    const ch = await w.pano.json(`/api/v1/channels/${w.channelId}`);
    return ch.status === "error" ? ch : null;
  }, 5000, "the channel showing the quota");
  expect(flagged.status_detail).toContain("out of message quota");
  expect((await settled(conv.id, id)).status).toBe("sent");
  const after = await w.pano.json(`/api/v1/channels/${w.channelId}`);
  expect(after).toMatchObject({ status: "active", status_detail: null });
});
