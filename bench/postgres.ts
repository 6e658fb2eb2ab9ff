// bench/postgres (issue 22): the same signed Messenger deliveries (one message event each, 5,000
// customers, signed before the clock starts) into Pano on its embedded SQLite, into one Pano on
// PostgreSQL, and into two Pano instances on that one PostgreSQL, in that order, in one run.
// Every side is durable before its 200: SQLite synchronous=FULL; PostgreSQL fsync=on,
// synchronous_commit=on (a throw-away cluster of Debian's PostgreSQL, default settings otherwise).
// Load: wrk, 64 connections in all (2 threads / 64 connections; for two instances, one wrk of
// 2 threads / 32 connections at each, half the deliveries each, at once), after the same warm-up
// round of N/5 deliveries from other customers on each side. CPU per message counts every process
// doing the work: Pano's, and PostgreSQL's (the postmaster and its backends). Then the live-update
// latency across instances: a customer message posted to instance A until an agent's event
// stream on instance B shows it.
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cpuSeconds, cpuWhenIdle, percentile, type LoadResult } from "./load.ts";
import { driveWrk, type HttpRequest } from "./wrk.ts";
import { benchSize, panoAddress, panoInbound, startBenchPano } from "./processes.ts";
import { signedDeliveries, CUSTOMERS, psid } from "./facebook.ts";
import { startFacebookSim, type FacebookSim } from "../tests/sim/facebook.ts";
import { startPostgres, type PostgresCluster } from "../tests/support/postgres.ts";
import { ADMIN, type PanoProcess } from "../tests/support/pano.ts";

const warmPsid = (i: number) => String(7_300_000_000_000_000 + (i % CUSTOMERS));

/** PostgreSQL's processes: the postmaster (its pid file) and every process whose parent it is. */
function postgresPids(cluster: PostgresCluster): number[] {
  const pidFile = join(cluster.socketDir, "data", "postmaster.pid");
  if (!existsSync(pidFile)) return [];
  const master = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  const children = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      return /\nPPid:\s+(\d+)/.exec(readFileSync(`/proc/${d}/status`, "utf8"))?.[1] === String(master);
    } catch {
      return false;
    }
  });
  return [master, ...children.map(Number)];
}

const cpuOf = (pids: number[]) => pids.reduce((s, p) => s + (cpuSeconds(p) ?? 0), 0);

interface Side {
  name: string;
  instances: PanoProcess[];
  cluster?: PostgresCluster;
  database?: string;
}

async function facebookChannel(pano: PanoProcess, page: { pageId: string; pageToken: string; appSecret: string }) {
  await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "facebook", name: "bench", config: { page_id: page.pageId, page_access_token: page.pageToken, app_secret: page.appSecret, verify_token: "bench-verify-token" } },
  });
}

/** The deliveries split over the side's instances, all driven at once; CPU of every process involved. */
async function drive(side: Side, requests: HttpRequest[], measure: boolean): Promise<LoadResult & { pgCpuMsPerMsg?: number }> {
  const k = side.instances.length;
  const parts = side.instances.map((_, i) => requests.filter((_, j) => j % k === i));
  const panoPids = side.instances.map((p) => p.proc.pid);
  const pgPids = () => (side.cluster ? postgresPids(side.cluster) : []);
  const before = { pano: cpuOf(panoPids), pg: cpuOf(pgPids()) };
  const started = performance.now();
  const runs = await Promise.all(side.instances.map((p, i) => driveWrk(panoAddress(p), parts[i], { connections: 64 / k })));
  const seconds = (performance.now() - started) / 1000;
  const after = { pano: cpuOf(panoPids), pg: cpuOf(pgPids()) };
  const ok = runs.reduce((s, r) => s + r.ok, 0);
  const lat = (q: "50" | "99") => Math.max(...runs.map((r) => r.latencyMs[q]));
  const result: LoadResult & { pgCpuMsPerMsg?: number } = {
    n: requests.length, ok, errors: requests.length - ok, seconds, perSecond: ok / seconds,
    p50ms: lat("50"), p99ms: lat("99"), generator: `wrk ×${k}, ${64 / k} connections each`,
  };
  if (measure && ok) {
    result.cpuMsPerMsg = ((after.pano - before.pano) * 1000) / ok;
    if (side.cluster) result.pgCpuMsPerMsg = ((after.pg - before.pg) * 1000) / ok;
  }
  return result;
}

async function stored(side: Side): Promise<number> {
  if (!side.cluster) return panoInbound(side.instances[0]);
  const out = await side.cluster.psql(side.database!, "SELECT count(*) FROM messages WHERE direction = 'in'");
  return Number(out.trim());
}

async function runSide(side: Side, sim: FacebookSim, page: { pageId: string; pageToken: string; appSecret: string }, warm: HttpRequest[], measured: HttpRequest[]) {
  await facebookChannel(side.instances[0], page);
  await drive(side, warm, false);
  for (const p of side.instances) await cpuWhenIdle(p.proc.pid);
  const before = await stored(side);
  const r = await drive(side, measured, true);
  r.stored = (await stored(side)) - before;
  return r;
}

