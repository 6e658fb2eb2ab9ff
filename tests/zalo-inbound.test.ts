// Stories of what Zalo sends Pano: a follower's first message opens a conversation under their Zalo
// name, every kind of message arrives readable, and whatever is forged, broken or unknown is
// refused or kept, never silently lost.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";
import { attachments, newMsgId } from "./sim/zalo.ts";
import { userSends } from "./sim/zalo-events.ts";

let w: ZaloWorld;
beforeAll(async () => void (w = await startZaloWorld()));
afterAll(async () => await w?.stop());

test("a follower's first text opens a conversation that shows their Zalo display name and avatar", async () => {
  const lan = w.sim.addUser(undefined, { display_name: "Nguyễn Thị Lan" });
  const d = await w.sim.userSays(lan, "Shop ơi, áo dài size M còn màu đỏ không ạ?");
  expect(d.status).toBe(200);
  const conv = await w.conversationOf(lan);
  expect(conv.channel_id).toBe(w.channelId);
  expect(conv.status).toBe("open");
  const [m] = await w.messagesOf(conv.id);
  expect(m).toMatchObject({ direction: "in", text: "Shop ơi, áo dài size M còn màu đỏ không ạ?", external_id: d.event.message && (d.event.message as any).msg_id });
  // The profile is fetched after the commit, from user detail.
  const contact = await eventually(async () => ((await w.contactOf(lan))?.name === "Nguyễn Thị Lan" ? w.contactOf(lan) : null), 5000, "the Zalo name");
  expect(contact.avatar_url).toBe(w.sim.user(lan)!.avatar);
  expect(w.sim.requests.some((r) => r.path === "/v3.0/oa/user/detail" && r.query.data === JSON.stringify({ user_id: lan }))).toBe(true);
});

test("images, files, stickers, GIFs, voice, video, locations and links all arrive in the conversation", async () => {
  const minh = w.sim.addUser(undefined, { display_name: "Trần Văn Minh" });
  const img = w.sim.fileUrl("ao-dai.jpg");
  const pdf = w.sim.fileUrl("bao-gia.pdf");
  const sends: [string, Parameters<typeof w.sim.userSends>[2]][] = [
    ["image", { text: "Mẫu này còn không shop?", attachments: [attachments.image(img)] }],
    ["file", { attachments: [attachments.file(pdf, "bao-gia.pdf", 48)] }],
    ["sticker", { attachments: [attachments.sticker("bfe3c7e0d2a53bfb62b4", img)] }],
    ["gif", { attachments: [attachments.gif(img)] }],
    ["audio", { attachments: [attachments.audio(img)] }],
    ["video", { attachments: [attachments.video(img)] }],
    ["location", { attachments: [attachments.location("10.7769", "106.7009")] }],
    ["link", { attachments: [attachments.link("https://shophoamai.vn/ao-dai-do", "Áo dài đỏ")] }],
  ];
  for (const [kind, m] of sends) expect((await w.sim.userSends(kind, minh, m)).status).toBe(200);
  const conv = await w.conversationOf(minh);
  const msgs = await eventually(async () => {
    const all = await w.messagesOf(conv.id);
    return all.length === sends.length ? all : null;
  }, 5000, "eight messages");
  const kinds = msgs.map((m: any) => m.attachments[0]?.kind ?? "text");
  expect(kinds).toEqual(["image", "file", "sticker", "image", "audio", "video", "text", "text"]);
  expect(msgs[0].text).toBe("Mẫu này còn không shop?");
  expect(msgs[1].attachments[0]).toMatchObject({ name: "bao-gia.pdf", content_type: "application/pdf" });
  expect(msgs[3].attachments[0].content_type).toBe("image/gif");
  expect(msgs[6].text).toContain("10.7769,106.7009");
  expect(msgs[7].text).toContain("https://shophoamai.vn/ao-dai-do");
  expect(msgs.every((m: any) => m.direction === "in" && !m.unsupported)).toBe(true);
});

