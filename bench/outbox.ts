// bench/outbox: Pano's outbox alone, beside a bare sender doing the same unit of work in the same run.
//
// Unit of work: one queued Zalo reply, from "due" to "on the provider and durably marked sent":
// read the queued row from SQLite, POST it to the Zalo simulator's message/cs (the same endpoint,
// the same concurrency limit, a conversation's replies one at a time in queue order), and record
// it sent in a group-committed write with synchronous=FULL.
//
// How: a running Pano (`pano serve`) gets 500 Zalo conversations through signed webhooks. Then
// N replies (N/500 per conversation) are queued straight into its database with the store function
// the API uses (createReply), in one transaction, all due at the same instant T0 a moment later:
// the clock starts at T0, so queueing (the API's work) is not counted, and Pano must wake on its
// own. Each side first sends a warm-up round of N/5 replies (due 5 s before T0; not measured), so
// both are measured JIT-warm, as a server that has been sending is. Pano is then stopped, N more
// replies are queued the same way, and the bare sender
// (bench/outbox-baseline.ts, a separate Bun process) sends them from the same database file to
// the same simulator. Each side: sends/s from T0 to the simulator's receipt of the last reply,
// latency due -> receipt (p50/p99), CPU of its process per send from T0 until its outbox is
// empty, and whether every conversation's replies arrived in queue order.
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { percentile, cpuSeconds, drive } from "./load.ts";
import { startBenchPano, benchSize, conversationIds } from "./processes.ts";
import { ROOT, BUN, type PanoProcess } from "../tests/support/pano.ts";
import { startZaloSim, type ZaloSim } from "../tests/sim/zalo.ts";
import { createReply } from "../src/store/outbound.ts";
import { OUTBOX_CONCURRENCY } from "../src/pipeline/outbox.ts";

const CONVERSATIONS = 500;
/** T0 comes this long after the warm-up round falls due: time for either side to finish it. */
const WARM_GAP_MS = 5000;
const userId = (i: number) => String(5_200_000_000_000_000_000n + BigInt(i));

interface Side { sends: number; seconds: number; perSecond: number; firstMs: number; p50ms: number; p99ms: number; cpuMsPerSend: number; outOfOrder: number; twice: number }

/** N replies in one transaction, through createReply as the API queues them, all due at `dueAt`. */
function queueReplies(dbPath: string, conversations: number[], n: number, dueAt: number, tag: string): void {
  const db = new Database(dbPath, { strict: true });
  db.exec("PRAGMA busy_timeout = 10000");
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  const tx = { db, now: Date.now(), emit: () => {} };
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const conv = conversations[i % conversations.length];
      const seq = Math.floor(i / conversations.length);
      createReply(tx, { conversationId: conv, text: `Dạ shop đã nhận đơn ${tag}-${conv}-${seq}, giao trong 2 ngày ạ`, private: false, userId: 1, dueAt });
    }
  }).immediate();
  db.close();
  if (Date.now() >= dueAt) throw new Error("queueing took longer than the head start: raise the head start");
}

function outboxDepth(dbPath: string): () => number {
  const db = new Database(dbPath);
  db.exec("PRAGMA busy_timeout = 10000");
  const q = db.query<{ n: number }, []>("SELECT count(*) AS n FROM outbox");
  return () => q.get()!.n;
}

/** Until the warm-up round is sent and recorded (the outbox holds only the measured rows), before T0. */
async function warmedUp(sim: ZaloSim, dbPath: string, warm: number, measured: number, dueAt: number, tag: string): Promise<void> {
  const depth = outboxDepth(dbPath);
  let seen = 0;
  let from = sim.sent.length - warm; // the warm-up may have started already
  while (seen < warm || depth() > measured) {
    for (; from < sim.sent.length; from++) if (from >= 0 && String(sim.sent[from].message.text).includes(` ${tag}-`)) seen++;
    if (Date.now() >= dueAt) throw new Error(`the warm-up round was not done by T0 (${seen}/${warm} sent): lengthen WARM_GAP_MS`);
    await Bun.sleep(10);
  }
}

