// Notification rules on a real store with a clock the story sets. Lan holds a conversation whose
// team promises a first answer within 30 minutes; she is told once when it comes near (the last
// quarter) and once when it is missed, never twice, and nothing once she has answered. A recorded
// breach tells the team's supervisors. A channel that needs reconnecting tells the admins, not the
// agents, once per change. A note naming a team tells its members and lets them in.
import { expect, test } from "bun:test";
import { clockedStore, MIN } from "./support/clocked-store.ts";
import { tempDir } from "./support/pano.ts";
import { saveSlaPolicy } from "../src/store/sla-policies.ts";
import { Users } from "../src/store/users.ts";
import { Writer } from "../src/store/writer.ts";
import { findMentions, matchMentionables } from "../src/domain/mention.ts";
import { EventBus } from "../src/pipeline/events.ts";
import { Notifier } from "../src/pipeline/notify.ts";
import { slaDeliveries } from "../src/pipeline/sla-watch.ts";
import { loadVapidKeys, PushSender } from "../src/pipeline/web-push.ts";
import { listNotifications, pruneReadNotifications } from "../src/store/notifications.ts";
import { listConversations } from "../src/store/conversations.ts";
import { createReply } from "../src/store/outbound.ts";
import type { DomainEvent } from "../src/domain/events.ts";

function setting() {
  const s = clockedStore(Date.parse("2026-03-04T02:00:00Z"));
  const users = new Users(s.db, s.writer);
  const told: DomainEvent[] = [];
  const events = new EventBus();
  const nothingToFetch = async () => {
    throw new Error("no device subscribed: nothing is fetched");
  };
  const log = () => {};
  // The notifier's own writer on the same database, whose after-commit events are what the live stream would hear.
  const writer = new Writer(s.db, { windowMs: 0, max: 100, now: () => s.clock.t, afterCommit: (e) => told.push(...e) });
  const push = new PushSender({ db: s.db, writer, fetchOutside: nothingToFetch, keys: loadVapidKeys(tempDir()), subject: "mailto:pano@localhost.invalid", log });
  const notifier = new Notifier({ db: s.db, writer, events, users, push, log, channelName: () => "Zalo Shop" });
  return { ...s, users, notifier, told };
}

test("Lan is told once when her conversation's first answer is due soon, once when it is missed, and not after she answers", async () => {
  const s = setting();
  const ch = s.channel();
  const team = s.team("CSKH");
  const lan = s.user("Lan");
  s.db.query("INSERT INTO team_members (team_id, user_id) VALUES (?, ?)").run(team, lan);
  await saveSlaPolicy(s.db, s.writer, { team_id: team, priority: null, first_response_minutes: 30, next_response_minutes: null, resolution_minutes: null }, null, lan);
  const id = (await s.customer(ch, "kh-hoa", "Shop ơi đơn của mình đâu rồi?")).conversationId!;
  await s.update(id, { teamId: team, assigneeId: lan });
  const seen = new Set<string>();
  const look = async () => s.notifier.deliver(slaDeliveries(s.db, s.clock.t, seen));
  const mine = () => listNotifications(s.db, s.users.viewer(s.users.byId(lan)!), 50).filter((n) => n.kind === "sla").map((n) => JSON.parse(n.data));

  s.advance(20 * MIN);
  await look();
  expect(mine()).toEqual([]);

  s.advance(3 * MIN); // 7 of 30 minutes left: the last quarter
  await look();
  await look();
  expect(mine()).toEqual([expect.objectContaining({ target: "first_response", level: "amber" })]);
  const alert = s.told.find((e) => e.type === "notification.created" && e.alert)!;
  expect(alert).toMatchObject({ userId: lan, alert: { title: `Sắp trễ hạn phản hồi đầu tiên: Khách hàng #${id}`, body: "Shop ơi đơn của mình đâu rồi?", url: expect.stringMatching(/^\/notifications\/\d+\/open$/) } });

  s.advance(8 * MIN);
  await look();
  // A restart forgets what it told; the stored key still stops a second alert.
  await s.notifier.deliver(slaDeliveries(s.db, s.clock.t, new Set()));
  expect(mine().map((d) => d.level)).toEqual(["red", "amber"]);

  await s.reply(id, lan);
  s.advance(60 * MIN);
  await look();
  expect(mine()).toHaveLength(2);
});

