// bench/reports: the manager's dashboard over 90 days at BENCH_REPORTS_N messages (default
// BENCH_N, else 1,000,000) in a tenth as many conversations, 8 agents, replies by whoever wrote them.
// Unit of work: one view over the 90 days, read from the same database on every line; the ratio is
// each line's p50 over the bare SQL's.
// Prints, in the same run:
//   - the dashboard as the page builds it (summary with credit, by channel and agent, SLA, the
//     four chart series and the heatmap) from the hourly roll-ups (store/report-rollups.ts), with
//     the pages the connection keeps from view to view (report-rollups-read.ts), after the last
//     hour's conversations were written again (their pages read again), and with nothing kept
//     (every page read, as the first view after a start),
//   - the same from the raw rows (what every view cost before the roll-ups; same figures, checked),
//   - beside the bare SQL over the same raw rows (count and average first-response per day, no
//     credit, no percentiles): the floor of what reading the rows costs,
//   - the ingest cost of keeping the roll-ups: CPU ms per message of the same group-committed
//     writes (customer messages and agent replies through applyInbound / createReply) with the
//     roll-up hook and its triggers on vs off.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { openStore } from "../src/store/db.ts";
import { conversationFacts, messageFacts } from "../src/store/reports.ts";
import { creditByAgent } from "../src/domain/reports.ts";
import { series, seriesOf, weekdayHourCounts } from "../src/domain/report-series.ts";
import { summaryWithRows } from "../src/web/report-summary.ts";
import { rebuildRollups } from "../src/store/report-rollups.ts";
import { queueNow } from "../src/store/reports.ts";
import { forgetKeptPages, rollupRows } from "../src/store/report-rollups-read.ts";
import { Writer } from "../src/store/writer.ts";
import { applyInbound } from "../src/store/inbound.ts";
import { createReply } from "../src/store/outbound.ts";
import type { Pano } from "../src/pano.ts";
import { percentile } from "./load.ts";
import { benchSize } from "./processes.ts";

const DAY = 86400_000;

export function fill(dir: string, n: number, now: number) {
  const store = openStore(dir, { synchronous: "NORMAL" });
  const db = store.sqlite;
  for (let ch = 1; ch <= 3; ch++) db.run("INSERT INTO channels (id, type, name, config_enc, created_at) VALUES (?1, ?2, ?3, '', ?4)", [ch, ["zalo", "facebook", "email"][ch - 1], `kênh ${ch}`, now]);
  for (let u = 1; u <= 8; u++) db.run("INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?1, ?2, ?3, 'x', ?4)", [u, `a${u}@b.test`, `Nhân viên ${u}`, now]);
  const convs = Math.max(1, Math.floor(n / 10));
  const start = now - 90 * DAY;
  const started = performance.now();
  const contact = db.prepare("INSERT INTO contacts (id, name, search, created_at, updated_at) VALUES (?1, ?2, ?2, ?3, ?3)");
  const conv = db.prepare(`INSERT INTO conversations (id, channel_id, contact_id, status, assignee_id, team_id, last_message_at, first_response_at, resolved_at, created_at, updated_at)
    VALUES (?1, ?2, ?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)`);
  const msg = db.prepare("INSERT INTO messages (conversation_id, channel_id, direction, author_type, author_id, text, status, created_at) VALUES (?, ?, ?, ?, ?, 'x', ?, ?)");
  const per = Math.floor(n / convs);
  for (let c = 1; c <= convs; c += 1000) {
    db.transaction(() => {
      for (let k = c; k < Math.min(convs + 1, c + 1000); k++) {
        let x = (k * 2654435761) >>> 0;
        const created = start + Math.floor(((k - 1) / convs) * 90 * DAY);
        const ch = (k % 3) + 1;
        const assignee = (k % 8) + 1;
        let t = created;
        let first: number | null = null;
        const rows: [boolean, number, number][] = [];
        for (let m = 0; m < per; m++) {
          x = (x * 1103515245 + 12345) >>> 0;
          const out = m % 2 === 1;
          t += 30_000 + (x % 600_000);
          // Now and then a colleague answers instead of the assignee.
          const writer = x % 5 === 0 ? ((assignee % 8) + 1) : assignee;
          if (out && first === null) first = t;
          rows.push([out, writer, t]);
        }
        const resolved = k % 4 ? t + 60_000 : null;
        contact.run(k, `Khách ${k}`, created);
        conv.run(k, ch, resolved ? "resolved" : "open", assignee, (k % 2) + 1, t, first, resolved, created);
        for (const [out, writer, at] of rows) msg.run(k, ch, out ? "out" : "in", out ? "user" : "contact", out ? writer : k, out ? "sent" : "received", at);
      }
    })();
  }
  return { store, convs, ms: performance.now() - started };
}

