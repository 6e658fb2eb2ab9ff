// bench/startup: the compiled executable, as an operator runs it.
//   - Cold start: from spawning `pano serve` to its first 200 on /healthz, with an empty data dir
//     and with a database of BENCH_STARTUP_MB (default 1,024) MB of messages (indexed for search),
//     beside a bare compiled Bun server answering /healthz, spawned and polled the same way, in the
//     same run (unit of work: one process start to one 200; the median of 5 starts each).
//   - Memory: Pano's RSS at idle, and its peak while BENCH_STARTUP_LOAD (default 50,000) API-channel
//     messages arrive as fast as wrk sends them (one message per request, 2 threads, 64
//     connections, each sent once; the goal: under 200 MB at 5k msg/s), beside the bare server's
//     RSS at idle.
import { mkdirSync, rmSync, writeFileSync, readFileSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "../src/store/db.ts";
import { indexMessage } from "../src/store/search-index.ts";
import { loadSealer } from "../src/store/secrets.ts";
import { BUN, ROOT, tempDir, startPano, ADMIN } from "../tests/support/pano.ts";
import { percentile } from "./load.ts";
import { driveWrk } from "./wrk.ts";
import { inboundBody } from "./ingest.ts";

const STARTS = 5;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

async function compile(entry: string, outfile: string): Promise<void> {
  const p = Bun.spawn([BUN, "build", "--compile", "--minify", entry, "--outfile", outfile], { cwd: ROOT, stdout: "ignore", stderr: "inherit" });
  if ((await p.exited) !== 0) throw new Error(`could not compile ${entry}`);
}

/** Spawns `cmd` and polls until /healthz answers 200 on the port it reports; returns ms and the process. */
async function startToHealthy(cmd: string[], env: Record<string, string>, portOf: () => number | null) {
  const t0 = performance.now();
  const proc = Bun.spawn(cmd, { env: { ...process.env, ...env }, stdout: "ignore", stderr: "pipe" });
  for (;;) {
    const port = portOf();
    if (port) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) return { ms: performance.now() - t0, proc };
    }
    if (proc.exitCode !== null) throw new Error(`${cmd[0]} exited ${proc.exitCode} before it was healthy: ${(await new Response(proc.stderr).text()).slice(-700)}`);
    if (performance.now() - t0 > 120_000) throw new Error(`${cmd[0]} not healthy after 120 s`);
    await Bun.sleep(2);
  }
}

const servePort = (dir: string) => () => {
  try {
    return (JSON.parse(readFileSync(join(dir, "serve.json"), "utf8")) as { port: number }).port;
  } catch {
    return null;
  }
};

async function medianStart(cmd: string[], env: Record<string, string>, portOf: () => number | null, after?: () => void): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    after?.();
    const { ms, proc } = await startToHealthy(cmd, env, portOf);
    times.push(ms);
    proc.kill("SIGTERM");
    await proc.exited;
  }
  return percentile(times.sort((a, b) => a - b), 50);
}