/** Waits for T0, then for the simulator to hold all `n` tagged replies and the outbox to be empty. */
async function measure(sim: ZaloSim, dbPath: string, pid: number, n: number, dueAt: number, tag: string): Promise<Side> {
  const depth = outboxDepth(dbPath);
  await Bun.sleep(Math.max(0, dueAt - Date.now()));
  const before = sim.sent.length;
  const cpu0 = cpuSeconds(pid) ?? 0;
  const deadline = Date.now() + 300_000;
  while (sim.sent.length - before < n && Date.now() < deadline) await Bun.sleep(5);
  const got = sim.sent.slice(before).filter((s) => String(s.message.text).includes(` ${tag}-`));
  while (depth() > 0 && Date.now() < deadline) await Bun.sleep(10);
  const cpu1 = cpuSeconds(pid) ?? cpu0;
  if (got.length < n) throw new Error(`only ${got.length} of ${n} replies reached the simulator`);
  const latencies = got.map((s) => s.at - dueAt).sort((a, b) => a - b);
  const seconds = latencies[latencies.length - 1] / 1000;
  // Per conversation, the sequence numbers must arrive 0, 1, 2, ...
  const nextSeq = new Map<string, number>();
  let outOfOrder = 0;
  for (const s of got) {
    const [, conv, seq] = /-(\d+)-(\d+),/.exec(String(s.message.text))!;
    if (Number(seq) !== (nextSeq.get(conv) ?? 0)) outOfOrder++;
    nextSeq.set(conv, Number(seq) + 1);
  }
  const twice = got.length - new Set(got.map((s) => String(s.message.text))).size;
  return { twice, sends: got.length, seconds, perSecond: got.length / seconds, firstMs: latencies[0], p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99), cpuMsPerSend: ((cpu1 - cpu0) * 1000) / got.length, outOfOrder };
}

