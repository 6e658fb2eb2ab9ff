// Stories of an agent's reply leaving Pano for Messenger under the 24-hour rule: RESPONSE inside
// the window, HUMAN_AGENT up to 7 days only when the Page has it, refusal (before any call) after.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { pendingSends } from "./support/outbox.ts";
import { startFacebookStory, psidOf, HOUR, DAY, type FacebookStory } from "./sim/facebook-pano.ts";

let s: FacebookStory;
beforeAll(async () => {
  s = await startFacebookStory();
});
afterAll(async () => {
  await s.stop();
});

const sendsTo = (psid: string) => s.sendsTo(psid);
const composer = (conv: string) => s.pano.json(`/api/v1/conversations/${conv}/composer`);
const allowHumanAgent = (on: boolean) => s.pano.json(`/api/v1/channels/${s.channelId}`, { method: "PATCH", json: { config: { allow_human_agent_tag: on } } });

test("a reply within 24 hours reaches Messenger as a RESPONSE with the agent's exact text", async () => {
  const psid = psidOf(1);
  const conv = await s.customerWroteAgo(psid, 2 * HOUR, "Shop ơi, đơn hàng của mình giao chưa?");
  expect(await composer(conv)).toMatchObject({ can_send: true, limit: 2000 });
  const reply = await s.reply(conv, "Dạ đơn của chị đã giao cho bên vận chuyển, mai chị nhận nhé ạ.");
  const sent = await s.settled(conv, reply.id, ["sent"]);
  const [call] = sendsTo(psid);
  expect(call.path).toBe(`/v25.0/${s.page.pageId}/messages`);
  expect(call.query.access_token).toBe(s.page.pageToken);
  expect(call.body).toEqual({
    recipient: { id: psid },
    messaging_type: "RESPONSE",
    message: { text: "Dạ đơn của chị đã giao cho bên vận chuyển, mai chị nhận nhé ạ.", metadata: `pano:${reply.id}` },
  });
  expect(sent.external_id).toMatch(/^m_/);
});

test("the echo of Pano's own send is recognised by its mid and not stored twice", async () => {
  const psid = psidOf(2);
  const conv = await s.customerWroteAgo(psid, HOUR);
  const reply = await s.reply(conv, "Dạ shop chào chị ạ");
  const sent = await s.settled(conv, reply.id, ["sent"]);
  // Meta echoes every message the Page sends; wait until Pano has acknowledged that echo.
  await eventually(() => s.sim.deliveries.some((d) => d.status === 200 && d.raw.includes(sent.external_id) && d.raw.includes('"is_echo":true')), 5000, "the echo");
  const out = (await s.messages(conv)).filter((m) => m.direction === "out");
  expect(out).toHaveLength(1);
  expect(out[0]).toMatchObject({ id: reply.id, external_id: sent.external_id, author: { type: "user" } });
});

test("a message the Page sent from Meta Business Suite appears as outgoing, authored Page", async () => {
  const psid = psidOf(3);
  const conv = await s.customerWroteAgo(psid, HOUR, "Cho mình hỏi giá sỉ");
  const d = await s.sim.pageSendsElsewhere(psid, "Dạ giá sỉ từ 10 cái là 250k/cái ạ");
  expect(d.status).toBe(200);
  const echo = await eventually(async () => (await s.messages(conv)).find((m) => m.direction === "out"), 3000, "the echo");
  expect(echo).toMatchObject({ text: "Dạ giá sỉ từ 10 cái là 250k/cái ạ", status: "sent", author: { type: "system", label: "Page" } });
  await s.sim.redeliver(d);
  expect((await s.messages(conv)).filter((m) => m.direction === "out")).toHaveLength(1);
  // Pano did not send anything itself.
  expect(sendsTo(psid)).toHaveLength(0);
});

