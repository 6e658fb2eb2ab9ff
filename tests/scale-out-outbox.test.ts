// Stories of replies sent by several Pano instances sharing one PostgreSQL (docs/scale-out-outbox.md):
// every instance runs a sender, yet each reply goes out once and in its conversation's order; two
// claims at the same instant never split a conversation between them; an instance killed while
// it holds replies leaves them to the survivor once its lease runs out.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Database } from "bun:sqlite";
import { sharedPostgres, type PostgresCluster } from "./support/postgres.ts";
import { eventually, startPano, tempDir, type PanoProcess } from "./support/pano.ts";
import { psidOf, startFacebookStory, type FacebookStory } from "./sim/facebook-pano.ts";
import { startWebhookReceiver } from "./support/webhook-receiver.ts";
import { openStore, type Store } from "../src/store/db.ts";
import { applyInbound } from "../src/store/inbound.ts";
import { claimDue, createReply, markRetry, renewLeases } from "../src/store/outbound.ts";
import { claimDeliveries, insertDelivery, recordAttempt, wakeStrandedHeads } from "../src/store/webhook-deliveries.ts";
import type { Tx } from "../src/store/writer.ts";

const LEASE_MS = 5000;
let pg: PostgresCluster;
// Two real Pano processes on one database, sharing a data dir for the channel's sealed secrets.
let fb: FacebookStory;
let second: PanoProcess;
let url: string;
beforeAll(async () => void (pg = await sharedPostgres()), 60_000);
afterAll(async () => {
  await second?.stop();
  await fb?.stop();
  await pg?.stop();
});

/** A write on one instance's connection, as the writer would run it: one transaction at `now`. */
const write = <T>(db: Database, now: number, fn: (tx: Tx) => T): T => db.transaction(() => fn({ db, now, emit: () => {} }))();

/** Two instances' store connections on a new database, as two Pano processes hold them. */
async function twoInstances(story: (a: Store, b: Store) => void): Promise<void> {
  const url = await pg.createDatabase();
  const [a, b]: Store[] = [openStore(tempDir(), { databaseUrl: url }), openStore(tempDir(), { databaseUrl: url })];
  try {
    story(a, b);
  } finally {
    a.close();
    b.close();
  }
}