/** Group commits Pano's writer has made since it started (/metrics). */
async function writerCommits(pano: PanoProcess): Promise<number> {
  const text = await (await pano.api("/metrics")).text();
  return Number(/^pano_writer_batches(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? NaN);
}

const line = (name: string, s: Side) =>
  `  ${name.padEnd(9)} ${s.perSecond.toFixed(0).padStart(6)} sends/s  cpu ${s.cpuMsPerSend.toFixed(3)} ms/send  due->sent p50 ${s.p50ms.toFixed(0)} ms p99 ${s.p99ms.toFixed(0)} ms (first ${s.firstMs} ms)  ${s.sends} sent in ${s.seconds.toFixed(2)} s, ${s.outOfOrder} out of order, ${s.twice} twice`;

export async function run() {
  const n = Math.max(CONVERSATIONS, Math.round(benchSize(100_000) / 20));
  const warm = Math.max(CONVERSATIONS, Math.round(n / 5));
  const sim = await startZaloSim({ echoes: false });
  for (let i = 0; i < CONVERSATIONS; i++) sim.addUser(userId(i), { display_name: `Khách ${i}` });
  // OUTBOX_PROFILE=<dir>: Pano runs under `bun --cpu-prof` and leaves its profile there.
  const profile: Record<string, string> = process.env.OUTBOX_PROFILE ? { BUN_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.OUTBOX_PROFILE}` } : {};
  const pano = await startBenchPano({ PANO_ZALO_API_URL: sim.url, PANO_ZALO_OAUTH_URL: sim.url, ...profile });
  const dbPath = join(pano.dataDir, "pano.db");
  const config = sim.channelConfig({ expiresInMs: 3600_000 });
  let panoSide: Side;
  let panoCommits = 0;
  try {
    await pano.json("/api/v1/channels", { method: "POST", json: { type: "zalo", name: "bench", config } });
    const url = `${pano.url}/webhooks/zalo`;
    await drive(CONVERSATIONS, 32, (i) => {
      const event = sim.events.userText(userId(i), `Shop ơi, đơn hàng #${100000 + i} của em giao chưa ạ?`);
      const raw = JSON.stringify(event);
      return fetch(url, { method: "POST", headers: sim.signedHeaders(event, raw), body: raw });
    });
    let convs: number[] = [];
    for (let t = Date.now(); convs.length < CONVERSATIONS && Date.now() - t < 60_000; await Bun.sleep(100)) convs = (await conversationIds(pano, CONVERSATIONS)).map(Number);
    if (convs.length < CONVERSATIONS) throw new Error(`only ${convs.length} conversations opened`);
    await Bun.sleep(2000); // let triage and routing of the inbound messages settle before the clock
    const warmAt = Date.now() + 1500;
    const dueAt = warmAt + WARM_GAP_MS;
    queueReplies(dbPath, convs, warm, warmAt, "PW");
    queueReplies(dbPath, convs, n, dueAt, "P");
    // One write of Pano's own before T0 (a private note, never sent): what a commit of Pano's does for
    // rows written in the same transaction as the API would have (report roll-ups) is done before the clock.
    await pano.json(`/api/v1/conversations/${convs[0]}/messages`, { method: "POST", json: { text: "bench", private: true } });
    await warmedUp(sim, dbPath, warm, n, dueAt, "PW");
    const commits0 = await writerCommits(pano);
    panoSide = await measure(sim, dbPath, pano.proc.pid, n, dueAt, "P");
    panoCommits = (await writerCommits(pano)) - commits0;
  } finally {
    await pano.stop();
  }
  let bareSide: Side;
  try {
    const convs = new Database(dbPath, { readonly: true }).query<{ id: number }, []>("SELECT id FROM conversations ORDER BY id").all().map((r) => r.id);
    const warmAt = Date.now() + 1500;
    const dueAt = warmAt + WARM_GAP_MS;
    queueReplies(dbPath, convs, warm, warmAt, "BW");
    queueReplies(dbPath, convs, n, dueAt, "B");
    const bare = Bun.spawn([BUN, join(ROOT, "bench/outbox-baseline.ts"), dbPath, sim.url, config.access_token, String(OUTBOX_CONCURRENCY), String(warmAt), String(dueAt)], { stdout: "inherit", stderr: "inherit" });
    try {
      await warmedUp(sim, dbPath, warm, n, dueAt, "BW");
      bareSide = await measure(sim, dbPath, bare.pid, n, dueAt, "B");
    } finally {
      bare.kill();
      await bare.exited;
    }
  } finally {
    await sim.stop();
  }
  const ratio = panoSide.perSecond / bareSide.perSecond;
  console.log([
    `bench/outbox: ${n} Zalo replies (${Math.ceil(n / CONVERSATIONS)} per conversation, ${CONVERSATIONS} conversations) queued in one transaction, all due at T0, after a warm-up round of ${warm};`,
    `  unit of work: one due reply read from SQLite, POSTed to the simulator's message/cs (concurrency ${OUTBOX_CONCURRENCY}, one per conversation at a time, in order), marked sent in a group commit (synchronous=FULL)`,
    line("pano", panoSide) + `, ${panoCommits} group commits`,
    line("baseline", bareSide),
    `  ratio     ${(ratio * 100).toFixed(1)}% of the bare sender's sends/s; cpu bare/pano ${((bareSide.cpuMsPerSend / panoSide.cpuMsPerSend) * 100).toFixed(1)}%; target >= 2000 sends/s: ${panoSide.perSecond >= 2000 ? "OK" : "BELOW TARGET"}`,
  ].join("\n"));
  return { pano: panoSide, baseline: bareSide, ratio };
}

if (import.meta.main) await run();