/** The dashboard page's data: the summary and its charts from one read, and the queue now. */
function dashboardView(pano: Pano, range: { from: number; to: number }, raw: boolean) {
  const q: Record<string, string> = { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
  const { summary, rows } = summaryWithRows(pano, (n) => q[n], raw);
  const input = { ...rows, slaMs: 3600_000, now: Date.now() };
  const charts = seriesOf(["conversations_opened", "first_response_seconds", "resolution_seconds", "sla_breaches"], "day", range, "Asia/Ho_Chi_Minh", input);
  weekdayHourCounts(rows.conversations.openedIn(range), "Asia/Ho_Chi_Minh");
  queueNow(pano.store.sqlite, {});
  return { summary, charts };
}

/**
 * CPU ms per message of the same writes with the roll-ups kept and without (hook removed,
 * triggers dropped): customers writing in CONVS conversations, every other message an agent's
 * reply, submitted 500 at a time as concurrent webhooks would be, group-committed as Pano does.
 */
export async function ingestCost(n: number) {
  const CONVS = 2_000;
  const side = async (on: boolean, round: number) => {
    const dir = mkdtempSync(join(tmpdir(), "pano-bench-rollup-ingest-"));
    const store = openStore(dir, { synchronous: "NORMAL" });
    try {
      const db = store.sqlite;
      db.run("INSERT INTO channels (id, type, name, config_enc, created_at) VALUES (1, 'api', 'API', '', 0)");
      for (let u = 1; u <= 8; u++) db.run("INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?1, ?2, ?3, 'x', 0)", [u, `a${u}@b.test`, `Nhân viên ${u}`]);
      const writer = new Writer(db, { windowMs: 2, max: 500, afterCommit: () => {} });
      if (!on) {
        writer.setBeforeCommit("report-rollups", undefined);
        for (const { name } of db.query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'report_dirty_%'").all()) db.run(`DROP TRIGGER ${name}`);
      }
      const conv = new Map<number, number>();
      let seq = 0;
      const customer = (k: number) => writer.submit((tx) => applyInbound(tx, [{ kind: "message", channelId: 1, externalMessageId: `r${round}-${++seq}`, direction: "in", contact: { externalId: `c${k}` }, text: "Cho mình hỏi giá", attachments: [], occurredAt: new Date() }], new Map()));
      const reply = (k: number) => writer.submit((tx) => createReply(tx, { conversationId: conv.get(k)!, text: "Dạ shop trả lời ạ", private: false, userId: (k % 8) + 1 }));
      // Every customer's conversation exists before the timed writes (both sides alike).
      for (let k = 0; k < CONVS; k += 500) await Promise.all(Array.from({ length: Math.min(500, CONVS - k) }, (_, j) => customer(k + j).then(([r]) => void conv.set(k + j, r.conversationId!))));
      const cpu = process.cpuUsage();
      const t = performance.now();
      for (let i = 0; i < n; i += 500) {
        const jobs: Promise<unknown>[] = [];
        for (let j = i; j < Math.min(n, i + 500); j++) {
          const k = (j * 7919) % CONVS;
          jobs.push(j % 2 ? reply(k) : customer(k));
        }
        await Promise.all(jobs);
      }
      const used = process.cpuUsage(cpu);
      const wall = performance.now() - t;
      writer.close();
      return { cpuMsPerMsg: (used.user + used.system) / 1000 / n, perSecond: n / (wall / 1000) };
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const on: number[] = [];
  const off: number[] = [];
  let rate = { on: 0, off: 0 };
  // Alternated, so load from other work on the machine falls on both sides alike.
  for (let round = 0; round < 3; round++) {
    const a = await side(false, round);
    const b = await side(true, round);
    off.push(a.cpuMsPerMsg);
    on.push(b.cpuMsPerMsg);
    rate = { off: rate.off + a.perSecond / 3, on: rate.on + b.perSecond / 3 };
  }
  on.sort((a, b) => a - b);
  off.sort((a, b) => a - b);
  const med = (xs: number[]) => xs[1];
  console.log(`ingest cost of the roll-ups, ${n.toLocaleString("en")} writes (half customer messages, half agent replies) into ${CONVS.toLocaleString("en")} conversations, median of 3 alternated pairs:`);
  console.log(`  roll-ups off (hook removed, triggers dropped): CPU ${med(off).toFixed(3)} ms/msg, ${Math.round(rate.off).toLocaleString("en")} msg/s`);
  console.log(`  roll-ups on: CPU ${med(on).toFixed(3)} ms/msg, ${Math.round(rate.on).toLocaleString("en")} msg/s  (${((med(on) / med(off) - 1) * 100).toFixed(0)}% more CPU per message)`);
}

export async function run() {
  const n = Number(process.env.BENCH_REPORTS_N ?? benchSize(1_000_000));
  const base = mkdtempSync(join(tmpdir(), "pano-bench-reports-"));
  const now = Date.now();
  try {
    const { store, convs, ms } = fill(base, n, now);
    const db = store.sqlite;
    console.log(`rows: ${n.toLocaleString("en")} messages in ${convs.toLocaleString("en")} conversations over 90 days (filled in ${(ms / 1000).toFixed(1)} s)`);
    const built = performance.now();
    const r = await rebuildRollups(db, (work) => db.transaction(() => work(db)).immediate());
    console.log(`roll-ups built from the raw rows (pano reports rebuild): ${r.conversations.toLocaleString("en")} conversations, ${r.pages.toLocaleString("en")} hour pages in ${((performance.now() - built) / 1000).toFixed(1)} s`);
    // The fill's write-ahead log copied into the database, as Pano's checkpoints do between writes:
    // every read would otherwise look each page up in a log of a million messages first.
    db.run("PRAGMA wal_checkpoint(TRUNCATE)");
    const pano = {
      store,
      users: { list: () => Array.from({ length: 8 }, (_, i) => ({ id: i + 1, name: `Nhân viên ${i + 1}` })) },
      channels: { get: (id: number) => ({ name: `kênh ${id}` }) },
    } as unknown as Pano;
    const range = { from: now - 90 * DAY, to: now };
    const time = (f: () => unknown) => {
      const t = performance.now();
      f();
      return performance.now() - t;
    };
    // CPU time too: steadier than wall time on a machine shared with other work.
    const cpuOf = (f: () => unknown, into: number[]) => {
      const c = process.cpuUsage();
      const wall = time(f);
      const used = process.cpuUsage(c);
      into.push((used.user + used.system) / 1000);
      return wall;
    };
    const bare = db.query(
      `SELECT (created_at / 86400000) AS day, count(*) AS opened, avg(first_response_at - created_at) AS fr FROM conversations
       WHERE created_at >= ? AND created_at < ? GROUP BY day`,
    );
    const bareMessages = db.query("SELECT count(*) AS replies FROM messages WHERE direction = 'out' AND created_at >= ? AND created_at < ?");
    // Warm the page cache; and the two ways must agree on every figure.
    const a = JSON.stringify(dashboardView(pano, range, false));
    const b = JSON.stringify(dashboardView(pano, range, true));
    if (a !== b) throw new Error("the roll-ups' dashboard differs from the raw rows'");
    if (process.env.BENCH_REPORTS_PARTS) {
      console.log(`  conversationFacts ${time(() => conversationFacts(db, range, {})).toFixed(1)} ms, messageFacts ${time(() => messageFacts(db, range, {})).toFixed(1)} ms`);
      const msgs = messageFacts(db, range, {});
      console.log(`  creditByAgent ${time(() => creditByAgent(msgs, range)).toFixed(1)} ms`);
      console.log(`  rollupRows ${time(() => rollupRows(db, range, {})).toFixed(1)} ms, summary (roll-ups) ${time(() => summaryWithRows(pano, (k) => ({ from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() })[k])).toFixed(1)} ms, queueNow ${time(() => queueNow(db, {})).toFixed(1)} ms`);
      const { rows } = summaryWithRows(pano, (k) => ({ from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() })[k]);
      for (const m of ["conversations_opened", "first_response_seconds", "sla_breaches"]) console.log(`  series ${m} ${time(() => series(m, "day", range, "Asia/Ho_Chi_Minh", { ...rows, slaMs: 3600_000, now })).toFixed(1)} ms`);
    }
    const rollups: number[] = [];
    const raw: number[] = [];
    const sql: number[] = [];
    const month: number[] = [];
    const cold: number[] = [];
    const written: number[] = [];
    const cpu = { rollups: [] as number[], raw: [] as number[], sql: [] as number[], month: [] as number[], cold: [] as number[], written: [] as number[] };
    const last30 = { from: now - 30 * DAY, to: now };
    const rounds = Number(process.env.BENCH_REPORTS_ROUNDS ?? 20);
    for (let round = 0; round < rounds; round++) {
      sql.push(cpuOf(() => (bare.all(range.from, range.to), bareMessages.get(range.from, range.to)), cpu.sql));
      rollups.push(cpuOf(() => dashboardView(pano, range, false), cpu.rollups));
      month.push(cpuOf(() => dashboardView(pano, last30, false), cpu.month));
      if (round < 10) {
        // A busy shop: the last hour's conversations written again since the view before (their
        // pages get new versions, as the writer's batches give them), so those pages are read again.
        await rebuildRollups(db, (work) => db.transaction(() => work(db)).immediate(), { from: now - 3600_000, to: now });
        written.push(cpuOf(() => dashboardView(pano, range, false), cpu.written));
      }
      if (round < 5) {
        // Nothing kept (Pano's first view after a start, SQLite's own cache aside): every page read.
        forgetKeptPages(db);
        cold.push(cpuOf(() => dashboardView(pano, range, false), cpu.cold));
      }
    }
    // After the others: the raw rows' view leaves hundreds of MB of garbage, which the next view
    // would pay for.
    for (let round = 0; round < 5; round++) raw.push(cpuOf(() => dashboardView(pano, range, true), cpu.raw));
    for (const xs of [rollups, raw, sql, month, cold, written, ...Object.values(cpu)]) xs.sort((a, b) => a - b);
    const fmt = (xs: number[]) => {
      const c = xs === rollups ? cpu.rollups : xs === raw ? cpu.raw : xs === month ? cpu.month : xs === cold ? cpu.cold : xs === written ? cpu.written : cpu.sql;
      return `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms, CPU p50 ${percentile(c, 50).toFixed(1)} ms (${xs.length} views)`;
    };
    const times = (xs: number[]) => `${(percentile(xs, 50) / percentile(sql, 50)).toFixed(1)}x the bare SQL at p50`;
    console.log(`unit of work: the dashboard's data for 90 days (summary with credit, by channel and agent, SLA, 4 charts, heatmap, queue)`);
    console.log(`bare SQL over the raw rows (baseline: per-day count + average, reply count): ${fmt(sql)}`);
    console.log(`dashboard from the hourly roll-ups: ${fmt(rollups)}  ${times(rollups)}  [target 150 ms]`);
    console.log(`dashboard from the roll-ups, after the last hour's conversations were written again: ${fmt(written)}  ${times(written)}`);
    console.log(`dashboard from the roll-ups, nothing kept yet (every page read, as the first view after a start): ${fmt(cold)}  ${times(cold)}`);
    console.log(`dashboard from the raw rows (before the roll-ups; same figures): ${fmt(raw)}  ${times(raw)}`);
    console.log(`dashboard from the roll-ups, last 30 days (the page's longest period): ${fmt(month)}`);
    store.close();
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  const ingest = Number(process.env.BENCH_REPORTS_INGEST ?? 20_000);
  if (ingest > 0) await ingestCost(ingest);
}

if (import.meta.main) await run();
