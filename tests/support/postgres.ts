// A real, throw-away PostgreSQL for tests and benchmarks (Debian's `postgresql` package), like
// dovecot.ts does for Dovecot: its own cluster in a temporary directory, one per test file
// (beforeAll/afterAll), with a fresh database per Pano instance or story.
//
// It listens on a Unix socket in that directory and on no TCP port at all: nothing to pick, so
// nothing to race for (stronger than "a free local port": no other process can take it).
// PostgreSQL refuses to run as root, so under root initdb and the server run as the `postgres`
// system user, through setpriv, which execs the server in place (runuser would stay in between as
// a watching parent, and a SIGKILL to it would orphan the server).
import { chownSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { tempDir } from "./pano.ts";

export interface PostgresCluster {
  /** The directory holding the server's socket (and the cluster: data/, server.log). */
  socketDir: string;
  /** postgres://pano@localhost/<db>?host=<socketDir>: libpq's URI form for a socket directory. */
  url(db: string): string;
  /** Creates a new, empty database (a unique name unless given) and answers its url. */
  createDatabase(name?: string): Promise<string>;
  /** Runs SQL through psql (ON_ERROR_STOP) on a database; answers psql's unaligned output. */
  psql(db: string, sql: string): Promise<string>;
  /** The server's log so far. */
  log(): string;
  /** Immediate shutdown (nothing to keep), then the directory is removed. */
  stop(): Promise<void>;
}

/** The newest PostgreSQL the system has (/usr/lib/postgresql/<version>/bin), or PG_BIN. */
export function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "postgres"))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length) throw new Error(`no PostgreSQL server under ${root}: install Debian's postgresql package`);
  return join(root, versions[0], "bin");
}

const PG_USER = "postgres";
const SUPERUSER = "pano";
let seq = 0;

const asRoot = process.getuid?.() === 0;

/**
 * A command run as the postgres system user when the tests run as root (setpriv execs it in place:
 * no process in between), as the tests' own user otherwise.
 */
function asPostgres(cmd: string[], pdeathsig?: string): string[] {
  const user = asRoot ? [`--reuid=${PG_USER}`, `--regid=${PG_USER}`, "--init-groups"] : [];
  return ["setpriv", ...user, ...(pdeathsig ? ["--pdeathsig", pdeathsig] : []), "--", ...cmd];
}

async function run(cmd: string[], what: string, stdin?: string): Promise<string> {
  const p = Bun.spawn(cmd, { stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin), stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`${what} failed (exit ${code}):\n${err || out}`);
  return out;
}

/** C.UTF-8 when the system has it (sorting by code point, as SQLite's default BINARY collation does). */
function utf8Locale(): string[] {
  const p = Bun.spawnSync(["locale", "-a"], { stdout: "pipe" });
  return /^C\.utf-?8$/im.test(p.stdout.toString()) ? ["--locale=C.UTF-8"] : [];
}

