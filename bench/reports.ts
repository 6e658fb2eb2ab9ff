// bench/reports: the manager's dashboard over 90 days at BENCH_REPORTS_N messages (default
// BENCH_N, else 1,000,000) in a tenth as many conversations, 8 agents, replies by whoever wrote them.
// Unit of work: one view over the 90 days, read from the same database on both sides; the ratio is
// each figure's p50 over the bare SQL's.
// Prints, in the same run:
//   - the summary as the dashboard builds it (conversation facts, every message for credit and
//     response times, percentiles, by channel and agent) and the dashboard's four chart series,
//   - beside the bare SQL over the same raw rows (count and average first-response per day, no
//     credit, no percentiles): the floor of what reading the rows costs.
// Figures are computed from the raw rows on every view (no hourly roll-ups yet): this bench
// says how far that is from the 150 ms target.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { openStore } from "../src/store/db.ts";
import { conversationFacts, csatFacts, messageFacts } from "../src/store/reports.ts";
import { summarise, creditByAgent, groupBy } from "../src/domain/reports.ts";
import { series, weekdayHourCounts } from "../src/domain/report-series.ts";
import { percentile } from "./load.ts";
import { benchSize } from "./processes.ts";

const DAY = 86400_000;

function fill(dir: string, n: number, now: number) {
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

export async function run() {
  const n = Number(process.env.BENCH_REPORTS_N ?? benchSize(1_000_000));
  const base = mkdtempSync(join(tmpdir(), "pano-bench-reports-"));
  const now = Date.now();
  try {
    const { store, convs, ms } = fill(base, n, now);
    const db = store.sqlite;
    console.log(`rows: ${n.toLocaleString("en")} messages in ${convs.toLocaleString("en")} conversations over 90 days (filled in ${(ms / 1000).toFixed(1)} s)`);
    const range = { from: now - 90 * DAY, to: now };
    const time = (f: () => unknown) => {
      const t = performance.now();
      f();
      return performance.now() - t;
    };
    const summary = () => {
      const facts = conversationFacts(db, range, {});
      const ratings = csatFacts(db, range, {});
      const msgs = messageFacts(db, range, {});
      summarise(facts, range, 3600_000, now, ratings);
      for (const fs of groupBy(facts, (f) => f.channelId).values()) summarise(fs, range, 3600_000, now);
      creditByAgent(msgs, range);
      return { facts, ratings, msgs };
    };
    const dashboard = () => {
      const rows = summary();
      const input = { ...rows, messages: rows.msgs, slaMs: 3600_000, now };
      for (const m of ["conversations_opened", "first_response_seconds", "resolution_seconds"]) series(m, "day", range, "Asia/Ho_Chi_Minh", input);
      weekdayHourCounts(rows.facts.map((f) => f.createdAt), "Asia/Ho_Chi_Minh");
    };
    const bare = db.query(
      `SELECT (created_at / 86400000) AS day, count(*) AS opened, avg(first_response_at - created_at) AS fr FROM conversations
       WHERE created_at >= ? AND created_at < ? GROUP BY day`,
    );
    const bareMessages = db.query("SELECT count(*) AS replies FROM messages WHERE direction = 'out' AND created_at >= ? AND created_at < ?");
    dashboard(); // warm the page cache
    if (process.env.BENCH_REPORTS_PARTS) {
      console.log(`  conversationFacts ${time(() => conversationFacts(db, range, {})).toFixed(1)} ms, messageFacts ${time(() => messageFacts(db, range, {})).toFixed(1)} ms`);
      const msgs = messageFacts(db, range, {});
      console.log(`  creditByAgent ${time(() => creditByAgent(msgs, range)).toFixed(1)} ms`);
    }
    const full: number[] = [];
    const sum: number[] = [];
    const raw: number[] = [];
    for (let round = 0; round < 5; round++) {
      raw.push(time(() => (bare.all(range.from, range.to), bareMessages.get(range.from, range.to))));
      sum.push(time(summary));
      full.push(time(dashboard));
    }
    for (const xs of [raw, sum, full]) xs.sort((a, b) => a - b);
    const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} ms, max ${xs[xs.length - 1].toFixed(1)} ms`;
    const times = (xs: number[]) => `${(percentile(xs, 50) / percentile(raw, 50)).toFixed(1)}x the bare SQL at p50`;
    console.log(`unit of work: one view over the 90 days, ${raw.length} timed per line`);
    console.log(`bare SQL over the raw rows (baseline: per-day count + average, reply count): ${fmt(raw)}`);
    console.log(`summary with credit (90 days): ${fmt(sum)}  ${times(sum)}`);
    console.log(`dashboard (summary + 3 series + heatmap, 90 days): ${fmt(full)}  ${times(full)}  [target 150 ms; no roll-ups yet]`);
    store.close();
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

if (import.meta.main) await run();
