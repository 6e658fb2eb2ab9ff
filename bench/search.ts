// bench/search: full-text search at BENCH_SEARCH_N messages (default BENCH_N, else 1,000,000) in a
// tenth as many conversations. Reports, in the same run:
//   - ingest cost of the index: the same message inserts, 500 per transaction (the writer's largest
//     batch, PANO_BATCH_MAX) and synchronous=FULL (Pano's default) on both sides, with and without
//     indexMessage; the unit is one message row written, the ratio is index on / off in msg/s,
//   - search p50/p95 through store/search.ts searchEverything (visibility, filters, snippets, a page
//     of 25) beside the bare FTS5 MATCH query for the same words, as a ratio of p50s,
//   - the index's size on disk beside the messages table's,
//   - then, on the same database, the customer profile's timeline (bench/timeline.ts).
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { openStore } from "../src/store/db.ts";
import { indexMessage, searchIndexBytes } from "../src/store/search-index.ts";
import { searchEverything } from "../src/store/search.ts";
import { parseQuery, matchExpression } from "../src/domain/search.ts";
import { percentile } from "./load.ts";
import { benchSize } from "./processes.ts";
import { timelineFigures } from "./timeline.ts";

/** Messages per transaction: the group-commit writer's largest batch (PANO_BATCH_MAX default). */
const BATCH = 500;

const WORDS = ("đơn hàng giao chưa ạ shop ơi áo khoác màu xanh đỏ size nhỏ lớn đổi trả bảo hành "
  + "cảm ơn em muốn hỏi giá bao nhiêu còn không ship về Hà Nội Sài Gòn Đà Nẵng thanh toán chuyển khoản "
  + "hoàn tiền giày dép túi xách quần jean váy đầm phụ kiện khuyến mãi mã giảm giá hôm nay ngày mai").split(" ");

function textFor(i: number): string {
  // A deterministic mix: 8-20 words, one order number; common and rare words both occur.
  let x = (i * 2654435761) >>> 0;
  const n = 8 + (x % 13);
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(WORDS[x % WORDS.length]);
  }
  out.push(`#${100000 + (i % 900000)}`);
  return out.join(" ");
}

function fill(dir: string, n: number, withIndex: boolean) {
  // synchronous=FULL, as Pano runs: each batch's commit pays its fsync on both sides.
  const store = openStore(dir, { synchronous: "FULL" });
  const db = store.sqlite;
  const now = Date.now();
  db.run("INSERT INTO channels (id, type, name, config_enc, created_at) VALUES (1, 'api', 'bench', '', ?1)", [now]);
  const convs = Math.max(1, Math.floor(n / 10));
  db.exec("BEGIN");
  const contact = db.prepare("INSERT INTO contacts (id, name, phone, search, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
  const conv = db.prepare("INSERT INTO conversations (id, channel_id, contact_id, status, team_id, last_message_at, created_at, updated_at) VALUES (?1, 1, ?1, ?2, ?3, ?4, ?4, ?4)");
  for (let c = 1; c <= convs; c++) {
    const phone = `09${String(10000000 + c).slice(-8)}`;
    contact.run(c, `Khách hàng ${c}`, phone, `khach hang ${c} ${phone}`, now);
    conv.run(c, c % 3 ? "open" : "resolved", (c % 4) + 1, now);
  }
  db.exec("COMMIT");
  const insert = db.prepare("INSERT INTO messages (conversation_id, channel_id, direction, author_type, text, status, created_at) VALUES (?, 1, 'in', 'contact', ?, 'received', ?)");
  const started = performance.now();
  for (let i = 0; i < n; i += BATCH) {
    db.transaction(() => {
      for (let k = i; k < Math.min(n, i + BATCH); k++) {
        const text = textFor(k);
        const id = Number(insert.run((k % convs) + 1, text, now - (n - k) * 1000).lastInsertRowid);
        if (withIndex) indexMessage(db, id, text);
      }
    })();
  }
  return { store, ms: performance.now() - started };
}

export async function run() {
  const n = Number(process.env.BENCH_SEARCH_N ?? benchSize(1_000_000));
  const base = mkdtempSync(join(tmpdir(), "pano-bench-search-"));
  try {
    const off = fill(join(base, "off"), n, false);
    const messagesBytes = off.store.sqlite.query<{ n: number }, []>("SELECT sum(pgsize) AS n FROM dbstat WHERE name = 'messages'").get()?.n ?? 0;
    off.store.close();
    const on = fill(join(base, "on"), n, true);
    const db = on.store.sqlite;
    console.log(`messages: ${n.toLocaleString("en")} in ${Math.max(1, Math.floor(n / 10)).toLocaleString("en")} conversations`);
    console.log(`unit of work (ingest): one message row inserted, ${BATCH} per transaction, synchronous=FULL, both sides`);
    console.log(`ingest, index off (baseline): ${(off.ms / 1000).toFixed(1)} s (${Math.round(n / (off.ms / 1000)).toLocaleString("en")} msg/s)`);
    console.log(`ingest, index on:             ${(on.ms / 1000).toFixed(1)} s (${Math.round(n / (on.ms / 1000)).toLocaleString("en")} msg/s)`);
    console.log(`ratio index on / off:         ${((off.ms / on.ms) * 100).toFixed(0)}% of the msg/s`);
    const idx = searchIndexBytes(db) ?? 0;
    console.log(`index size: ${(idx / 1048576).toFixed(1)} MiB (messages table ${(messagesBytes / 1048576).toFixed(1)} MiB)`);

    const queries = ["don hang", "áo khoác xanh", '"bao hanh"', "hoan tien giay", "Đà Nẵng", "#123456", "khuyen mai hom nay", "0910000", "tui xach", "sai gon ship"];
    const admin = { userId: 1, role: "admin" as const, teamIds: [] };
    const agent = { userId: 2, role: "agent" as const, teamIds: [1] };
    const bare = db.query<{ rowid: number }, [string]>("SELECT rowid FROM message_search WHERE message_search MATCH ? ORDER BY rowid DESC LIMIT 26");
    const time = (f: () => unknown) => {
      const t = performance.now();
      f();
      return performance.now() - t;
    };
    for (const q of queries) searchEverything(db, admin, { q }, 25, null); // warm the cache
    const full: number[] = [];
    const scoped: number[] = [];
    const raw: number[] = [];
    for (let round = 0; round < 20; round++) {
      for (const q of queries) {
        const p = parseQuery(q);
        if (!p.ok) continue;
        raw.push(time(() => bare.all(matchExpression(p.terms))));
        full.push(time(() => searchEverything(db, admin, { q }, 25, null)));
        scoped.push(time(() => searchEverything(db, agent, { q, status: "open" }, 25, null)));
      }
    }
    for (const xs of [raw, full, scoped]) xs.sort((a, b) => a - b);
    const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(2)} ms, p95 ${percentile(xs, 95).toFixed(2)} ms`;
    const times = (xs: number[]) => `${(percentile(xs, 50) / percentile(raw, 50)).toFixed(1)}x the bare MATCH at p50`;
    console.log(`unit of work (search): one query, ${queries.length} queries (common and rare words, a phrase, an order number, a phone prefix) x 20 rounds`);
    console.log(`bare FTS5 MATCH (baseline: page of 26 rowids, no visibility, no snippets): ${fmt(raw)}`);
    console.log(`search, admin (page of 25 + people + snippets): ${fmt(full)}  ${times(full)}`);
    console.log(`search, agent of 1 team, status=open: ${fmt(scoped)}  ${times(scoped)}`);
    timelineFigures(db);
    on.store.close();
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

if (import.meta.main) await run();
