// Two Pano instances on one PostgreSQL: the work that must run once (a mailbox's IMAP poller, the
// Zalo token refresher, the timers) runs on the one that leads, moves to the other within seconds
// when the leader is killed, and Zalo's single-use refresh token is spent once however many
// instances need a new access token at the same moment (docs/scale-out-leadership.md).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPostgres, type PostgresCluster } from "./support/postgres.ts";
import { eventually, startPano, tempDir, type PanoProcess } from "./support/pano.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { startZaloSim, type ZaloSim } from "./sim/zalo.ts";
import { mail } from "./fixtures/email/mail.ts";

let cluster: PostgresCluster;
let dovecot: Dovecot;
let smtp: SmtpPeer;
let zalo: ZaloSim;
const running: PanoProcess[] = [];

beforeAll(async () => {
  [cluster, dovecot, smtp, zalo] = await Promise.all([startPostgres(), startDovecot(), startSmtpPeer(), startZaloSim()]);
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await Promise.all([cluster?.stop(), dovecot?.stop(), smtp?.stop(), zalo?.stop()]);
});

/**
 * Two instances on a new database. They share a data dir only for the channel secrets' key (until
 * that key lives in the database, docs/scale-out.md); each has its own process, port and sessions.
 */
async function twoInstances(env: Record<string, string> = {}): Promise<[PanoProcess, PanoProcess]> {
  const url = await cluster.createDatabase();
  lastDatabase = new URL(url).pathname.slice(1);
  const dataDir = tempDir();
  const start = async () => {
    const p = await startPano({ dataDir, env: { PANO_DATABASE_URL: url, PANO_LEADER_CHECK_MS: "200", ...env } });
    running.push(p);
    return p;
  };
  // One after the other: the first migrates, the second finds the database ready.
  const a = await start();
  return [a, await start()];
}

/** The name of the database twoInstances made last. */
let lastDatabase = "";

async function leads(p: PanoProcess): Promise<boolean> {
  const text = await (await fetch(`${p.url}/metrics`)).text();
  const m = /^pano_leader (\d)$/m.exec(text);
  if (!m) throw new Error("no pano_leader in /metrics");
  return m[1] === "1";
}

async function roles(ps: PanoProcess[]): Promise<{ leader: PanoProcess; follower: PanoProcess }> {
  const flags = await Promise.all(ps.map(leads));
  expect(flags.filter(Boolean)).toHaveLength(1);
  return { leader: ps[flags.indexOf(true)], follower: ps[flags.indexOf(false)] };
}

/** Pano's JSON log lines saying `msg` about channel `channelId`. */
function logged(p: PanoProcess, msg: string, channelId: number): Record<string, any>[] {
  return p.logs().split("\n").flatMap((line) => {
    if (!line.includes(msg)) return [];
    try {
      const l = JSON.parse(line);
      return l.msg === msg && l.channel_id === channelId ? [l] : [];
    } catch {
      return [];
    }
  });
}

test("an instance alone leads from its start, on SQLite as on PostgreSQL", async () => {
  const alone = await startPano({ env: { PANO_DATABASE_URL: await cluster.createDatabase() } });
  const embedded = await startPano({ env: { PANO_DATABASE_URL: "" } });
  running.push(alone, embedded);
  expect(await leads(alone)).toBe(true);
  expect(await leads(embedded)).toBe(true);
});

/** An email channel on its own Dovecot folder, connected through `through`. */
async function mailbox(through: PanoProcess, folder: string) {
  const c = dovecot.client();
  await c.connect();
  await c.mailboxCreate(folder).catch(() => {});
  await c.logout();
  const ch = await through.json("/api/v1/channels", {
    method: "POST",
    json: { type: "email", name: `Hộp thư ${folder}`, config: { imap: dovecot.imapConfig(folder), smtp: smtp.smtpConfig(), from_address: "shop@pano.test" } },
  });
  const conversationsOf = async (p: PanoProcess) => (await p.json(`/api/v1/conversations?status=all&channel_id=${ch.id}&limit=100`)).data as any[];
  return {
    channelId: Number(ch.id),
    conversationsOf,
    /** The messages of the conversation with this subject, once it exists. */
    async stored(p: PanoProcess, subject: string) {
      const conv = (await conversationsOf(p)).find((x) => x.subject === subject);
      return conv ? ((await p.json(`/api/v1/conversations/${conv.id}/messages`)).data as any[]) : null;
    },
    send: (subject: string) => dovecot.append([mail({ from: "Phan Thị Thu <thu@khach.vn>", subject, text: `${subject}: shop ơi, còn hàng không ạ?` })], folder),
  };
}