test("follow and unfollow show on the contact", async () => {
  const huong = w.sim.addUser(undefined, { display_name: "Lê Thu Hương" });
  await w.sim.userSays(huong, "Chào shop");
  await w.conversationOf(huong);
  const follows = async () => (await w.contactOf(huong))?.identities.find((i: any) => i.external_id === huong)?.follows;
  expect((await w.sim.unfollow(huong)).status).toBe(200);
  await eventually(async () => (await follows()) === false, 5000, "unfollowed");
  expect((await w.sim.follow(huong)).status).toBe(200);
  await eventually(async () => (await follows()) === true, 5000, "followed again");
});

test("what the OA sends from Zalo's own tools is stored as outgoing; seen and received update its status", async () => {
  const dung = w.sim.addUser(undefined, { display_name: "Phạm Quốc Dũng" });
  await w.sim.userSays(dung, "Shop gửi em số tài khoản nhé");
  const conv = await w.conversationOf(dung);
  const msgId = newMsgId();
  const echo = await w.sim.oaSendsElsewhere(dung, "Dạ, STK 0123456789 Vietcombank ạ", msgId);
  expect(echo.status).toBe(200);
  await w.sim.redeliver(echo);
  const out = await eventually(async () => (await w.messagesOf(conv.id)).filter((m: any) => m.direction === "out"), 5000, "the echo");
  expect(out).toHaveLength(1);
  expect(out[0]).toMatchObject({ text: "Dạ, STK 0123456789 Vietcombank ạ", external_id: msgId });
  await w.sim.receipts(dung, [msgId], false);
  await eventually(async () => (await w.messagesOf(conv.id)).find((m: any) => m.external_id === msgId)?.status === "delivered", 5000, "delivered");
  await w.sim.receipts(dung, [msgId], true);
  await eventually(async () => (await w.messagesOf(conv.id)).find((m: any) => m.external_id === msgId)?.status === "read", 5000, "read");
});

test("a redelivered webhook stores nothing new", async () => {
  const thao = w.sim.addUser();
  const first = await w.sim.userSays(thao, "Đơn #1234 của em đâu rồi shop?");
  const again = await w.sim.redeliver(first);
  expect(again.status).toBe(200);
  const conv = await w.conversationOf(thao);
  expect(await w.messagesOf(conv.id)).toHaveLength(1);
});

test("a forged signature is refused with 401 and nothing is stored", async () => {
  const forged = await w.sim.deliver(w.sim.events.userText("99990000111", "giả mạo"), { signature: "wrong" });
  expect(forged.status).toBe(401);
  expect(JSON.parse(forged.answer).error.code).toBe("bad_signature");
  const unsigned = await w.sim.deliver(w.sim.events.userText("99990000111", "không chữ ký"), { signature: "missing" });
  expect(unsigned.status).toBe(401);
  expect(await w.contactOf("99990000111")).toBeNull();
});

test("an event for an OA Pano does not know is acknowledged and logged, not stored", async () => {
  const e = userSends({ appId: w.sim.appId, oaId: "1111111111111111111" }, "text", "88880000222", { text: "nhầm OA" });
  const d = await w.sim.deliver(e);
  expect(d.status).toBe(200);
  expect(await w.contactOf("88880000222")).toBeNull();
  await eventually(() => w.pano.logs().includes("1111111111111111111"), 3000, "the unknown OA in the log");
});

test("a body that is not JSON is refused with 400", async () => {
  const r = await fetch(`${w.pano.url}/webhooks/zalo`, { method: "POST", headers: { "content-type": "application/json", "x-zevent-signature": "mac=00" }, body: '{"event_name":"user_send_text",' });
  expect(r.status).toBe(400);
  expect((await r.json()).error.code).toBe("invalid_json");
});

test("an event Pano does not understand is kept as unsupported content, not dropped", async () => {
  const mai = w.sim.addUser();
  await w.sim.userSays(mai, "Shop ơi");
  const d = await w.sim.otherEvent(mai, "user_submit_info", { info: { name: "Mai", phone: "0912345678" } });
  expect(d.status).toBe(200);
  const conv = await w.conversationOf(mai);
  const msgs = await eventually(async () => {
    const all = await w.messagesOf(conv.id);
    return all.length === 2 ? all : null;
  }, 5000, "the unsupported event");
  expect(msgs[1]).toMatchObject({ direction: "in", unsupported: true });
  expect(msgs[1].text).toContain("user_submit_info");
});
