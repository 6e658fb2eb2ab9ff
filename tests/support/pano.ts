// Starts a real Pano process (from source, or the compiled dist/pano) on a free port with a
// throw-away data dir, and gives tests an authenticated API client.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";

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

export async function freePort(): Promise<number> {
  const s = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

export function tempDir(prefix = "pano-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function panoCommand(binary?: string): string[] {
  return binary ? [binary] : [BUN, join(ROOT, "src/main.ts")];
}

/** Runs a one-shot pano command (user create, token create, ...) against a data dir. */
export async function runPano(args: string[], env: Record<string, string>, opts: { binary?: string; stdin?: string; cwd?: string } = {}) {
  const p = Bun.spawn([...panoCommand(opts.binary), ...args], {
    cwd: opts.cwd ?? ROOT, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe",
    stdin: opts.stdin !== undefined ? new TextEncoder().encode(opts.stdin) : "ignore",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { stdout, stderr, code };
}

export async function startPano(opts: { env?: Record<string, string>; dataDir?: string; binary?: string; port?: number; cwd?: string } = {}): Promise<PanoProcess> {
  const dataDir = opts.dataDir ?? tempDir();
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PORT: String(port),
    PANO_DATA_DIR: dataDir,
    PANO_PUBLIC_URL: url,
    PANO_ADMIN_EMAIL: ADMIN.email,
    PANO_ADMIN_PASSWORD: ADMIN.password,
    PANO_LOG_LEVEL: "info",
    PANO_OUTBOX_POLL_MS: "100",
    // The simulators and receivers live on 127.0.0.1; production refuses such addresses.
    PANO_ALLOW_PRIVATE_FETCH: "1",
    ...opts.env,
  };
  let output = "";
  const proc = Bun.spawn([...panoCommand(opts.binary), "serve"], { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  const collect = async (s: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    for await (const chunk of s) output += dec.decode(chunk);
  };
  void collect(proc.stdout as ReadableStream<Uint8Array>);
  void collect(proc.stderr as ReadableStream<Uint8Array>);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`pano exited with ${proc.exitCode} before serving:\n${output}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill(9);
      throw new Error(`pano did not become healthy in 20 s:\n${output}`);
    }
    await Bun.sleep(50);
  }
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
    await Bun.sleep(25);
  }
}
