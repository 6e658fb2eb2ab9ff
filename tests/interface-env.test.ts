// The environment variables of docs/interface.md, as an operator meets them: where the data
// goes, which public URL Pano tells providers, who the first admin is, what the log says.
import { afterEach, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { BUN, databaseFor, ON_POSTGRES, ROOT, runPano, tempDir, untilServing } from "./support/pano.ts";

interface Served { url: string; port: number; output(): string; stop(): Promise<void> }
const running: Served[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

/** `pano serve` with exactly the given environment (no test defaults; PORT=0), until it reports its port and /healthz answers. */
async function serve(env: Record<string, string> & { PANO_DATA_DIR: string }): Promise<Served> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PANO_")));
  // On the PostgreSQL pass the data dir's database, as the one-shot commands run for it use.
  const database = ON_POSTGRES ? { PANO_DATABASE_URL: await databaseFor(env.PANO_DATA_DIR) } : {};
  const proc = Bun.spawn([BUN, join(ROOT, "src/main.ts"), "serve"], {
    cwd: ROOT, env: { ...clean, PORT: "0", PANO_OUTBOX_POLL_MS: "100", ...database, ...env }, stdout: "pipe", stderr: "pipe",
  });
  let out = "";
  // Read to the end: stop() returns once everything the process wrote is in `out`.
  const drained = Promise.all([proc.stdout, proc.stderr].map(async (s) => { for await (const c of s as ReadableStream<Uint8Array>) out += new TextDecoder().decode(c); }));
  const { port } = await untilServing(proc, env.PANO_DATA_DIR, { output: () => out });
  const url = `http://127.0.0.1:${port}`;
  const served: Served = {
    url, port, output: () => out,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill("SIGTERM");
      await proc.exited;
      await drained;
    },
  };
  running.push(served);
  return served;
}

async function login(url: string, email: string, password: string): Promise<number> {
  const r = await fetch(`${url}/login`, { method: "POST", redirect: "manual", body: new URLSearchParams({ email, password }) });
  return r.status;
}

test("without PANO_ADMIN_* the first start creates an admin with a random password printed once", async () => {
  const dataDir = tempDir();
  const first = await serve({ PANO_DATA_DIR: dataDir });
  const password = /password:\s*(\S+)/.exec(first.output())?.[1];
  expect(password).toBeString();
  expect(await login(first.url, "admin@localhost", password!)).toBe(303);
  await first.stop();

  // Users exist now: a later start prints nothing and ignores PANO_ADMIN_*.
  const second = await serve({ PANO_DATA_DIR: dataDir, PANO_ADMIN_EMAIL: "chu@shop.vn", PANO_ADMIN_PASSWORD: "mat-khau-chu-shop" });
  expect(second.output()).not.toContain(password!);
  expect(second.output()).not.toMatch(/password:/);
  expect(await login(second.url, "chu@shop.vn", "mat-khau-chu-shop")).toBe(401);
  expect(await login(second.url, "admin@localhost", password!)).toBe(303);
}, 40_000);

test("with only one of PANO_ADMIN_EMAIL / PANO_ADMIN_PASSWORD, the other is generated (password printed) or admin@localhost", async () => {
  const [emailOnly, passwordOnly] = await Promise.all([
    serve({ PANO_DATA_DIR: tempDir(), PANO_ADMIN_EMAIL: "Chu.Shop@Shop.vn" }),
    serve({ PANO_DATA_DIR: tempDir(), PANO_ADMIN_PASSWORD: "mat-khau-chi-co-mat-khau" }),
  ]);
  const printed = /password:\s*(\S+)/.exec(emailOnly.output())?.[1];
  expect(printed).toBeString();
  expect(await login(emailOnly.url, "chu.shop@shop.vn", printed!)).toBe(303);
  expect(passwordOnly.output()).not.toMatch(/password:/);
  expect(passwordOnly.output()).not.toContain("mat-khau-chi-co-mat-khau");
  expect(await login(passwordOnly.url, "admin@localhost", "mat-khau-chi-co-mat-khau")).toBe(303);
}, 40_000);

