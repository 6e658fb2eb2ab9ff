// bench/duplicates: suggested duplicates at BENCH_CONTACTS contacts (100,000 by default). Reports,
// in the same run: the background finder's first pass over every contact (keys and pairs kept,
// 200 contacts per transaction as pipeline/duplicate-finder.ts does), in contacts per second
// beside the same batches that only read the contacts (the baseline: the pass's floor); the
// rescan of one changed contact (what an edit costs), and a page of the list (what a request
// costs), each beside reading one contact / one page of contacts by id.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { openStore } from "../src/store/db.ts";
import { listDuplicatePairs, rescanChangedContacts, rescanContacts } from "../src/store/contact-duplicates.ts";
import type { Tx } from "../src/store/writer.ts";
import { foldVietnamese } from "../src/domain/contact.ts";
import { percentile } from "./load.ts";
import { benchSize } from "./processes.ts";

const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"];
const MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Hữu", "Thanh", "Quốc", "Thu"];
const GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Khoa"];

export async function run() {
  const n = Number(process.env.BENCH_CONTACTS ?? benchSize(100_000));
  const dir = mkdtempSync(join(tmpdir(), "pano-bench-dup-"));
  try {
    const store = openStore(dir, { synchronous: "FULL" });
    const db = store.sqlite;
    const now = Date.now();
    const insert = db.prepare("INSERT INTO contacts (name, email, phone, attributes, search, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, '', ?5, ?5)");
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        // Names repeat a lot (as in life); one contact in 50 shares a phone with another written
        // differently (stored normalised), one in 80 an email in another case, one in 100 a customer code.
        const nameOf = (j: number) => `${FAMILY[j % 12]} ${MIDDLE[(j >> 2) % 8]} ${GIVEN[(j * 7) % 24]}`;
        // The customer-code pairs are the same person typed once with and once without diacritics.
        const name = i % 100 === 2 ? foldVietnamese(nameOf(i - 2)) : nameOf(i);
        const phone = i % 50 === 1 ? `09${String(10_000_000 + i - 1).slice(-8)}` : `09${String(10_000_000 + i).slice(-8)}`;
        const email = i % 80 === 1 ? `KHACH${i - 1}@congty${i - 1}.vn` : i % 80 === 0 ? `khach${i}@congty${i}.vn` : `khach${i}@gmail.com`;
        const attrs = i % 100 === 0 || i % 100 === 2 ? JSON.stringify({ "mã KH": `KH-${10_000 + Math.floor(i / 100)}` }) : "{}";
        // Stored as Pano stores them (normalised); the finder normalises again whatever it reads.
        insert.run(name, email.toLowerCase(), phone, attrs, now + i);
      }
    })();
    const tx: Tx = { db, now, emit: () => {} };
    const started = performance.now();
    let read = 0;
    for (;;) {
      const k = db.transaction(() => rescanChangedContacts(tx, 200))();
      read += k;
      if (k < 200) break;
    }
    const passMs = performance.now() - started;
    const floorStarted = performance.now();
    const page = db.query<{ id: number }, [number]>("SELECT id, name, email, phone, avatar_url, attributes FROM contacts WHERE id > ? ORDER BY id LIMIT 200");
    for (let after = 0; ;) {
      const rows = db.transaction(() => page.all(after))();
      if (rows.length < 200) break;
      after = rows[rows.length - 1].id;
    }
    const floorMs = performance.now() - floorStarted;
    const pairs = db.query<{ reason: string; n: number }, []>("SELECT reason, count(*) AS n FROM contact_duplicates GROUP BY reason ORDER BY reason").all();
    console.log(`contacts: ${n.toLocaleString("en")}; pairs found: ${pairs.map((p) => `${p.reason} ${p.n}`).join(", ")}`);
    console.log(`unit of work (first pass): one contact's keys and pairs kept, 200 per transaction, synchronous=FULL`);
    console.log(`read only (baseline): ${(floorMs / 1000).toFixed(2)} s (${Math.round(n / (floorMs / 1000)).toLocaleString("en")} contacts/s)`);
    console.log(`finder's first pass:  ${(passMs / 1000).toFixed(2)} s (${Math.round(read / (passMs / 1000)).toLocaleString("en")} contacts/s), ${(passMs / floorMs).toFixed(0)}x the baseline's time (in the background, once)`);

    const one = db.query("SELECT * FROM contacts WHERE id = ?");
    const list = db.query("SELECT * FROM contacts WHERE id > ? ORDER BY id LIMIT 21");
    const time = (f: () => unknown) => {
      const t = performance.now();
      f();
      return performance.now() - t;
    };
    // A changed contact: its phone edited in the same transaction, so its keys and pairs are redone.
    const edit = db.query("UPDATE contacts SET phone = ?, updated_at = ? WHERE id = ?");
    const base1: number[] = [], rescan: number[] = [], untouched: number[] = [], base2: number[] = [], listed: number[] = [];
    for (let r = 0; r < 500; r++) {
      const id = 1 + ((r * 7919) % n);
      base1.push(time(() => one.get(id)));
      rescan.push(time(() => db.transaction(() => (edit.run(`08${String(10_000_000 + r).slice(-8)}`, Date.now(), id), rescanContacts(tx, [id])))()));
      untouched.push(time(() => db.transaction(() => rescanContacts(tx, [id]))()));
      base2.push(time(() => list.all(id)));
      listed.push(time(() => listDuplicatePairs(db, 21, r % 2 ? { rank: r % 3, a: id, b: id } : null)));
    }
    for (const xs of [base1, rescan, untouched, base2, listed]) xs.sort((a, b) => a - b);
    const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(2)} ms, p95 ${percentile(xs, 95).toFixed(2)} ms`;
    console.log(`unit of work (request): one contact changed / one page of 20 pairs, 500 times`);
    console.log(`read one contact (baseline): ${fmt(base1)}; rescan one changed contact (its phone edited and its keys redone, its own transaction, fsync included): ${fmt(rescan)}; named again with nothing changed: ${fmt(untouched)}`);
    console.log(`read 21 contacts by id (baseline): ${fmt(base2)}; a page of the duplicates list: ${fmt(listed)}  ${(percentile(listed, 95) / Math.max(percentile(base2, 95), 0.001)).toFixed(1)}x at p95`);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await run();
