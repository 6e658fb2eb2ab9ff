// bench/timeline: the customer profile's history (store/customer-history.ts) on bench/search's
// database of BENCH_SEARCH_N messages (1,000,000 by default), run by bench/search.ts after its own
// figures so the million messages are seeded once. It turns 200 of the customers into regulars:
// each gets 100 conversations (1,000 messages) of which one in ten is on a switchboard channel
// with its ten messages made calls, so a first page of 25 merges conversations and calls.
// Reports, in the same run: the first page and the next page, for an admin and for an agent of one
// team (visibility in the SQL), beside the bare query the panel used before (the customer's 26
// latest conversations by last message, no visibility, no calls), as p50/p95 and a ratio of p95s.
import type { Database } from "bun:sqlite";
import { customerHistory } from "../src/store/customer-history.ts";
import { percentile } from "./load.ts";

const REGULARS = 200;
const CONVERSATIONS_EACH = 100;

function makeRegulars(db: Database) {
  const convs = REGULARS * CONVERSATIONS_EACH;
  const now = Date.now();
  db.run("INSERT INTO channels (id, type, name, config_enc, created_at) VALUES (2, 'phone', 'bench switchboard', '', ?1)", [now]);
  db.exec("BEGIN");
  db.run(`UPDATE conversations SET contact_id = ((id - 1) % ${REGULARS}) + 1 WHERE id <= ${convs}`);
  db.run(`UPDATE conversations SET channel_id = 2 WHERE id <= ${convs} AND id % 10 = 0`);
  const call = (i: number) => JSON.stringify({ kind: "call", call: { direction: "in", status: i % 3 ? "answered" : "missed", ended: true, duration_s: i % 3 ? 60 + (i % 300) : null } });
  const mark = db.prepare("UPDATE messages SET channel_id = 2, meta = ?1 WHERE id = ?2");
  for (const m of db.query<{ id: number }, []>(`SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel_id = 2`).all()) mark.run(call(m.id), m.id);
  // Each conversation's last message time as ingest keeps it, so the pages follow real activity.
  db.run(`UPDATE conversations SET last_message_at = (SELECT max(created_at) FROM messages WHERE conversation_id = conversations.id) WHERE id <= ${convs}`);
  db.exec("COMMIT");
  db.exec("ANALYZE");
}

export function timelineFigures(db: Database) {
  makeRegulars(db);
  const admin = { userId: 1, role: "admin" as const, teamIds: [] };
  const agent = { userId: 2, role: "agent" as const, teamIds: [1] };
  const callTypes = ["phone"];
  const bare = db.query<{ id: number }, [number]>("SELECT id FROM conversations WHERE contact_id = ? ORDER BY last_message_at DESC LIMIT 26");
  const time = (f: () => unknown) => {
    const t = performance.now();
    f();
    return performance.now() - t;
  };
  for (let k = 1; k <= REGULARS; k++) customerHistory(db, k, admin, { limit: 25, cursor: null, callTypes }); // warm the cache
  const raw: number[] = [];
  const first: number[] = [];
  const next: number[] = [];
  const scoped: number[] = [];
  let entries = 0;
  let calls = 0;
  for (let round = 0; round < 5; round++) {
    for (let k = 1; k <= REGULARS; k++) {
      raw.push(time(() => bare.all(k)));
      let page!: ReturnType<typeof customerHistory>;
      first.push(time(() => (page = customerHistory(db, k, admin, { limit: 25, cursor: null, callTypes }))));
      entries += page.entries.length;
      calls += page.entries.filter((e) => e.kind === "call").length;
      next.push(time(() => customerHistory(db, k, admin, { limit: 25, cursor: page.next, callTypes })));
      scoped.push(time(() => customerHistory(db, k, agent, { limit: 25, cursor: null, callTypes })));
    }
  }
  for (const xs of [raw, first, next, scoped]) xs.sort((a, b) => a - b);
  const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(2)} ms, p95 ${percentile(xs, 95).toFixed(2)} ms`;
  const times = (xs: number[]) => `${(percentile(xs, 95) / Math.max(percentile(raw, 95), 0.001)).toFixed(1)}x the bare query at p95`;
  console.log(`unit of work (profile timeline): one page of 25 for one customer; ${REGULARS} customers with ${CONVERSATIONS_EACH} conversations (1 in 10 of them calls, 10 calls each) x 5 rounds`);
  console.log(`  (a first page held ${(entries / first.length).toFixed(1)} entries, ${(calls / first.length).toFixed(1)} of them calls)`);
  console.log(`bare query (baseline: 26 latest conversation ids, no visibility, no calls): ${fmt(raw)}`);
  console.log(`profile timeline, admin, first page: ${fmt(first)}  ${times(first)}  (goal p95 < 30 ms)`);
  console.log(`profile timeline, admin, next page:  ${fmt(next)}  ${times(next)}`);
  console.log(`profile timeline, agent of 1 team:   ${fmt(scoped)}  ${times(scoped)}`);
}