test("PANO_ADMIN_EMAIL and PANO_ADMIN_PASSWORD make the first admin; logs are one JSON object a line at PANO_LOG_LEVEL", async () => {
  const quiet = await serve({ PANO_DATA_DIR: tempDir(), PANO_ADMIN_EMAIL: "quan.ly@shop.vn", PANO_ADMIN_PASSWORD: "mat-khau-quan-ly", PANO_LOG_LEVEL: "warn" });
  expect(await login(quiet.url, "quan.ly@shop.vn", "mat-khau-quan-ly")).toBe(303);
  expect(await login(quiet.url, "quan.ly@shop.vn", "sai-mat-khau")).toBe(401);
  await quiet.stop();
  const quietLines = quiet.output().split("\n").filter(Boolean);
  for (const line of quietLines) expect(["warn", "error"]).toContain(JSON.parse(line).level);
  expect(quiet.output()).not.toContain("mat-khau-quan-ly");

  const chatty = await serve({ PANO_DATA_DIR: tempDir(), PANO_ADMIN_EMAIL: "quan.ly@shop.vn", PANO_ADMIN_PASSWORD: "mat-khau-quan-ly", PANO_LOG_LEVEL: "info" });
  await chatty.stop();
  const lines = chatty.output().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  expect(lines.length).toBeGreaterThan(quietLines.length);
  for (const l of lines) {
    expect(l.time).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(["info", "warn", "error"]).toContain(l.level);
    expect(l.msg).toBeString();
  }
  expect(lines.map((l) => l.msg)).toContain("listening");
}, 40_000);

test("PANO_PUBLIC_URL (default http://localhost:$PORT) and PANO_ZALO_OAUTH_URL are what Zalo is told", async () => {
  const zalo = { oa_id: "4318000000000000001", app_id: "1234567890", app_secret: "bi-mat-app", oa_secret_key: "khoa-oa", access_token: "at", refresh_token: "rt" };
  const connect = async (s: Served) => {
    const tok = (await runPano(["token", "create", "--name", "env"], { PANO_DATA_DIR: dataDirs.get(s)! })).stdout.trim();
    const api = (path: string, json: unknown) =>
      fetch(`${s.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${tok}`, "content-type": "application/json" }, body: JSON.stringify(json) }).then((r) => r.json());
    const ch = await api("/api/v1/channels", { type: "zalo", name: "OA Shop", config: zalo });
    return await api(`/api/v1/channels/${ch.id}/zalo/connect`, {});
  };
  const dataDirs = new Map<Served, string>();
  const base = { PANO_ADMIN_EMAIL: "a@shop.vn", PANO_ADMIN_PASSWORD: "mat-khau-admin", PANO_ZALO_API_URL: "http://127.0.0.1:9", PANO_ZALO_OAUTH_URL: "http://127.0.0.1:9/zalo-oauth" };

  let dir = tempDir();
  const plain = await serve({ ...base, PANO_DATA_DIR: dir });
  dataDirs.set(plain, dir);
  const a = await connect(plain);
  expect(a.callback_url).toBe(`http://localhost:${plain.port}/zalo/oauth/callback`);
  expect(a.authorize_url.startsWith("http://127.0.0.1:9/zalo-oauth/")).toBe(true);
  expect(new URL(a.authorize_url).searchParams.get("redirect_uri")).toBe(a.callback_url);
  await plain.stop();

  dir = tempDir();
  const proxied = await serve({ ...base, PANO_DATA_DIR: dir, PANO_PUBLIC_URL: "https://hotro.shop.vn/" });
  dataDirs.set(proxied, dir);
  const b = await connect(proxied);
  expect(b.callback_url).toBe("https://hotro.shop.vn/zalo/oauth/callback");
}, 40_000);

test("PANO_DATA_DIR defaults to ./data; a bad PORT or PANO_LOG_LEVEL is a configuration error (exit 2)", async () => {
  const cwd = tempDir();
  // Bun takes the JSX settings from the working directory's tsconfig; from elsewhere, name it.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PANO_")));
  const p = Bun.spawn([BUN, "--tsconfig-override", join(ROOT, "tsconfig.json"), join(ROOT, "src/main.ts"), "user", "create", "--email", "lan@shop.vn", "--password", "mat-khau-lan-1"], { cwd, env: clean, stdout: "pipe", stderr: "pipe" });
  expect(await p.exited).toBe(0);
  expect(existsSync(join(cwd, "data", "pano.db"))).toBe(true);

  const [badLevel, badPort] = await Promise.all([
    runPano(["serve"], { PANO_DATA_DIR: tempDir(), PANO_LOG_LEVEL: "verbose" }),
    runPano(["serve"], { PANO_DATA_DIR: tempDir(), PORT: "http" }),
  ]);
  expect(badLevel.code).toBe(2);
  expect(badLevel.stderr).toContain("PANO_LOG_LEVEL");
  expect(badPort.code).toBe(2);
  expect(badPort.stderr).toContain("PORT");
}, 30_000);