test("two instances claiming at the same instant: one takes a conversation's first reply, the other takes none of that conversation; a dead instance's claim comes back first and alone", () =>
  twoInstances((a, b) => {
    const T = Date.now();
    const channel = Number(a.sqlite.query("INSERT INTO channels (type, name, config_enc, created_at) VALUES ('api', 'Cửa hàng', '', ?)").run(T).lastInsertRowid);
    const conversationOf = (who: string) => write(a.sqlite, T, (tx) =>
      applyInbound(tx, [{ kind: "message", channelId: channel, externalMessageId: `m-${who}`, direction: "in", contact: { externalId: who }, text: "Shop ơi", attachments: [], occurredAt: new Date(T) }], new Map()))[0].conversationId!;
    const lan = conversationOf("lan");
    const minh = conversationOf("minh");
    const reply = (conversationId: number, text: string) => write(a.sqlite, T, (tx) => createReply(tx, { conversationId, text, private: false, userId: null }));
    const lanReplies = [reply(lan, "Dạ chị Lan"), reply(lan, "Đơn đã đóng gói"), reply(lan, "Giao chiều nay ạ")];
    const minhReplies = [reply(minh, "Dạ anh Minh"), reply(minh, "Còn size M ạ")];

    // A's claim takes Lan's first reply and has not committed yet when B claims.
    a.sqlite.exec("BEGIN");
    const byA = claimDue({ db: a.sqlite, now: T, emit: () => {} }, 1, LEASE_MS);
    expect(byA.map((r) => r.message_id)).toEqual([lanReplies[0]]);
    const byB = write(b.sqlite, T, (tx) => claimDue(tx, 10, LEASE_MS));
    // Not Lan's second reply (SKIP LOCKED alone would skip her first and take it): only Minh's.
    expect(byB.map((r) => r.message_id)).toEqual(minhReplies);
    a.sqlite.exec("COMMIT");
    // Committed, A's lease keeps Lan's conversation A's: her later replies wait behind it.
    expect(write(b.sqlite, T + 1, (tx) => claimDue(tx, 10, LEASE_MS))).toEqual([]);

    // A dies. Once the leases run out, B takes each conversation's tried reply first, and alone.
    const later = T + LEASE_MS + 1;
    const again = write(b.sqlite, later, (tx) => claimDue(tx, 10, LEASE_MS));
    expect(again.map((r) => r.message_id).sort()).toEqual([lanReplies[0], minhReplies[0]].sort());
    expect(again.find((r) => r.message_id === lanReplies[0])!.attempts).toBe(2);
    // A comes back from a stall and renews what it held: the reply is B's now, A is told so.
    const renewal = write(a.sqlite, later, (tx) => renewLeases(tx, [{ id: byA[0].id, until: T + LEASE_MS }], later + LEASE_MS));
    expect([...renewal.lost]).toEqual([byA[0].id]);
    expect(renewal.renewed.size).toBe(0);
    // B's own renewal, with the lease B gave it, holds.
    const own = again.find((r) => r.message_id === lanReplies[0])!;
    expect([...write(b.sqlite, later, (tx) => renewLeases(tx, [{ id: own.id, until: later + LEASE_MS }], later + 2 * LEASE_MS)).renewed]).toEqual([own.id]);
    // Messenger turns it away for a moment: while it waits for its retry no instance sends Lan
    // anything; once due, it goes alone, before her later replies.
    write(b.sqlite, later, (tx) => markRetry(tx, own.id, lanReplies[0], later + 1000, "rate limited"));
    expect(write(a.sqlite, later + 500, (tx) => claimDue(tx, 10, LEASE_MS)).map((r) => r.message_id)).not.toContain(lanReplies[1]);
    expect(write(a.sqlite, later + 1000, (tx) => claimDue(tx, 10, LEASE_MS)).filter((r) => r.conversation_id === lan).map((r) => r.message_id)).toEqual([lanReplies[0]]);
  }), 60_000);

test("two instances claiming outgoing webhook deliveries at the same instant lease different ones, and only the head of each resource's chain; a head their writes left waiting is woken", () =>
  twoInstances((a, b) => {
    const T = Date.now();
    const hook = Number(a.sqlite.query("INSERT INTO webhooks (url, events, secret_enc, created_at, updated_at) VALUES ('https://crm.example/hook', '[\"*\"]', 'x', ?1, ?1)").run(T).lastInsertRowid);
    const deliver = (uid: string, resource: string, db = a.sqlite) => write(db, T, (tx) =>
      insertDelivery(tx, { uid, webhookId: hook, event: "message.created", resource, payload: "{}", expiresAt: T + 3600_000 }));
    for (let i = 0; i < 6; i++) deliver(`c${i}-1`, `conversation:${i}`);
    deliver("c0-2", "conversation:0");
    // Two instances wrote conversation 9's events at once: each found the chain empty and made its own due.
    for (const uid of ["c9-1", "c9-2"]) write(a.sqlite, T, (tx) => tx.db.query("INSERT INTO webhook_deliveries (uid, webhook_id, event, resource, payload, due_at, expires_at, created_at) VALUES (?, ?, 'message.created', 'conversation:9', '{}', ?, ?, ?)").run(uid, hook, T, T + 3600_000, T));

    a.sqlite.exec("BEGIN");
    const byA = claimDeliveries({ db: a.sqlite, now: T, emit: () => {} }, 3, 60_000).map((d) => d.uid);
    const byB = write(b.sqlite, T, (tx) => claimDeliveries(tx, 10, 60_000)).map((d) => d.uid);
    a.sqlite.exec("COMMIT");
    expect(byA.length).toBe(3);
    expect(byA.filter((uid) => byB.includes(uid))).toEqual([]);
    expect([...byA, ...byB].sort()).toEqual(["c0-1", "c1-1", "c2-1", "c3-1", "c4-1", "c5-1", "c9-1"]);
    expect(write(b.sqlite, T + 1, (tx) => claimDeliveries(tx, 10, 60_000))).toEqual([]);

    // A records conversation 1's delivery as delivered while B writes the conversation's next event:
    // B still sees the first one pending and puts its own behind it, A finds nothing behind it yet.
    const row = a.sqlite.query<{ id: number }, []>("SELECT id FROM webhook_deliveries WHERE uid = 'c1-1'").get()!;
    const ok = { ok: true, status: 200, body: null, error: null, durationMs: 5, retryAt: null };
    a.sqlite.exec("BEGIN");
    recordAttempt({ db: a.sqlite, now: T + 2, emit: () => {} }, { id: row.id, webhook_id: hook, resource: "conversation:1" }, ok);
    deliver("c1-2", "conversation:1", b.sqlite);
    a.sqlite.exec("COMMIT");
    // Left without a due time, nothing ahead of it: the sender's sweep makes it due.
    expect(write(b.sqlite, T + 3, (tx) => claimDeliveries(tx, 10, 60_000))).toEqual([]);
    expect(write(b.sqlite, T + 3, (tx) => wakeStrandedHeads(tx, T - 60_000))).toBe(1);
    expect(write(b.sqlite, T + 3, (tx) => claimDeliveries(tx, 10, 60_000)).map((d) => d.uid)).toEqual(["c1-2"]);
  }), 60_000);

