// bench/inbox: with 100,000 conversations and 1,000,000 messages stored (BENCH_N scales the
// conversations; 10 messages each, one conversation holds 10,000), time the server-side render of
//   - the inbox list fragment (GET /inbox/list: session, query, rows, HTML),
//   - the 10,000-message conversation opening on its latest 50 (GET /conversations/:id), and
//   - an older page of it, as loaded when the agent scrolls up (GET /conversations/:id/older),
// through the real Hono app in-process, beside the bare SQL query each one needs, in the same run.
// The seeded data dir is kept under the temp dir, keyed by N and the schema, so re-runs start at once.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { loadConfig } from "../src/config.ts";
import { createPano, type Pano } from "../src/pano.ts";
import { buildApp } from "../src/web/app.ts";
import { migrations } from "../src/store/migrations.ts";
import { QUEUE_KEY_SQL } from "../src/store/conversations.ts";
import { benchSize } from "./processes.ts";
import { percentile } from "./load.ts";

const LONG = 10_000;
const PER_CONVERSATION = 10;
const SEED_VERSION = 3; // bump when seed() changes shape
const ADMIN = { email: "bench@pano.test", password: "bench-password-123", name: "Bench", role: "admin" as const };

/** Straight SQL from recursive sequences, one transaction: about a million rows in seconds. */
function seed(db: import("bun:sqlite").Database, conversations: number, channelId: number, now: number) {
  const seq = (n: number) => `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n})`;
  db.exec("BEGIN");
  db.run(`INSERT INTO contacts (id, name, search, created_at, updated_at)
    ${seq(conversations)} SELECT i, 'Khách hàng ' || i, 'khach hang ' || i, ?1 - (${conversations} - i) * 30000, ?1 FROM seq`, [now]);
  // Status cycles open, open, pending, resolved, resolved; every 97th is urgent (rank 0).
  db.run(`INSERT INTO conversations (id, channel_id, contact_id, status, priority, priority_rank, urgent, labels, last_message_at,
      last_inbound_at, waiting_since, last_preview, unread_count, message_count, created_at, updated_at)
    ${seq(conversations)} SELECT i, ?2, i, CASE i % 5 WHEN 0 THEN 'resolved' WHEN 1 THEN 'open' WHEN 2 THEN 'open' WHEN 3 THEN 'pending' ELSE 'resolved' END,
      CASE WHEN i % 97 = 0 THEN 'urgent' ELSE 'normal' END, CASE WHEN i % 97 = 0 THEN 0 ELSE 2 END, i % 97 = 0,
      CASE WHEN i % 7 = 0 THEN '["giao-hang"]' ELSE '[]' END, ts, ts, CASE WHEN i % 3 THEN ts END,
      'Shop ơi, đơn hàng #' || (100000 + i) || ' của mình giao chưa ạ?', i % 4, CASE WHEN i = 1 THEN ${LONG} ELSE ${PER_CONVERSATION} END, ts, ts
    FROM (SELECT i, ?1 - (${conversations} - i) * 30000 AS ts FROM seq)`, [now, channelId]);
  const messages = (convFilter: string, count: number) => db.run(`INSERT INTO messages (conversation_id, channel_id, direction, private, author_type, author_id, text, status, created_at)
    ${seq(count)}, k(x) AS (SELECT i - 1 FROM seq)
    SELECT c.id, c.channel_id, CASE WHEN x % 2 THEN 'out' ELSE 'in' END, 0, CASE WHEN x % 2 THEN 'user' ELSE 'contact' END,
      CASE WHEN x % 2 THEN 1 ELSE c.contact_id END,
      'Tin nhắn ' || x || ' của cuộc trò chuyện ' || c.id || ': cho mình hỏi về đơn hàng và phí giao hàng nhé',
      CASE WHEN x % 2 THEN 'sent' ELSE 'received' END, c.last_message_at - (${count} - x) * 1000
    FROM conversations c, k WHERE ${convFilter} ORDER BY c.id, x`);
  messages("c.id = 1", LONG);
  messages("c.id > 1", PER_CONVERSATION);
  // The seeded texts are not in the full-text index (this bench measures lists and timelines): the
  // search thread is told they are done, or it would spend the measured minutes indexing a million.
  db.run("UPDATE search_position SET message_id = (SELECT max(id) FROM messages) WHERE id = 1");
  db.exec("COMMIT");
  db.exec("ANALYZE");
}