test("a channel that needs reconnecting tells the admins, once per change, and no agent", async () => {
  const s = setting();
  const ch = s.channel("zalo", "Zalo Shop");
  const admin = s.user("Quản trị");
  s.db.query("UPDATE users SET role = 'admin' WHERE id = ?").run(admin);
  const agent = s.user("Minh");
  s.notifier.rememberChannel(ch);
  await s.notifier.onChannel(ch);
  s.db.query("UPDATE channels SET status = 'needs_reconnect' WHERE id = ?").run(ch);
  await s.notifier.onChannel(ch);
  await s.notifier.onChannel(ch); // a token refresh says the same again
  const of = (id: number) => listNotifications(s.db, s.users.viewer(s.users.byId(id)!), 50);
  expect(of(admin).map((n) => [n.kind, JSON.parse(n.data)])).toEqual([["channel", { channel: "Zalo Shop", status: "needs_reconnect" }]]);
  expect(of(agent)).toEqual([]);
  // Even a row written for an agent by mistake would not be shown to them: the bell checks the role.
  s.db.query("INSERT INTO notifications (user_id, kind, channel_id, data, created_at) VALUES (?, 'channel', ?, '{}', 0)").run(agent, ch);
  expect(of(agent)).toEqual([]);
});

test("a recorded breach tells the supervisors of the conversation's team, once, and no one else", async () => {
  const s = setting();
  const ch = s.channel();
  const team = s.team("CSKH");
  const other = s.team("Kho");
  const [lead, otherLead, agent] = [s.user("Trưởng nhóm"), s.user("Trưởng kho"), s.user("Minh")];
  for (const [u, t] of [[lead, team], [otherLead, other], [agent, team]] as const) s.db.query("INSERT INTO team_members (team_id, user_id) VALUES (?, ?)").run(t, u);
  s.db.query("UPDATE users SET role = 'supervisor' WHERE id IN (?, ?)").run(lead, otherLead);
  const id = (await s.customer(ch, "kh-lan", "Sao chưa ai trả lời vậy?")).conversationId!;
  await s.update(id, { teamId: team, assigneeId: agent });
  await s.notifier.onBreach(id, "first_response", team);
  await s.notifier.onBreach(id, "first_response", team);
  const of = (u: number) => listNotifications(s.db, s.users.viewer(s.users.byId(u)!), 50).map((n) => JSON.parse(n.data));
  expect(of(lead)).toEqual([expect.objectContaining({ target: "first_response", level: "red", preview: "Sao chưa ai trả lời vậy?" })]);
  expect(of(otherLead)).toEqual([]);
  expect(of(agent)).toEqual([]);
});