const lines = ["Dạ shop chào anh chị", "Đơn đã được đóng gói", "Shipper lấy hàng chiều nay", "Anh chị nhận trong 2 ngày ạ"];

/** What Messenger received for a customer, in the order the calls arrived. */
const textsTo = (psid: string) => fb.sendsTo(psid).map((c) => c.body.message.text as string);
/** A resend after a kill shows as the same text twice in a row; anything else is a fault. */
const collapsed = (texts: string[]) => texts.filter((t, i) => t !== texts[i - 1]);

async function customers(from: number, n: number): Promise<{ psid: string; conversationId: string }[]> {
  return Promise.all(Array.from({ length: n }, async (_, i) => {
    const psid = psidOf(from + i);
    return { psid, conversationId: await fb.customerWroteAgo(psid, 1000, `Shop ơi, đơn số ${from + i} sao rồi ạ?`) };
  }));
}

/** Every reply of these conversations is sent, as the instance's API shows them. */
function allMarkedSent(pano: PanoProcess, people: { conversationId: string }[]) {
  return eventually(async () => {
    for (const p of people) {
      const out = (await pano.json(`/api/v1/conversations/${p.conversationId}/messages?limit=100`)).data.filter((m: any) => m.direction === "out");
      if (!out.every((m: any) => m.status === "sent")) return false;
    }
    return true;
  }, 20_000, "every reply marked sent");
}

