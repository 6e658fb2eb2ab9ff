// Stories of the OA's OAuth v4 tokens: Pano refreshes the access token before it expires and
// after Zalo refuses it, never spends the single-use refresh token twice (even with 20 replies in
// flight), keeps the new pair across a restart, and asks an admin to reconnect when the refresh
// token is dead.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";

let w: ZaloWorld;
// The token the OA was connected with expires in 5 minutes: inside Pano's refresh margin.
beforeAll(async () => void (w = await startZaloWorld({ expiresInMs: 5 * 60_000 })));
afterAll(async () => await w?.stop());

/** A follower writes in; their profile is fetched (an API call with the current token). */
async function newCustomer() {
  const user = w.sim.addUser(undefined, { display_name: "Đỗ Đức Quang" });
  await w.sim.userSays(user, "Shop ơi, đơn của em sao rồi?");
  const conv = await w.conversationOf(user);
  await eventually(async () => (await w.contactOf(user))?.name === "Đỗ Đức Quang", 5000, "the profile");
  return { user, conv };
}

async function reply(conv: { id: string }, text: string) {
  const m = await w.pano.json(`/api/v1/conversations/${conv.id}/messages`, { method: "POST", json: { text } });
  return { conv, id: m.id as string };
}

const replyToNewCustomer = async (text: string) => reply((await newCustomer()).conv, text);

const settled = (convId: string, id: string) =>
  eventually(async () => {
    const m = (await w.messagesOf(convId)).find((x: any) => x.id === id);
    return m && (m.status === "sent" || m.status === "failed") ? m : null;
  }, 10_000, "the reply to settle");

const lastSendToken = () => w.sim.sent.at(-1)!.access_token;

test("an access token about to expire is refreshed before anyone sends, and replies use the new one", async () => {
  await eventually(() => w.sim.tokens.refreshes === 1, 5000, "the early refresh");
  expect(w.sim.tokens.refreshLog[0].token).toBe(w.config.refresh_token);
  const { conv, id } = await replyToNewCustomer("Dạ đơn của anh đang giao ạ");
  expect((await settled(conv.id, id)).status).toBe("sent");
  expect(lastSendToken()).not.toBe(w.config.access_token);
  expect(w.sim.tokens.check(lastSendToken())).toBe(0);
  expect(w.sim.tokens.refreshes).toBe(1);
});

test("-216: a token Zalo revoked is refreshed once and the reply still goes out", async () => {
  const customer = await newCustomer();
  const revoked = lastSendToken();
  w.sim.tokens.revoke(revoked);
  const before = w.sim.tokens.refreshLog.length;
  const { conv, id } = await reply(customer.conv, "Dạ shop gửi anh mã vận đơn ạ");
  expect((await settled(conv.id, id)).status).toBe("sent");
  expect(w.sim.tokens.refreshLog.length - before).toBe(1);
  const calls = w.sim.sendCalls().slice(-2);
  expect(calls.map((c) => c.headers.access_token === revoked)).toEqual([true, false]);
});

test("20 replies in flight when the token expires spend the single-use refresh token exactly once", async () => {
  const customers = await Promise.all(Array.from({ length: 20 }, async () => {
    const user = w.sim.addUser();
    await w.sim.userSays(user, "Cho em hỏi phí ship");
    return { user, conv: await w.conversationOf(user) };
  }));
  w.sim.tokens.refreshDelayMs = 300; // a slow Zalo: every send is waiting while the refresh is out
  w.sim.tokens.expireAll();
  const before = w.sim.tokens.refreshLog.length;
  const ids = await Promise.all(customers.map(({ conv }) => w.pano.json(`/api/v1/conversations/${conv.id}/messages`, { method: "POST", json: { text: "Dạ phí ship 30.000đ ạ" } }).then((m) => m.id as string)));
  const results = await Promise.all(customers.map(({ conv }, i) => settled(conv.id, ids[i])));
  expect(results.map((m) => m.status)).toEqual(Array(20).fill("sent"));
  const spent = w.sim.tokens.refreshLog.slice(before);
  expect(spent).toHaveLength(1);
  expect(spent[0].ok).toBe(true);
  w.sim.tokens.refreshDelayMs = 0;
});

test("the refreshed pair survives a restart: no new refresh, no reconnect", async () => {
  const refreshes = w.sim.tokens.refreshLog.length;
  const token = lastSendToken();
  await w.restartPano();
  const { conv, id } = await replyToNewCustomer("Dạ shop đã nhận được thông tin ạ");
  expect((await settled(conv.id, id)).status).toBe("sent");
  expect(lastSendToken()).toBe(token);
  expect(w.sim.tokens.refreshLog.length).toBe(refreshes);
});

test("a dead refresh token flips the channel to needs_reconnect and the reply says why; pasted tokens bring it back", async () => {
  const customer = await newCustomer();
  w.sim.tokens.refreshRefusal = -14014;
  w.sim.tokens.expireAll();
  const { conv, id } = await reply(customer.conv, "Dạ shop kiểm tra ngay ạ");
  const m = await settled(conv.id, id);
  expect(m.status).toBe("failed");
  expect(m.error).toContain("reconnect");
  const ch = await w.pano.json(`/api/v1/channels/${w.channelId}`);
  expect(ch.status).toBe("needs_reconnect");
  expect(ch.status_detail).toContain("-14014");
  expect(JSON.stringify(ch)).not.toContain(w.config.oa_secret_key);

  // The admin's fallback: paste a fresh pair by hand.
  w.sim.tokens.refreshRefusal = null;
  const fresh = w.sim.channelConfig();
  const patched = await w.pano.json(`/api/v1/channels/${w.channelId}`, { method: "PATCH", json: { config: { access_token: fresh.access_token, refresh_token: fresh.refresh_token, token_expires_at: fresh.token_expires_at } } });
  expect(patched.status).toBe("active");
  const again = await replyToNewCustomer("Dạ shop xin lỗi vì trả lời chậm ạ");
  expect((await settled(again.conv.id, again.id)).status).toBe("sent");
  expect(lastSendToken()).toBe(fresh.access_token);
});