/** Posted to A (the API channel) until B's event stream for the admin shows it: p50/p99 over `n` messages. */
async function liveLatency(a: PanoProcess, b: PanoProcess, n: number): Promise<{ p50: number; p99: number; n: number } | null> {
  const ch = await a.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "live-bench" } });
  // An agent's screen on B: signed in, its live stream open (what htmx's SSE extension reads).
  const login = await fetch(`${b.url}/login`, {
    method: "POST", redirect: "manual", headers: { origin: b.url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password, next: "/inbox" }),
  });
  const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const stream = await fetch(`${b.url}/live`, { headers: { cookie, accept: "text/event-stream" } });
  if (!stream.ok || !stream.body) throw new Error(`B's live stream: ${stream.status}`);
  const reader = stream.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const seen = new Map<string, number>();
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      // A new message's notice: {"t":"msg","c":<conversation>,"m":<message>} (pipeline/live-notice.ts).
      for (const m of buffer.matchAll(/"t":"msg","c":\d+,"m":(\d+)/g)) if (!seen.has(m[1])) seen.set(m[1], performance.now());
      buffer = buffer.slice(-200);
    }
  })();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const { message_id: id } = await a.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: `live-${i % 20}`, external_message_id: `live-bench-${i}`, text: `Tin nhắn ${i}` } });
    const deadline = t0 + 10_000;
    while (!seen.has(String(id)) && performance.now() < deadline) await Bun.sleep(1);
    if (seen.has(String(id))) samples.push(seen.get(String(id))! - t0);
  }
  await reader.cancel();
  samples.sort((x, y) => x - y);
  return samples.length ? { p50: percentile(samples, 50), p99: percentile(samples, 99), n: samples.length } : null;
}

export async function run() {
  const n = benchSize(20_000);
  const page = { pageId: "100000000000888", appSecret: randomBytes(16).toString("hex"), pageToken: "EAAG-bench-token-0002" };
  const sim = await startFacebookSim({ ...page, echoes: false });
  const cluster = await startPostgres({ durable: true });
  const sides: { side: Side; result: LoadResult & { pgCpuMsPerMsg?: number } }[] = [];
  console.log(`bench/postgres: ${n} Messenger messages, one event per signed delivery, 5,000 customers, same bodies on every side, wrk with 64 connections in all, durable before the 200 on every side`);
  const print = (side: Side, r: LoadResult & { pgCpuMsPerMsg?: number }) => {
    const base = sides[0].result;
    const cpu = r.cpuMsPerMsg === undefined ? "" : `  cpu pano ${r.cpuMsPerMsg.toFixed(3)}${r.pgCpuMsPerMsg === undefined ? "" : ` + postgres ${r.pgCpuMsPerMsg.toFixed(3)}`} ms/msg`;
    const ratio = side === sides[0].side ? "(the SQLite side)" : `${((r.perSecond / base.perSecond) * 100).toFixed(1)}% of SQLite`;
    console.log(`  ${side.name.padEnd(26)} ${r.perSecond.toFixed(0).padStart(6)} msg/s  ack p50 ${r.p50ms.toFixed(1)} ms p99 ${r.p99ms.toFixed(1)} ms  ${r.stored}/${r.n} stored, ${r.errors ? `${r.errors} refused` : "none refused"}${cpu}  ${ratio}`);
    // A refused delivery is redelivered by Meta, but a bench that refuses must say why.
    if (r.errors) for (const [i, p] of side.instances.entries()) console.log(`    instance ${i + 1} warned:\n${p.logs().split("\n").filter((l) => /"level":"(warn|error)"/.test(l)).slice(-8).map((l) => `      ${l.slice(0, 300)}`).join("\n")}`);
  };
  try {
    for (let i = 0; i < CUSTOMERS; i++) sim.addProfile(psid(i), `Khách ${i}`, "Nguyễn"), sim.addProfile(warmPsid(i), `Khách quen ${i}`, "Trần");
    const measured = signedDeliveries(sim, n, () => 1).map((d) => d.request);
    const warm = signedDeliveries(sim, Math.round(n / 5), () => 1, warmPsid, "W").map((d) => d.request);
    const env = { PANO_FACEBOOK_GRAPH_URL: sim.url };

    const sqlite: Side = { name: "SQLite, one instance", instances: [await startBenchPano(env)] };
    try {
      sides.push({ side: sqlite, result: await runSide(sqlite, sim, page, warm, measured) });
      print(sqlite, sides[0].result);
    } finally {
      for (const p of sqlite.instances) await p.stop();
    }

    for (const k of [1, 2]) {
      const url = await cluster.createDatabase();
      const side: Side = { name: `PostgreSQL, ${k} instance${k > 1 ? "s" : ""}`, instances: [], cluster, database: new URL(url).pathname.slice(1) };
      try {
        // The first instance migrates the database; the second finds it migrated.
        for (let i = 0; i < k; i++) side.instances.push(await startBenchPano({ ...env, PANO_DATABASE_URL: url }));
        sides.push({ side, result: await runSide(side, sim, page, warm, measured) });
        print(side, sides[sides.length - 1].result);
        if (k === 2) {
          const live = await liveLatency(side.instances[0], side.instances[1], 200);
          console.log(live ? `  live update A -> B: p50 ${live.p50.toFixed(1)} ms, p99 ${live.p99.toFixed(1)} ms over ${live.n} messages` : "  live update A -> B: no event stream to measure");
        }
      } finally {
        for (const p of side.instances) await p.stop();
      }
    }
  } finally {
    await cluster.stop();
    await sim.stop();
  }
}

if (import.meta.main) await run();