test("two instances running: replies queued through both are each sent exactly once, in order per conversation, and the CRM hears of each once, in order", async () => {
  url = await pg.createDatabase();
  const env = { PANO_DATABASE_URL: url, PANO_OUTBOX_LEASE_MS: String(LEASE_MS) };
  fb = await startFacebookStory({ env });
  // The shop's CRM takes every event; both instances write deliveries and both send them.
  const crm = startWebhookReceiver({ secret: "bi-mat-cua-crm" });
  await fb.pano.json("/api/v1/webhooks", { method: "POST", json: { url: crm.url, events: ["message.created", "message.updated"], secret: "bi-mat-cua-crm" } });
  second = await startPano({ dataDir: fb.pano.dataDir, env: { ...env, PANO_FACEBOOK_GRAPH_URL: fb.sim.url } });
  const people = await customers(0, 12);
  // A few sends answer after more than a lease: their lanes must keep their claims meanwhile.
  fb.sim.setSlowMs(LEASE_MS + 1500);
  fb.sim.failNext("slow", 3);
  const instances = [fb.pano, second];
  const replies: string[] = [];
  // Each agent writes in order, alternating instances line by line; all conversations at once.
  await Promise.all(people.map(async (p, n) => {
    for (const [i, line] of lines.entries()) replies.push((await instances[(n + i) % 2].json(`/api/v1/conversations/${p.conversationId}/messages`, { method: "POST", json: { text: line } })).id);
  })).catch((err) => {
    // What the instances logged says why a reply was refused (the answer only names the class).
    for (const pano of instances) console.error(pano.logs().split("\n").filter((l) => /"level":"(warn|error)"/.test(l)).slice(-10).join("\n"));
    throw err;
  });
  await eventually(() => people.every((p) => textsTo(p.psid).length >= lines.length), 60_000, "every reply on Messenger");
  for (const p of people) expect(textsTo(p.psid)).toEqual(lines);
  await allMarkedSent(second, people);
  expect(people.every((p) => textsTo(p.psid).length === lines.length)).toBe(true);

  // Each reply is told to the CRM as queued, then as sent: a conversation's events in order.
  const told = (id: string) => crm.deliveries.filter((d) => d.verified && d.body.data?.id === id).map((d) => `${d.event}:${d.body.data.status}`);
  await eventually(() => replies.every((id) => told(id).includes("message.updated:sent")), 30_000, "every reply told to the CRM as sent");
  for (const id of replies) expect(told(id)[0]).toBe("message.created:queued");
  const ids = crm.deliveries.map((d) => d.id);
  expect(new Set(ids).size).toBe(ids.length);
  crm.stop();
}, 180_000);

test("an instance killed while its replies are in flight: the survivor sends them once their lease runs out, in order, and re-sends only what may already have gone", async () => {
  // The survivor is started once the doomed instance holds the replies, so which instance claimed what is known.
  await second.stop();
  const people = await customers(100, 5);
  // Each conversation's first reply reaches Messenger and hangs there until the instance is dead.
  fb.sim.setSlowMs(30_000);
  fb.sim.failNext("slow", people.length);
  for (const line of lines.slice(0, 3)) await Promise.all(people.map((p) => fb.reply(p.conversationId, line)));
  await eventually(() => people.every((p) => textsTo(p.psid).length === 1), 20_000, "each first reply in flight");
  const claimedAt = Date.now();
  second = await startPano({ dataDir: fb.pano.dataDir, env: { PANO_DATABASE_URL: url, PANO_OUTBOX_LEASE_MS: String(LEASE_MS), PANO_FACEBOOK_GRAPH_URL: fb.sim.url } });
  const upAt = Date.now();
  // The doomed instance renews its claims while the survivor runs, past the lease they were claimed
  // with (without renewals the survivor would have taken them by then), and the survivor sends nothing.
  const leases = async () => Number(await pg.psql(new URL(url).pathname.slice(1), "SELECT coalesce(min(lease_until), 0) FROM outbox WHERE lease_until IS NOT NULL"));
  await eventually(async () => Date.now() > claimedAt + LEASE_MS && (await leases()) > upAt + LEASE_MS, 20_000, "the claims renewed while both instances run");
  expect(people.map((p) => textsTo(p.psid).length)).toEqual(people.map(() => 1));

  await fb.pano.kill();
  await eventually(() => people.every((p) => collapsed(textsTo(p.psid)).length === 3), 60_000, "the survivor sending every reply");
  for (const p of people) {
    const texts = textsTo(p.psid);
    expect(collapsed(texts)).toEqual(lines.slice(0, 3));
    // The one reply that was on its way when the instance died may arrive twice (Messenger has no
    // idempotency key); the replies it only held are sent once.
    expect(texts.length).toBeLessThanOrEqual(4);
    expect(texts.slice(-2)).toEqual(lines.slice(1, 3));
  }
  await allMarkedSent(second, people);
}, 180_000);