/** The server's own "ready" line in its log, or an error with the log's tail when it stopped or took too long. */
async function untilReady(proc: Subprocess, logFile: string, ms = 60_000): Promise<void> {
  const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "(no log)");
  const deadline = Date.now() + ms;
  for (;;) {
    if (log().includes("database system is ready to accept connections")) return;
    if (proc.exitCode !== null) throw new Error(`postgres exited with ${proc.exitCode} before it was ready:\n${log().slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`postgres was not ready in ${ms / 1000} s:\n${log().slice(-3000)}`);
    await Bun.sleep(25); // polling interval while the server starts
  }
}

/**
 * Removes the clusters of test processes that are gone. bun test runs no exit hook, so a cluster
 * never stopped (sharedPostgres's) loses its server with the process (the parent-death signal)
 * but leaves its directory, about 40 MB; the next start clears it.
 */
function sweepLeftovers(): void {
  for (const name of readdirSync(tmpdir())) {
    const owner = /^pano-pg-(\d+)-\d+-/.exec(name)?.[1];
    if (!owner || alive(Number(owner))) continue;
    const dir = join(tmpdir(), name);
    try {
      const server = Number(readFileSync(join(dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
      if (running(server)) continue;
    } catch {
      // no server was started there, or it removed its pid file as it stopped
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** durable: PostgreSQL's own defaults (fsync, synchronous_commit), for benchmarks that compare durable stores. */
export async function startPostgres(opts: { durable?: boolean } = {}): Promise<PostgresCluster> {
  const bin = postgresBin();
  sweepLeftovers();
  const dir = tempDir(`pano-pg-${process.pid}-${seq++}-`);
  const data = join(dir, "data");
  const logFile = join(dir, "server.log");
  if (asRoot) {
    const { uid, gid } = userIds(PG_USER);
    chownSync(dir, uid, gid);
  }

  await run(
    asPostgres([join(bin, "initdb"), "-D", data, "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--no-sync", ...utf8Locale()]),
    "initdb",
  );

  const proc = Bun.spawn(
    asPostgres(
      [
        join(bin, "postgres"), "-D", data,
        "-c", "listen_addresses=", "-c", `unix_socket_directories=${dir}`,
        // A throw-away cluster needs no durability: without these each commit waits for the
        // disk, and the machine's other tests with it. Crash safety is SQLite's story to prove.
        ...(opts.durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
        // Several Pano instances per test file, each with a pool of connections.
        "-c", "max_connections=300",
        "-c", "logging_collector=off",
      ],
      // The server goes when the test process goes, even by SIGKILL or at the end of bun test
      // (neither runs exit hooks): SIGQUIT is PostgreSQL's immediate shutdown.
      "QUIT",
    ),
    { stdin: "ignore", stdout: Bun.file(logFile), stderr: Bun.file(logFile) },
  );
  const onExit = () => {
    proc.kill("SIGQUIT");
    // For plain bun scripts (bench); bun test runs no exit hook (sweepLeftovers clears up after it).
    // A hook cannot await: it watches the server go (an immediate shutdown takes milliseconds)
    // before removing its directory, which the server still writes to as it goes.
    const until = Date.now() + 5_000;
    while (running(proc.pid) && Date.now() < until) Bun.sleepSync(5);
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // left in the system's temp dir
    }
  };
  process.once("exit", onExit);
  try {
    await untilReady(proc, logFile);
  } catch (err) {
    proc.kill("SIGKILL");
    await proc.exited;
    process.off("exit", onExit);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const psql = (db: string, sql: string) =>
    run([join(bin, "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", dir, "-U", SUPERUSER, "-d", db], `psql on ${db}`, sql);
  const url = (db: string) => `postgres://${SUPERUSER}@localhost/${encodeURIComponent(db)}?host=${encodeURIComponent(dir)}`;
  let dbSeq = 0;
  let stopped = false;

  return {
    socketDir: dir,
    url,
    async createDatabase(name) {
      const db = name ?? `pano_${process.pid}_${++dbSeq}`;
      await psql("postgres", `CREATE DATABASE "${db.replaceAll('"', '""')}"`);
      return url(db);
    },
    psql,
    log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off("exit", onExit);
      // What pg_ctl stop -m immediate does, on the process we hold: the postmaster ends its
      // backends first and exits last, so its exit means nothing of the cluster runs.
      proc.kill("SIGQUIT");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await proc.exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the process runs (an exited child nobody has reaped yet is a zombie, state Z). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

function userIds(name: string): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no ${name} system user: install Debian's postgresql package`);
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

let shared: Promise<PostgresCluster> | null = null;

/**
 * One cluster for the whole test process, started on first use and gone with the process (bun
 * test runs every file in one process): for stories that only need a database of their own, such
 * as the suite's PostgreSQL pass, which then pays for one initdb instead of one per file. Its stop()
 * does nothing, since other files share it; a story that stops or breaks its server starts its own.
 */
export function sharedPostgres(): Promise<PostgresCluster> {
  shared ??= startPostgres().then(
    (cluster) => ({ ...cluster, stop: async () => {} }),
    (err) => {
      shared = null;
      throw err;
    },
  );
  return shared;
}