test("a reply over 2,000 characters goes out as parts of at most 2,000, in order", async () => {
  const psid = psidOf(4);
  const conv = await s.customerWroteAgo(psid, HOUR, "Cho mình xin chính sách đổi trả đầy đủ");
  const paragraph = "Quý khách được đổi trả trong vòng 7 ngày kể từ khi nhận hàng nếu sản phẩm còn nguyên tem mác. ";
  const text = Array.from({ length: 45 }, (_, i) => `${i + 1}. ${paragraph}`).join("\n");
  expect(text.length).toBeGreaterThan(4000);
  const reply = await s.reply(conv, text);
  await s.settled(conv, reply.id, ["sent"]);
  const parts = sendsTo(psid).map((c) => c.body.message.text as string);
  expect(parts.length).toBe(3);
  for (const p of parts) expect(Array.from(p).length).toBeLessThanOrEqual(2000);
  expect(parts.join("\n").replace(/\s+/g, " ")).toBe(text.replace(/\s+/g, " ").trim());
  expect(sendsTo(psid).every((c) => c.body.messaging_type === "RESPONSE")).toBe(true);
  // Each part comes back as its own echo; the conversation still shows the one reply.
  await eventually(() => s.sim.deliveries.filter((d) => d.status === 200 && d.raw.includes(`pano:${reply.id}`)).length === 3, 5000, "three echoes");
  expect((await s.messages(conv)).filter((m) => m.direction === "out")).toHaveLength(1);
});

test("at 25 hours without Meta's HUMAN_AGENT approval the composer says why and nothing is sent", async () => {
  const psid = psidOf(5);
  const conv = await s.customerWroteAgo(psid, 25 * HOUR);
  const verdict = await composer(conv);
  expect(verdict).toMatchObject({ can_send: false, code: "human_agent_not_enabled" });
  expect(verdict.reason.vi).toContain("24 giờ");
  expect(verdict.reason.en).toContain("HUMAN_AGENT");
  const reply = await s.reply(conv, "Dạ shop xin lỗi trả lời muộn ạ");
  const failed = await s.settled(conv, reply.id, ["failed"]);
  expect(failed.error).toContain("24 hours");
  expect(sendsTo(psid)).toHaveLength(0);
});

test("at 25 hours with HUMAN_AGENT enabled, an agent's reply goes with MESSAGE_TAG + HUMAN_AGENT", async () => {
  await allowHumanAgent(true);
  try {
    const psid = psidOf(6);
    const conv = await s.customerWroteAgo(psid, 25 * HOUR);
    expect(await composer(conv)).toMatchObject({ can_send: true });
    const reply = await s.reply(conv, "Dạ shop xin lỗi trả lời muộn, mẫu này vẫn còn ạ");
    await s.settled(conv, reply.id, ["sent"]);
    const [call] = sendsTo(psid);
    expect(call.body).toMatchObject({ recipient: { id: psid }, messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT", message: { text: "Dạ shop xin lỗi trả lời muộn, mẫu này vẫn còn ạ" } });
  } finally {
    await allowHumanAgent(false);
  }
});

test("at 8 days even with HUMAN_AGENT the reply is refused with a reason, before any call to Facebook", async () => {
  await allowHumanAgent(true);
  try {
    const psid = psidOf(7);
    const conv = await s.customerWroteAgo(psid, 8 * DAY);
    const verdict = await composer(conv);
    expect(verdict).toMatchObject({ can_send: false, code: "outside_window" });
    expect(verdict.reason.vi).toContain("7 ngày");
    const reply = await s.reply(conv, "Chị ơi shop có hàng rồi ạ");
    const failed = await s.settled(conv, reply.id, ["failed"]);
    expect(failed.error).toContain("7 days");
    expect(sendsTo(psid)).toHaveLength(0);
  } finally {
    await allowHumanAgent(false);
  }
});

test("when Facebook itself says the window closed, the reply fails with that reason and is not retried", async () => {
  const psid = psidOf(8);
  const conv = await s.customerWroteAgo(psid, HOUR);
  s.sim.failNext("window");
  const reply = await s.reply(conv, "Dạ chị ơi");
  const failed = await s.settled(conv, reply.id, ["failed"]);
  expect(failed.error).toContain("outside the allowed messaging window");
  expect(pendingSends(s.pano, reply.id)).toBe(0); // nothing left to retry
  expect(sendsTo(psid)).toHaveLength(1);
});
