// Starts a real Pano process (from source, or the compiled dist/pano) with a throw-away data dir,
// and gives tests an authenticated API client. Pano binds PORT=0 itself and reports the port it
// got, so no two stories (nor anything else on the machine) can race for one.
import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { test } from "bun:test";
import { Database } from "bun:sqlite";
import { openPostgres } from "../../src/store/postgres/connection.ts";

export const ROOT = resolve(import.meta.dir, "../..");
export const BUN = process.execPath;
export const ADMIN = { email: "admin@pano.test", password: "mat-khau-an-toan-123" };

export interface PanoProcess {
  url: string;
  port: number;
  dataDir: string;
  token: string;
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** Same as api() but parses JSON and throws on a non-2xx answer. */
  json<T = any>(path: string, init?: RequestInit & { json?: unknown }): Promise<T>;
  stop(): Promise<number>;
  kill(): Promise<void>;
  logs(): string;
  proc: Subprocess;
}

export interface ServeReport { port: number; pid: number; url: string }

/** What `pano serve` wrote to <data dir>/serve.json once listening (null before, or another process's; pid null: any). */
export function servedBy(dataDir: string, pid: number | null): ServeReport | null {
  try {
    const report = JSON.parse(readFileSync(join(dataDir, "serve.json"), "utf8"));
    return pid === null || report.pid === pid ? report : null;
  } catch {
    return null;
  }
}

/** The "listening" log line in Pano's output, which carries the port it bound. */
function listeningLine(output: string): { port: number; url: string } | null {
  for (const line of output.split("\n")) {
    if (!line.includes('"listening"')) continue;
    try {
      const l = JSON.parse(line);
      // An older executable (the upgrade story) logs its default URL with port 0 unchanged.
      if (l.msg === "listening" && l.port > 0) return { port: l.port, url: URL.canParse(l.url) && new URL(l.url).port === String(l.port) ? l.url : `http://localhost:${l.port}` };
    } catch {
      // a partial line: the rest is still coming
    }
  }
  return null;
}

/**
 * Waits for `pano serve` (proc) to report its port, in dataDir or in its "listening" log line
 * (the one a story sees when the data dir is elsewhere, e.g. inside a chroot), and answer
 * /healthz there.
 * pid: the Pano process, when proc only wraps it (npm start); null takes any report (a fresh dir).
 */
export async function untilServing(proc: Subprocess, dataDir: string, opts: { output?: () => string; ms?: number; pid?: number | null } = {}): Promise<{ port: number; url: string }> {
  const { output = () => "", ms = 20_000, pid = proc.pid } = opts;
  const deadline = Date.now() + ms;
  let report: { port: number; url: string } | null = null;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`pano exited with ${proc.exitCode} before serving:\n${output()}`);
    report ??= servedBy(dataDir, pid) ?? listeningLine(output());
    try {
      if (report && (await fetch(`http://127.0.0.1:${report.port}/healthz`)).ok) return report;
    } catch {
      // reported but not answering yet
    }
    if (Date.now() > deadline) {
      proc.kill(9);
      throw new Error(`pano did not report a port and become healthy in ${ms / 1000} s:\n${output()}`);
    }
    await Bun.sleep(50); // polling interval while waiting for the report
  }
}

export function tempDir(prefix = "pano-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function panoCommand(binary?: string): string[] {
  return binary ? [binary] : [BUN, join(ROOT, "src/main.ts")];
}

