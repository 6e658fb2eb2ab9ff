// Stories of the Graph API misbehaving while an agent replies: expired tokens, rate limits,
// outages, dropped connections, slow answers. Each ends the way Meta's error says it should.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { pendingSends } from "./support/outbox.ts";
import { startFacebookStory, psidOf, HOUR, type FacebookStory } from "./sim/facebook-pano.ts";

let s: FacebookStory;
beforeAll(async () => {
  s = await startFacebookStory();
});
afterAll(async () => {
  await s.stop();
});

const sendsTo = (psid: string) => s.sendsTo(psid);

test("rate limiting (code 613) is retried with backoff and the reply ends sent, once", async () => {
  const psid = psidOf(1);
  const conv = await s.customerWroteAgo(psid, HOUR);
  s.sim.failNext("rate_limit", 2);
  const reply = await s.reply(conv, "Dạ shop gửi chị bảng giá ạ");
  const sent = await s.settled(conv, reply.id, ["sent"]);
  expect(sendsTo(psid)).toHaveLength(3);
  expect(sent.error).toBeUndefined();
  expect((await s.messages(conv)).filter((m) => m.direction === "out")).toHaveLength(1);
});

test("Facebook's 5xx and a dropped connection are retried until the reply is sent", async () => {
  const psid = psidOf(2);
  const conv = await s.customerWroteAgo(psid, HOUR);
  s.sim.failNext("server_error");
  s.sim.failNext("drop");
  const reply = await s.reply(conv, "Dạ đơn của anh đã lên ạ");
  await s.settled(conv, reply.id, ["sent"]);
  expect(sendsTo(psid)).toHaveLength(3);
  expect(sendsTo(psid).every((c) => c.body.message.text === "Dạ đơn của anh đã lên ạ")).toBe(true);
});

test("a slow Graph API holds up neither the customer's next messages nor the reply's outcome", async () => {
  const psid = psidOf(3);
  const conv = await s.customerWroteAgo(psid, HOUR);
  s.sim.setSlowMs(1500);
  s.sim.failNext("slow");
  const reply = await s.reply(conv, "Dạ chị chờ shop một chút nhé");
  await eventually(() => sendsTo(psid).length === 1, 3000, "the send call");
  // While Facebook sits on the send, the customer writes again and is stored at once.
  const { delivery } = await s.sim.customerSays(psid, "Shop ơi?");
  expect(delivery.status).toBe(200);
  const during = (await s.messages(conv)).find((m) => m.id === reply.id);
  expect(during.status).toBe("queued");
  expect((await s.messages(conv)).some((m) => m.text === "Shop ơi?")).toBe(true);
  await s.settled(conv, reply.id, ["sent"]);
});

test("a person who is unavailable (code 551) fails the reply with a reason, without retrying", async () => {
  const psid = psidOf(4);
  const conv = await s.customerWroteAgo(psid, HOUR);
  s.sim.failNext("unavailable");
  const reply = await s.reply(conv, "Dạ chị ơi");
  const failed = await s.settled(conv, reply.id, ["failed"]);
  expect(failed.error).toContain("not available on Messenger");
  expect(pendingSends(s.pano, reply.id)).toBe(0); // nothing left to retry
  expect(sendsTo(psid)).toHaveLength(1);
});

test("an invalid parameter (code 100) fails the reply with Meta's words, without retrying", async () => {
  const psid = psidOf(6);
  const conv = await s.customerWroteAgo(psid, HOUR);
  s.sim.failNext("invalid");
  const reply = await s.reply(conv, "Dạ shop gửi chị link đặt hàng ạ");
  const failed = await s.settled(conv, reply.id, ["failed"]);
  expect(failed.error).toContain("(#100) Invalid parameter");
  expect(pendingSends(s.pano, reply.id)).toBe(0); // nothing left to retry
  expect(sendsTo(psid)).toHaveLength(1);
});

test("an expired Page token (code 190) fails the reply readably and flags the channel until it is reconnected", async () => {
  const psid = psidOf(5);
  const conv = await s.customerWroteAgo(psid, HOUR);
  s.sim.failNext("token");
  const reply = await s.reply(conv, "Dạ shop cảm ơn chị");
  const failed = await s.settled(conv, reply.id, ["failed"]);
  expect(failed.error).toContain("reconnect the Facebook Page");
  const channel = await eventually(async () => {
    const c = await s.pano.json(`/api/v1/channels/${s.channelId}`);
    return c.status === "needs_reconnect" ? c : null;
  }, 3000, "needs_reconnect");
  expect(channel.status_detail).toContain("token");
  const metrics = await (await fetch(`${s.pano.url}/metrics`)).text();
  expect(metrics).toContain(`pano_channel_up{channel_id="${s.channelId}",type="facebook",status="needs_reconnect"} 0`);

  // The admin pastes a fresh token: the channel is active again and replies go out.
  s.sim.renewToken("EAAGfresh-token-after-reconnect-0001");
  const updated = await s.pano.json(`/api/v1/channels/${s.channelId}`, { method: "PATCH", json: { config: { page_access_token: "EAAGfresh-token-after-reconnect-0001" } } });
  expect(updated.status).toBe("active");
  const again = await s.reply(conv, "Dạ shop gửi lại ạ");
  await s.settled(conv, again.id, ["sent"]);
  expect(sendsTo(psid).at(-1)?.query.access_token).toBe("EAAGfresh-token-after-reconnect-0001");
});