test("a note naming a team tells its active members (not the author, not someone who left) and lets them into that conversation", async () => {
  const s = setting();
  const ch = s.channel();
  const sales = s.team("Bán hàng");
  const store = s.team("Kho hàng");
  const [an, binh, chi, cu] = [s.user("Nguyễn Văn An"), s.user("Trần Thị Bình"), s.user("Hoàng Thị Chi"), s.user("Lê Văn Cũ")];
  s.db.query("INSERT INTO team_members (team_id, user_id) VALUES (?, ?), (?, ?), (?, ?), (?, ?)").run(sales, an, store, binh, store, chi, store, cu);
  s.db.query("UPDATE users SET disabled_at = 1 WHERE id = ?").run(cu);
  const id = (await s.customer(ch, "kh-hoa", "Hàng về chưa shop?")).conversationId!;
  await s.update(id, { teamId: sales, assigneeId: an });
  const viewerOf = (u: number) => s.users.viewer(s.users.byId(u)!);
  expect(listConversations(s.db, viewerOf(binh), {}, 10, null).rows.map((r) => r.id)).toEqual([]);
  const note = await s.writer.submit((tx) => createReply(tx, { conversationId: id, text: "@kho hang kiểm tra tồn kho giúp, cảm ơn @Trần Thị Bình", private: true, userId: an }));
  await s.notifier.onNote(note, id);
  await s.notifier.onNote(note, id); // the same event again: told once
  const mentions = (u: number) => listNotifications(s.db, viewerOf(u), 50).filter((n) => n.kind === "mention");
  expect(mentions(binh)).toHaveLength(1);
  expect(JSON.parse(mentions(binh)[0]!.data)).toMatchObject({ actor: "Nguyễn Văn An", preview: "@kho hang kiểm tra tồn kho giúp, cảm ơn @Trần Thị Bình" });
  expect(JSON.parse(mentions(chi)[0]!.data)).toMatchObject({ team: "Kho hàng" });
  const alert = s.told.find((e) => e.type === "notification.created" && e.userId === chi);
  expect(alert).toMatchObject({ alert: { title: "Nguyễn Văn An nhắc đến nhóm Kho hàng" } });
  expect(mentions(an)).toEqual([]);
  expect(s.db.query("SELECT count(*) AS n FROM notifications WHERE user_id = ?").get(cu)).toEqual({ n: 0 });
  for (const u of [binh, chi]) expect(listConversations(s.db, viewerOf(u), {}, 10, null).rows.map((r) => r.id)).toEqual([id]);
});

test("read notifications older than 90 days are let go; unread ones stay however old", async () => {
  const s = setting();
  const lan = s.user("Lan");
  const add = (readAt: number | null, at: number) => s.db.query("INSERT INTO notifications (user_id, kind, data, created_at, read_at) VALUES (?, 'assigned', '{}', ?, ?)").run(lan, at, readAt);
  const day = 86400_000;
  add(s.clock.t - 100 * day, s.clock.t - 100 * day); // read, old
  add(null, s.clock.t - 200 * day); // unread, older
  add(s.clock.t - day, s.clock.t - 10 * day); // read, recent
  expect(await s.writer.submit((tx) => pruneReadNotifications(tx, tx.now - 90 * day))).toBe(1);
  expect(s.db.query<{ read_at: number | null }, []>("SELECT read_at FROM notifications ORDER BY created_at").all().map((r) => r.read_at === null)).toEqual([true, false]);
});

test("how a note is read for mentions: folded, whole words, the longest name, never an email address", () => {
  const people = [
    { kind: "user" as const, id: 1, name: "Nguyễn Văn An" },
    { kind: "user" as const, id: 2, name: "An" },
    { kind: "team" as const, id: 7, name: "Kho hàng" },
    { kind: "user" as const, id: 3, name: "Đặng Thu Hà" },
  ];
  const ids = (text: string) => findMentions(text, people).map((m) => `${m.kind}:${m.id}`).sort();
  expect(ids("@nguyen van an xem giúp")).toEqual(["user:1"]);
  expect(ids("@An ơi, @KHO HÀNG kiểm tra")).toEqual(["team:7", "user:2"]);
  expect(ids("@dang thu ha và @Đặng Thu Hà")).toEqual(["user:3"]);
  expect(ids("gửi an@shop.vn giúp")).toEqual([]);
  expect(ids("@Anh Tuấn")).toEqual([]);
  expect(ids("@kho")).toEqual([]);
  // Typed in decomposed form (some input methods): found all the same.
  expect(ids("@Đặng Thu Hà".normalize("NFD"))).toEqual(["user:3"]);
  expect(matchMentionables("ngu", people).map((p) => p.id)).toEqual([1]);
  expect(matchMentionables("ha", people).map((p) => p.id)).toEqual([3, 7]); // by name, as Vietnamese sorts
});