/** When an instance last logged `msg` (ISO time), or null. */
const lastLogged = (p: PanoProcess, msg: string) =>
  p.logs().split("\n").filter((l) => l.includes(`"msg":"${msg}"`)).map((l) => JSON.parse(l).time as string).at(-1) ?? null;

/** Mails an instance's poller logged as stored for the channel (logged after their commit). */
const syncedBy = (p: PanoProcess, channelId: number) => logged(p, "IMAP sync", channelId).reduce((n, l) => n + l.stored, 0);

test("of two instances exactly one leads; the mailbox is polled by the leader alone, and by the other within seconds of the leader's kill -9", async () => {
  const [a, b] = await twoInstances();
  const { leader, follower } = await roles([a, b]);

  // Connected through the instance that does not lead: the leader picks the new channel up.
  const { channelId, conversationsOf, stored, send } = await mailbox(follower, "Leadership");
  await send("Thư thứ nhất");
  expect(await eventually(() => stored(follower, "Thư thứ nhất"), 20_000, "the first mail")).toHaveLength(1);
  // The leader's poller has run again (the second mail is in): the first is still stored once, and
  // the other instance never opened the mailbox.
  await send("Thư thứ hai");
  await eventually(() => stored(leader, "Thư thứ hai"), 20_000, "the second mail");
  expect(await stored(leader, "Thư thứ nhất")).toHaveLength(1);
  await eventually(() => syncedBy(leader, channelId) === 2, 20_000, "the leader's log of both mails");
  expect(logged(follower, "IMAP sync", channelId)).toEqual([]);
  expect(follower.logs()).not.toContain("IMAP session");

  // The leader dies without a word: its PostgreSQL session ends, and the survivor takes over.
  running.splice(running.indexOf(leader), 1);
  const killedAt = Date.now();
  await leader.kill();
  await eventually(() => leads(follower), 30_000, "the survivor to lead");
  const tookOverMs = Date.now() - killedAt;
  expect(tookOverMs).toBeLessThan(30_000);
  expect(follower.logs()).toContain("leadership: this instance leads");

  await send("Thư thứ ba");
  expect(await eventually(() => stored(follower, "Thư thứ ba"), 20_000, "the third mail, polled by the survivor")).toHaveLength(1);
  await eventually(() => syncedBy(follower, channelId) === 1, 20_000, "the survivor's log of the third mail");
  // Nothing was fetched twice across the handover (the mailbox's place is kept in the database).
  const subjects = (await conversationsOf(follower)).map((x) => x.subject).sort();
  expect(subjects).toEqual(["Thư thứ ba", "Thư thứ hai", "Thư thứ nhất"]);
  for (const s of subjects) expect(await stored(follower, s)).toHaveLength(1);
});