/** Runs a one-shot pano command (user create, token create, ...) against a data dir. */
export async function runPano(args: string[], env: Record<string, string>, opts: { binary?: string; stdin?: string; cwd?: string } = {}) {
  // On PostgreSQL a command run for a data dir works on that data dir's database.
  // A story's own PANO_DATABASE_URL, even an empty one (SQLite on purpose), is kept as given.
  const postgres: Record<string, string> = ON_POSTGRES && env.PANO_DATA_DIR && !("PANO_DATABASE_URL" in env) ? { PANO_DATABASE_URL: await databaseFor(env.PANO_DATA_DIR) } : {};
  const p = Bun.spawn([...panoCommand(opts.binary), ...args], {
    cwd: opts.cwd ?? ROOT, env: { ...process.env, ...env, ...postgres }, stdout: "pipe", stderr: "pipe",
    stdin: opts.stdin !== undefined ? new TextEncoder().encode(opts.stdin) : "ignore",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { stdout, stderr, code };
}

/**
 * PANO_TEST_POSTGRES=1 runs the stories on PostgreSQL: one throw-away cluster for the test
 * process, one database per data dir (a story restarting Pano on its data dir finds its data).
 */
export const ON_POSTGRES = process.env.PANO_TEST_POSTGRES === "1";

/**
 * A story about what only the embedded SQLite has: its files and their modes, WAL checkpoints,
 * Litestream replication, pano backup and restore, the ingest and search-index threads, a locked
 * or full database file. PostgreSQL keeps its own files, WAL and replication (docs/scale-out.md),
 * so with PANO_TEST_POSTGRES=1 such a story is skipped, and counted among the skipped.
 */
export const sqliteStory = test.skipIf(ON_POSTGRES);
let cluster: Promise<import("./postgres.ts").PostgresCluster> | null = null;
const databases = new Map<string, Promise<string>>();

const opened = new Map<string, string>();

export function databaseFor(dataDir: string): Promise<string> {
  let url = databases.get(dataDir);
  if (!url) {
    cluster ??= import("./postgres.ts").then((m) => m.startPostgres());
    databases.set(dataDir, (url = cluster.then((c) => c.createDatabase())));
    void url.then((u) => opened.set(dataDir, u));
  }
  return url;
}

/**
 * A story's own look into a Pano's database (close it after): the SQLite file read-only, or on
 * PostgreSQL that data dir's database through the same door Pano uses.
 */
export function openDatabaseOf(dataDir: string, opts: { write?: boolean } = {}): Database {
  const url = ON_POSTGRES ? opened.get(dataDir) : undefined;
  if (ON_POSTGRES && !url) throw new Error(`no PostgreSQL database was made for ${dataDir}`);
  if (url) return openPostgres(url);
  const db = new Database(join(dataDir, "pano.db"), { readonly: !opts.write });
  if (opts.write) db.exec("PRAGMA busy_timeout = 5000");
  return db;
}

export async function startPano(opts: { env?: Record<string, string>; dataDir?: string; binary?: string; cwd?: string } = {}): Promise<PanoProcess> {
  const dataDir = opts.dataDir ?? tempDir();
  const postgres: Record<string, string> = ON_POSTGRES && !(opts.env && "PANO_DATABASE_URL" in opts.env) ? { PANO_DATABASE_URL: await databaseFor(dataDir) } : {};
  // PANO_PUBLIC_URL stays unset (unless a story sets its own): it then follows the bound port,
  // so links Pano hands out point at the server the story talks to.
  const env: Record<string, string> = {
    PORT: "0",
    PANO_DATA_DIR: dataDir,
    PANO_PUBLIC_URL: "", // empty is unset: not one inherited from the shell
    PANO_ADMIN_EMAIL: ADMIN.email,
    PANO_ADMIN_PASSWORD: ADMIN.password,
    PANO_LOG_LEVEL: "info",
    PANO_OUTBOX_POLL_MS: "100",
    // The simulators and receivers live on 127.0.0.1; production refuses such addresses.
    PANO_ALLOW_PRIVATE_FETCH: "1",
    ...postgres,
    ...opts.env,
  };
  let output = "";
  const proc = Bun.spawn([...panoCommand(opts.binary), "serve"], { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  const errorLog = process.env.PANO_TEST_ERROR_LOG;
  const collect = async (s: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    for await (const chunk of s) {
      const text = dec.decode(chunk);
      output += text;
      // PANO_TEST_ERROR_LOG=file gathers every Pano's logged errors of a run, to read them in one place.
      if (errorLog && text.includes('"level":"error"')) appendFileSync(errorLog, text.split("\n").filter((l) => l.includes('"level":"error"')).map((l) => l + "\n").join(""));
    }
  };
  void collect(proc.stdout as ReadableStream<Uint8Array>);
  void collect(proc.stderr as ReadableStream<Uint8Array>);
  const report = await untilServing(proc, dataDir, { output: () => output });
  const port = report.port;
  // A story's own PANO_PUBLIC_URL is deliberately elsewhere (a proxy); otherwise it is this server.
  const url = opts.env?.PANO_PUBLIC_URL ? `http://127.0.0.1:${port}` : report.url;
  const tok = await runPano(["token", "create", "--name", "tests", "--user", ADMIN.email], env, { binary: opts.binary, cwd: opts.cwd });
  if (tok.code !== 0) throw new Error(`token create failed: ${tok.stderr}`);
  const token = tok.stdout.trim();
  const api = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    return fetch(`${url}${path}`, { ...init, headers, body });
  };
  return {
    url, port, dataDir, token, proc, api,
    async json(path, init) {
      const r = await api(path, init);
      const text = await r.text();
      if (!r.ok) throw new Error(`${init?.method ?? "GET"} ${path} -> ${r.status}: ${text}`);
      return text ? JSON.parse(text) : null;
    },
    async stop() {
      proc.kill("SIGTERM");
      return await proc.exited;
    },
    async kill() {
      proc.kill(9);
      await proc.exited;
    },
    logs: () => output,
  };
}

/** Polls until `check` returns a truthy value (or throws after `ms`). */
/**
 * Resolves once search finds every message stored so far: customers' messages are indexed by a
 * thread of their own a moment after they are stored (src/store/search-index-thread.ts), and its
 * backlog is on /metrics. A store without the thread (PostgreSQL) indexes as it stores.
 */
export async function searchCaughtUp(pano: { url: string }): Promise<void> {
  await eventually(async () => {
    const backlog = /^pano_search_backlog (\d+)/m.exec(await (await fetch(`${pano.url}/metrics`)).text());
    return !backlog || backlog[1] === "0";
  }, 10_000, "search to index every message stored");
}

export async function eventually<T>(check: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 5000, what = "condition"): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await Bun.sleep(25); // polling interval
  }
}