async function openSeeded(conversations: number): Promise<{ pano: Pano; adminId: number; seededIn: string }> {
  const dir = join(tmpdir(), `pano-bench-inbox-n${conversations}-s${migrations.length}-v${SEED_VERSION}`);
  const marker = join(dir, "bench-seeded.json");
  const fresh = !existsSync(marker);
  if (fresh) {
    // Seeds for an older schema of the same size are dead weight (a few hundred MB each).
    for (const old of readdirSync(tmpdir())) if (old.startsWith(`pano-bench-inbox-n${conversations}-`)) rmSync(join(tmpdir(), old), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  const config = loadConfig({ ...process.env, PANO_DATA_DIR: dir, PANO_PUBLIC_URL: "http://127.0.0.1", PANO_LOG_LEVEL: "error" });
  const pano = await createPano(config);
  if (!fresh) return { pano, adminId: pano.users.byEmail(ADMIN.email)!.id, seededIn: `cached at ${dir}` };
  const t0 = performance.now();
  const admin = await pano.users.create(ADMIN);
  const ch = await pano.channels.create("api", "bench", {});
  seed(pano.store.sqlite, conversations, ch.id, Date.now());
  writeFileSync(marker, JSON.stringify({ conversations, at: new Date().toISOString() }));
  return { pano, adminId: admin.id, seededIn: `seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s into ${dir}` };
}

async function time(n: number, fn: () => unknown | Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await fn(); // warm caches and JIT
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

const fmt = (label: string, page: number[], bare: number[]) => {
  const p50 = percentile(page, 50), p99 = percentile(page, 99), b50 = percentile(bare, 50), b99 = percentile(bare, 99);
  return `${label}: render p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms | bare SQL p50 ${b50.toFixed(3)} ms, p99 ${b99.toFixed(3)} ms | ratio p50 ${(p50 / Math.max(b50, 0.001)).toFixed(1)}x, p99 ${(p99 / Math.max(b99, 0.001)).toFixed(1)}x`;
};

export async function run() {
  const conversations = benchSize(100_000);
  const { pano, adminId, seededIn } = await openSeeded(conversations);
  try {
    const db = pano.store.sqlite;
    const counts = db.query<{ c: number; m: number }, []>("SELECT (SELECT count(*) FROM conversations) AS c, (SELECT count(*) FROM messages) AS m").get()!;
    console.log(`${counts.c} conversations, ${counts.m} messages: ${seededIn}`);

    const app = buildApp(pano);
    const session = await pano.users.createSession(adminId, false);
    const headers = { cookie: `pano_session=${session.id}`, "hx-request": "true" };
    const get = async (path: string) => {
      const r = await app.request(path, { headers });
      if (r.status !== 200) throw new Error(`${path} -> ${r.status}`);
      return r.text();
    };
    const runs = Number(process.env.BENCH_RUNS ?? 200);
    console.log(`unit of work: one page render through the Hono app in this process (no HTTP socket, no load generator), one at a time x ${runs}, beside the one SQL query that page needs`);

    // The bare queries are the ones the pages run (store/conversations.ts, store/messages.ts).
    const listSql = db.prepare(`SELECT c.* FROM conversations c WHERE 1 AND c.status = ? ORDER BY ${QUEUE_KEY_SQL}, c.id LIMIT ?`);
    const listBare = await time(runs, () => listSql.all("open", 41));
    const listPage = await time(runs, () => get("/inbox/list"));
    const openCount = Math.round(conversations * 0.4);
    console.log(fmt(`bench/inbox list fragment (open queue of ${openCount}, 40 rows)`, listPage, listBare));

    // Filters an agent uses all day: a label (a JSON array per row) and a search by name or text.
    const labelSql = db.prepare(`SELECT c.* FROM conversations c WHERE 1 AND c.status = ? AND EXISTS (SELECT 1 FROM json_each(c.labels) WHERE value = ?) ORDER BY ${QUEUE_KEY_SQL}, c.id LIMIT ?`);
    const labelBare = await time(runs, () => labelSql.all("open", "giao-hang", 41));
    const labelPage = await time(runs, () => get("/inbox/list?label=giao-hang"));
    console.log(fmt(`bench/inbox list filtered by a label (1 in 7)`, labelPage, labelBare));
    const searchSql = db.prepare(`SELECT c.* FROM conversations c WHERE 1 AND c.status = ? AND (EXISTS (SELECT 1 FROM contacts k WHERE k.id = c.contact_id AND k.search LIKE ?)
      OR c.subject LIKE ? OR c.last_preview LIKE ?) ORDER BY ${QUEUE_KEY_SQL}, c.id LIMIT ?`);
    const needle = String(100_000 + Math.floor(conversations / 2));
    const searchBare = await time(runs, () => searchSql.all("open", `%${needle}%`, `%${needle}%`, `%${needle}%`, 41));
    const searchPage = await time(runs, () => get(`/inbox/list?q=${needle}`));
    console.log(fmt(`bench/inbox search by order number (scans the open queue)`, searchPage, searchBare));

    const longSql = db.prepare("SELECT * FROM messages WHERE conversation_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
    const longBare = await time(runs, () => longSql.all(1, Number.MAX_SAFE_INTEGER, 51));
    const longPage = await time(runs, () => get("/conversations/1"));
    console.log(fmt(`bench/inbox conversation of ${LONG} messages (latest 50)`, longPage, longBare));

    const middle = db.query<{ id: number }, []>(`SELECT id FROM messages WHERE conversation_id = 1 ORDER BY id LIMIT 1 OFFSET ${LONG / 2}`).get()!.id;
    const olderBare = await time(runs, () => longSql.all(1, middle, 51));
    const olderPage = await time(runs, () => get(`/conversations/1/older?before=${middle}`));
    console.log(fmt(`bench/inbox older page of it (50 before message ${LONG / 2})`, olderPage, olderBare));
    console.log(`targets: list p50 < 20 ms, long conversation p50 < 30 ms`);
    return { list: percentile(listPage, 50), conversation: percentile(longPage, 50), older: percentile(olderPage, 50) };
  } finally {
    await pano.stop();
  }
}

if (import.meta.main) await run();