/** A data dir whose database holds about `mb` MB of messages in conversations of 10, all searchable. */
async function bigDataDir(mb: number): Promise<string> {
  const dir = tempDir("pano-bench-startup-big-");
  const store = openStore(dir, { synchronous: "NORMAL" });
  const db = store.sqlite;
  const now = Date.now();
  // The channel's config is sealed with the data dir's own key, as Pano keeps it.
  const sealed = await (await loadSealer(dir)).seal("{}");
  db.run("INSERT INTO channels (id, type, name, config_enc, created_at) VALUES (1, 'api', 'bench', ?, ?)", [sealed, now]);
  const text = (i: number) => `Shop ơi, đơn hàng #${100000 + i} của mình giao chưa ạ? ` + "Mình cần gấp trước thứ 6, nhờ shop kiểm tra giúp mình với nhé. ".repeat(12);
  const contact = db.prepare("INSERT INTO contacts (id, name, search, created_at, updated_at) VALUES (?1, ?2, ?2, ?3, ?3)");
  const conv = db.prepare("INSERT INTO conversations (id, channel_id, contact_id, status, last_message_at, created_at, updated_at) VALUES (?1, 1, ?1, 'resolved', ?2, ?2, ?2)");
  const msg = db.prepare("INSERT INTO messages (conversation_id, channel_id, direction, author_type, text, status, created_at) VALUES (?, 1, 'in', 'contact', ?, 'received', ?)");
  let i = 0;
  while (statSync(join(dir, "pano.db")).size < mb * 1024 * 1024) {
    db.transaction(() => {
      for (let k = 0; k < 5000; k++, i++) {
        if (i % 10 === 0) { contact.run(i / 10 + 1, `Khách ${i / 10 + 1}`, now); conv.run(i / 10 + 1, now); }
        const t = text(i);
        const id = Number(msg.run(Math.floor(i / 10) + 1, t, now - (1e9 - i)).lastInsertRowid);
        indexMessage(db, id, t);
      }
    })();
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  store.close();
  console.log(`  database: ${(statSync(join(dir, "pano.db")).size / 1024 / 1024).toFixed(0)} MB, ${i.toLocaleString("en")} messages`);
  return dir;
}

export async function run() {
  const mb = Number(process.env.BENCH_STARTUP_MB ?? 1024);
  const load = Number(process.env.BENCH_STARTUP_LOAD ?? 50_000);
  const work = tempDir("pano-bench-startup-");
  const pano = join(work, "pano");
  const bareSrc = join(work, "bare.ts");
  const bare = join(work, "bare");
  const bareDir = join(work, "bare-port");
  mkdirSync(bareDir, { recursive: true });
  writeFileSync(bareSrc, `const s = Bun.serve({ port: 0, fetch: (r) => new URL(r.url).pathname === "/healthz" ? new Response("ok") : new Response("no", { status: 404 }) });\nawait Bun.write(process.env.PORT_FILE!, String(s.port));\n`);
  // Pano as `npm run build` makes it for operators (its worker entrypoints included); the bare server plainly.
  const build = async () => {
    const p = Bun.spawn([BUN, join(ROOT, "scripts/build.ts"), "--outfile", pano], { cwd: ROOT, stdout: "ignore", stderr: "inherit" });
    if ((await p.exited) !== 0) throw new Error("npm run build failed");
  };
  await Promise.all([build(), compile(bareSrc, bare)]);
  const portFile = join(bareDir, "port");
  const barePort = () => (existsSync(portFile) ? Number(readFileSync(portFile, "utf8")) || null : null);
  const clearBare = () => rmSync(portFile, { force: true });
  const panoEnv = (dir: string) => ({ PORT: "0", PANO_DATA_DIR: dir, PANO_ADMIN_EMAIL: ADMIN.email, PANO_ADMIN_PASSWORD: ADMIN.password, PANO_LOG_LEVEL: "warn" });

  console.log(`unit of work: spawn to the first 200 on /healthz, median of ${STARTS} starts; the bare side is a compiled Bun server answering /healthz`);
  const bareMs = await medianStart([bare], { PORT_FILE: portFile }, barePort, clearBare);
  const emptyDir = tempDir("pano-bench-startup-empty-");
  const emptyMs = await medianStart([pano, "serve"], panoEnv(emptyDir), servePort(emptyDir), () => rmSync(join(emptyDir, "serve.json"), { force: true }));
  console.log(`bare compiled Bun server: ${bareMs.toFixed(0)} ms`);
  console.log(`pano, empty data dir:     ${emptyMs.toFixed(0)} ms  (${(emptyMs / bareMs).toFixed(1)}x the bare server)`);
  const bigDir = await bigDataDir(mb);
  const bigMs = await medianStart([pano, "serve"], panoEnv(bigDir), servePort(bigDir), () => rmSync(join(bigDir, "serve.json"), { force: true }));
  console.log(`pano, ${mb} MB database:  ${bigMs.toFixed(0)} ms  (${(bigMs / bareMs).toFixed(1)}x the bare server)`);
  rmSync(bigDir, { recursive: true, force: true });

  // Memory: the bare server at idle, then Pano at idle and at its peak while messages pour in.
  clearBare();
  const b = await startToHealthy([bare], { PORT_FILE: portFile }, barePort);
  await Bun.sleep(1000);
  const bareRss = rssMb(b.proc.pid);
  b.proc.kill();
  const p = await startPano({ binary: pano, env: { PANO_LOG_LEVEL: "warn" } });
  try {
    await Bun.sleep(2000);
    const idle = rssMb(p.proc.pid);
    const ch = await p.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "bench" } });
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(p.proc.pid))), 100);
    const headers = { authorization: `Bearer ${p.token}`, "content-type": "application/json" };
    const salt = `s${Date.now()}`;
    const requests = Array.from({ length: load }, (_, i) => ({ path: `/api/v1/channels/${ch.id}/inbound`, headers, body: inboundBody(i, salt) }));
    const r = await driveWrk(`http://127.0.0.1:${p.port}`, requests, { pid: p.proc.pid });
    clearInterval(sampler);
    console.log(`RSS: bare server idle ${bareRss.toFixed(0)} MB; pano idle ${idle.toFixed(0)} MB (${(idle / bareRss).toFixed(1)}x), peak ${peak.toFixed(0)} MB while taking ${load.toLocaleString("en")} messages at ${r.perSecond.toFixed(0)} msg/s [goal: under 200 MB at 5,000 msg/s]`);
  } finally {
    await p.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(emptyDir, { recursive: true, force: true });
  }
}

if (import.meta.main) await run();