test("the leader's database session is cut: it stops its work before another instance starts it, and mail is still stored once", async () => {
  const [a, b] = await twoInstances();
  const { leader } = await roles([a, b]);
  const { stored, send } = await mailbox(leader, "Cut");
  await send("Trước khi mất kết nối");
  await eventually(() => stored(leader, "Trước khi mất kết nối"), 20_000, "the first mail");

  // As in a PostgreSQL restart or failover: the lock is free at once, the old leader learns at its next check.
  const killed = await cluster.psql(lastDatabase, "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND classid = 1885433455 AND objid = 1 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
  expect(killed.trim()).toBe("1");
  const stoppedAt = await eventually(() => lastLogged(leader, "leadership: singleton work stopped"), 20_000, "the old leader to stop its work");
  const now = await eventually(async () => {
    const flags = await Promise.all([a, b].map(leads));
    return flags.filter(Boolean).length === 1 ? [a, b][flags.indexOf(true)] : null;
  }, 30_000, "one leader again");
  // Whoever leads now (the old leader again, or the other) started after the old leader had stopped.
  expect(lastLogged(now, "leadership: this instance leads; starting the singleton work")! >= stoppedAt).toBe(true);

  await send("Sau khi mất kết nối");
  expect(await eventually(() => stored(now, "Sau khi mất kết nối"), 20_000, "the mail after the cut")).toHaveLength(1);
  expect(await stored(now, "Trước khi mất kết nối")).toHaveLength(1);
});

test("Zalo: a token near expiry is refreshed by the leader alone, and two instances refused at once spend the refresh token once", async () => {
  const [a, b] = await twoInstances({ PANO_ZALO_API_URL: zalo.url, PANO_ZALO_OAUTH_URL: zalo.url, PANO_ZALO_ZNS_URL: zalo.url });
  const { leader, follower } = await roles([a, b]);
  const before = zalo.tokens.refreshLog.length;
  const newRefreshes = () => zalo.tokens.refreshLog.slice(before);

  // Connected through the follower with a token inside the refresh margin (5 minutes left).
  const config = zalo.channelConfig({ expiresInMs: 5 * 60_000 });
  const ch = await follower.json("/api/v1/channels", { method: "POST", json: { type: "zalo", name: "Shop Hoa Mai", config } });
  await eventually(() => newRefreshes().length === 1, 20_000, "the leader's early refresh");
  expect(newRefreshes()[0]).toMatchObject({ token: config.refresh_token, ok: true });
  // Logged once the new pair is committed: by the leader, whose refresher it was.
  await eventually(() => logged(leader, "zalo access token refreshed", Number(ch.id)).length === 1, 20_000, "the new pair stored");
  expect(logged(follower, "zalo access token refreshed", Number(ch.id))).toEqual([]);

  /** A follower writes in through `p`: Pano fetches their profile there, with the access token it has. */
  const customerWritesTo = async (p: PanoProcess, name: string) => {
    const user = zalo.addUser(undefined, { display_name: name });
    const event = zalo.events.userText(user, "Shop ơi, áo này còn size M không?");
    const raw = JSON.stringify(event);
    const res = await fetch(`${p.url}/webhooks/zalo`, { method: "POST", headers: zalo.signedHeaders(event, raw), body: raw });
    expect(res.status).toBe(200);
    return user;
  };
  const profileFetched = (p: PanoProcess, user: string, name: string) =>
    eventually(async () => {
      const list = await p.json(`/api/v1/contacts?q=${encodeURIComponent(user)}`);
      return list.data.some((c: any) => c.name === name);
    }, 20_000, `the profile of ${name}`);
  const detailCalls = () => zalo.requests.filter((r) => r.path === "/v3.0/oa/user/detail");

  // The follower uses the pair the leader stored; it never refreshes on its own.
  const first = await customerWritesTo(follower, "Võ Minh Khang");
  await profileFetched(follower, first, "Võ Minh Khang");
  const used = detailCalls().at(-1)!.headers.access_token;
  expect(used).not.toBe(config.access_token);
  expect(zalo.tokens.check(used)).toBe(0);
  expect(newRefreshes()).toHaveLength(1);

  // Zalo refuses every token at once while both instances are fetching profiles; the token
  // endpoint is slow, so each instance is still waiting for a new token when the other asks.
  zalo.tokens.refreshDelayMs = 300;
  zalo.tokens.expireAll();
  const mark = detailCalls().length;
  const names = ["Lý Thanh Tâm", "Đặng Hoài Nam", "Trịnh Bảo Ngọc", "Hồ Gia Huy"];
  const users = await Promise.all(names.map((n, i) => customerWritesTo(i % 2 ? leader : follower, n)));
  await Promise.all(users.map((u, i) => profileFetched(i % 2 ? leader : follower, u, names[i])));
  zalo.tokens.refreshDelayMs = 0;
  const spent = newRefreshes().slice(1);
  expect(spent).toHaveLength(1);
  expect(spent[0].ok).toBe(true);
  // Both instances went on with the one new token (the refused calls carried the expired one).
  const tokens = new Set(detailCalls().slice(mark).map((r) => r.headers.access_token));
  const valid = [...tokens].filter((t) => zalo.tokens.check(t) === 0);
  expect(valid).toHaveLength(1);
  expect(tokens.size).toBe(2);
  const channel = await leader.json(`/api/v1/channels/${ch.id}`);
  expect(channel.status).toBe("active");
});
