// Stories of a customer who comes back: within the team's reopen window the conversation reopens,
// after it a new conversation linked to the earlier one starts, and a "thanks" reopens nothing.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ADMIN, startPano, type PanoProcess } from "./support/pano.ts";
import { isShortThanks, landingOf } from "../src/domain/conversation-lifecycle.ts";
import { getConversation } from "../src/store/conversations.ts";
import { clockedStore, HOUR, MIN } from "./support/clocked-store.ts";

const previousOf = (s: ReturnType<typeof clockedStore>, id: number) =>
  s.db.query<{ p: number | null }, [number]>("SELECT previous_conversation_id AS p FROM conversations WHERE id = ?").get(id)!.p;

test("short thanks are recognised with or without diacritics; questions and requests are not", () => {
  for (const t of ["cảm ơn shop", "Cám ơn shop nhiều ạ!", "thanks", "Thank you so much", "ok shop", "Oke ạ 👍", "camon b nha", "dạ vâng ạ", "👍"]) expect([t, isShortThanks(t)]).toEqual([t, true]);
  for (const t of ["cảm ơn shop, còn size M không?", "ok shop gửi mình 2 cái", "shop ơi", "đơn của mình đâu rồi", "", "dạ"]) expect([t, isShortThanks(t)]).toEqual([t, false]);
  const base = { status: "resolved", resolvedAt: 0, reopenWindowMinutes: 60, text: "còn hàng không", automatic: false, hasAttachments: false };
  expect(landingOf({ ...base, at: 59 * MIN })).toBe("reopen");
  expect(landingOf({ ...base, at: 60 * MIN })).toBe("new");
  expect(landingOf({ ...base, at: 5 * HOUR, text: "cảm ơn shop" })).toBe("keep_resolved");
  expect(landingOf({ ...base, status: "open", at: 5 * HOUR })).toBe("append");
});

test("a message within the window reopens; after it a new linked conversation opens with its own first response and resolution", async () => {
  const s = clockedStore();
  const ch = s.channel();
  const lan = s.user("Lan");
  const first = await s.customer(ch, "khach-1", "Áo này còn size M không shop?");
  s.advance(5 * MIN);
  await s.reply(first.conversationId!, lan);
  s.advance(10 * MIN);
  await s.update(first.conversationId!, { status: "resolved" }, lan);
  const resolvedAt = s.clock.t;

  // 23 h later (default window 24 h): the same conversation reopens.
  s.advance(23 * HOUR);
  const again = await s.customer(ch, "khach-1", "Shop ơi cho mình đổi sang size L");
  expect(again.conversationId).toBe(first.conversationId);
  let c = getConversation(s.db, first.conversationId!)!;
  expect(c.status).toBe("open");
  expect(c.resolved_at).toBeNull();
  expect(resolvedAt).toBeLessThan(s.clock.t);
  s.advance(2 * MIN);
  await s.reply(first.conversationId!, lan);
  await s.update(first.conversationId!, { status: "resolved" }, lan);

  // A thanks an hour later is stored on the resolved conversation, which stays resolved.
  s.advance(HOUR);
  const thanks = await s.customer(ch, "khach-1", "Cảm ơn shop nhiều ạ");
  expect(thanks.conversationId).toBe(first.conversationId);
  c = getConversation(s.db, first.conversationId!)!;
  expect(c.status).toBe("resolved");
  expect(c.waiting_since).toBeNull();

  // Two days later: a new conversation, linked to the earlier one, with its own timings.
  s.advance(48 * HOUR);
  const openedAt = s.clock.t;
  const later = await s.customer(ch, "khach-1", "Mình muốn đặt thêm 2 áo");
  expect(later.conversationId).not.toBe(first.conversationId);
  c = getConversation(s.db, later.conversationId!)!;
  expect(previousOf(s, later.conversationId!)).toBe(first.conversationId!);
  expect(c.status).toBe("open");
  expect(c.created_at).toBe(openedAt);
  expect(c.first_response_at).toBeNull();
  s.advance(3 * MIN);
  await s.reply(later.conversationId!, lan);
  expect(getConversation(s.db, later.conversationId!)!.first_response_at).toBe(openedAt + 3 * MIN);
  expect(getConversation(s.db, first.conversationId!)!.status).toBe("resolved");
  // Further messages join the new conversation, not the old one.
  const more = await s.customer(ch, "khach-1", "Giao trong tuần nhé");
  expect(more.conversationId).toBe(later.conversationId);
});

test("a team's own reopen window applies (minutes)", async () => {
  const s = clockedStore();
  const ch = s.channel();
  const team = s.team("CSKH", 30);
  const a = await s.customer(ch, "khach-2", "Cho mình hỏi phí ship");
  await s.update(a.conversationId!, { teamId: team, status: "resolved" });
  s.advance(31 * MIN);
  const b = await s.customer(ch, "khach-2", "Thêm câu hỏi nữa");
  expect(b.conversationId).not.toBe(a.conversationId);
  expect(previousOf(s, b.conversationId!)).toBe(a.conversationId!);
});

let pano: PanoProcess;
beforeAll(async () => {
  pano = await startPano();
});
afterAll(async () => {
  await pano.stop();
});

test("a team's reopen_window (minutes) is set and read through the API; conversations carry previous_conversation_id", async () => {
  const team = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Đổi trả", reopen_window: 90 } });
  expect(team.reopen_window).toBe(90);
  expect((await pano.json("/api/v1/teams", { method: "POST", json: { name: "Bán hàng" } })).reopen_window).toBe(24 * 60);
  expect((await pano.api("/api/v1/teams", { method: "POST", json: { name: "X", reopen_window: -1 } })).status).toBe(422);
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Web" } });
  const ids = await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "k", external_message_id: "k-1", text: "Xin chào" } });
  expect((await pano.json(`/api/v1/conversations/${ids.conversation_id}`)).previous_conversation_id).toBeNull();
});

test("after the window the customer's next message opens a linked conversation, and the agent sees the earlier one above it", async () => {
  const team = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Ngay lập tức", reopen_window: 0 } });
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Cửa hàng" } });
  const first = await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "chi-mai", external_message_id: "mai-1", text: "Áo len còn màu đỏ không?" } });
  await pano.json(`/api/v1/conversations/${first.conversation_id}`, { method: "PATCH", json: { team_id: team.id, status: "resolved" } });
  const thanks = await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "chi-mai", external_message_id: "mai-2", text: "cảm ơn shop ạ" } });
  expect(thanks.conversation_id).toBe(first.conversation_id);
  expect((await pano.json(`/api/v1/conversations/${first.conversation_id}`)).status).toBe("resolved");
  const next = await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "chi-mai", external_message_id: "mai-3", text: "Mình muốn đổi size" } });
  expect(next.conversation_id).not.toBe(first.conversation_id);
  expect((await pano.json(`/api/v1/conversations/${next.conversation_id}`)).previous_conversation_id).toBe(first.conversation_id);

  const login = await fetch(`${pano.url}/login`, { method: "POST", redirect: "manual", body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password, next: "/inbox" }) });
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  const html = await (await fetch(`${pano.url}/conversations/${next.conversation_id}`, { headers: { cookie, "hx-request": "true" } })).text();
  expect(html).toContain("Các cuộc hội thoại trước (1)");
  expect(html).toContain(`hx-get="/conversations/${first.conversation_id}"`);
  expect(html.indexOf("earlier-conversations")).toBeLessThan(html.indexOf("Mình muốn đổi size"));
});
