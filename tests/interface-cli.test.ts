// The `pano` command line as docs/interface.md lists it: every command answers --help, every
// misuse prints the usage and exits 2, `npm run pano -- <command>` and `npm start` run from source.
import { afterAll, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { BUN, ROOT, runPano, tempDir, eventually, untilServing, openDatabaseOf } from "./support/pano.ts";

const COMMANDS = ["serve", "user create", "token create", "backup", "restore", "triage"];

function npm(args: string[], env: Record<string, string>, opts: { detached?: boolean } = {}) {
  const cmd = ["npm", ...args];
  return Bun.spawn(opts.detached ? ["setsid", ...cmd] : cmd, { cwd: ROOT, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
}

let server: ReturnType<typeof npm> | undefined;
afterAll(() => {
  // setsid made npm the leader of its own group: signal the group so Bun goes too.
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  try {
    process.kill(-server.pid, "SIGKILL");
  } catch {
    // the group is already gone
  }
});

test("every documented command answers --help with its usage and exit 0", async () => {
  const runs = await Promise.all(COMMANDS.map((c) => runPano([...c.split(" "), "--help"], { PANO_DATA_DIR: tempDir() })));
  runs.forEach((r, i) => {
    expect(r.code, COMMANDS[i]).toBe(0);
    expect(r.stdout).toContain(`pano ${COMMANDS[i]}`);
  });
});

test("a wrong flag, a missing flag or a stray argument prints the usage on stderr and exits 2", async () => {
  const dir = tempDir();
  const misuses = [
    ["serve", "--port", "8080"],
    ["user", "create", "--email", "lan@shop.vn"],
    ["token", "create", "--name", "zapier", "--usr", "lan@shop.vn"],
    ["backup", "--too", "/tmp/x.tar"],
    ["restore", "--timestamp", "hôm qua"],
    ["triage", "--model", "x"],
  ];
  const runs = await Promise.all(misuses.map((args) => runPano(args, { PANO_DATA_DIR: dir })));
  runs.forEach((r, i) => {
    expect(r.code, misuses[i].join(" ")).toBe(2);
    expect(r.stderr).toContain("Usage");
    expect(r.stdout).toBe("");
  });
});

test("user create makes each role, even two at once on a new data dir; token create prints a token once and keeps only its hash", async () => {
  const dir = tempDir();
  const env = { PANO_DATA_DIR: dir };
  // Both open the fresh database at the same moment: one migrates, the other waits for it.
  const made = await Promise.all([
    runPano(["user", "create", "--email", "admin@shop.vn", "--password", "mat-khau-admin-1", "--name", "Chủ shop", "--role", "admin"], env),
    runPano(["user", "create", "--email", "supervisor@shop.vn", "--password", "mat-khau-super-1", "--role", "supervisor"], env),
  ]);
  // If one refuses, say why (a race between the two on a new data dir shows only here).
  for (const r of made) if (r.code !== 0) console.error(`pano user create exited ${r.code}:\n${r.stderr}`);
  for (const r of made) expect(r.code).toBe(0);
  // Without --role the new user is an agent.
  const plain = await runPano(["user", "create", "--email", "agent@shop.vn", "--password", "mat-khau-agent-1"], env);
  expect(plain.code).toBe(0);

  const [forAgent, forFirstAdmin, unknown] = await Promise.all([
    runPano(["token", "create", "--name", "tích hợp", "--user", "agent@shop.vn"], env),
    runPano(["token", "create", "--name", "mặc định"], env),
    runPano(["token", "create", "--name", "x", "--user", "khong-co@shop.vn"], env),
  ]);
  expect(forAgent.code).toBe(0);
  expect(forFirstAdmin.code).toBe(0);
  const agentToken = forAgent.stdout.trim();
  expect(agentToken.split("\n")).toHaveLength(1);
  expect(agentToken.length).toBeGreaterThanOrEqual(32);
  expect(unknown.code).not.toBe(0);
  expect(unknown.code).not.toBe(2);
  expect(unknown.stderr).toContain("khong-co@shop.vn");

  const db = openDatabaseOf(dir);
  const users = db.query<{ email: string; role: string }, []>("SELECT email, role FROM users").all();
  const owners = db.query<{ owner: string }, []>("SELECT u.email AS owner FROM api_tokens t JOIN users u ON u.id = t.user_id").all();
  db.close();
  expect(users).toHaveLength(3);
  expect(users).toEqual(expect.arrayContaining([{ email: "admin@shop.vn", role: "admin" }, { email: "supervisor@shop.vn", role: "supervisor" }, { email: "agent@shop.vn", role: "agent" }]));
  expect(owners.map((t) => t.owner).sort()).toEqual(["admin@shop.vn", "agent@shop.vn"]);
  for (const f of readdirSync(dir)) expect(await Bun.file(join(dir, f)).text()).not.toContain(agentToken);
});

test("npm run pano -- <command> runs the same commands from source", async () => {
  const dir = tempDir();
  const help = npm(["run", "-s", "pano", "--", "--help"], {});
  expect(await help.exited).toBe(0);
  const helpText = await new Response(help.stdout).text();
  for (const c of COMMANDS) expect(helpText).toContain(c);

  const create = npm(["run", "-s", "pano", "--", "user", "create", "--email", "hoa@shop.vn", "--password", "mat-khau-hoa-1", "--role", "admin"], { PANO_DATA_DIR: dir });
  expect(await create.exited).toBe(0);
  const wrong = npm(["run", "-s", "pano", "--", "token", "create", "--nam", "x"], { PANO_DATA_DIR: dir });
  expect(await wrong.exited).toBe(2);
});

test("npm start serves from source (pano serve), migrating an empty data dir first", async () => {
  const dir = join(tempDir(), "fresh");
  server = npm(["start"], { PORT: "0", PANO_DATA_DIR: dir, PANO_ADMIN_EMAIL: "chu@shop.vn", PANO_ADMIN_PASSWORD: "mat-khau-chu-shop" }, { detached: true });
  // npm is the child here, Pano its grandchild: the report's pid is not server.pid.
  const { port } = await untilServing(server, dir, { pid: null });
  const health = await eventually(async () => {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    return r.status === 200 && (await r.json());
  }, 20_000, "npm start to answer /healthz");
  expect(health).toEqual({ status: "ok" });
  const login = await fetch(`http://127.0.0.1:${port}/login`, { method: "POST", redirect: "manual", body: new URLSearchParams({ email: "chu@shop.vn", password: "mat-khau-chu-shop" }) });
  expect(login.status).toBe(303);
  process.kill(-server.pid, "SIGTERM");
  await server.exited;
  await eventually(async () => {
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      return false;
    } catch {
      return true; // no longer listening: Pano stopped with npm
    }
  }, 10_000, "Pano to stop");
}, 40_000);

test("pano with no command serves (serve is the default) and SIGTERM stops it with exit 0", async () => {
  const dir = tempDir();
  const p = Bun.spawn([BUN, join(ROOT, "src/main.ts")], {
    cwd: ROOT, env: { ...process.env, PORT: "0", PANO_DATA_DIR: dir, PANO_ADMIN_EMAIL: "a@shop.vn", PANO_ADMIN_PASSWORD: "mat-khau-admin" }, stdout: "ignore", stderr: "ignore",
  });
  try {
    await untilServing(p, dir);
  } finally {
    p.kill("SIGTERM");
  }
  expect(await p.exited).toBe(0);
  expect(existsSync(join(dir, "pano.db"))).toBe(true);
}, 30_000);

test("pano serve on a port already in use says so in one line and exits 1", async () => {
  const taken = Bun.serve({ port: 0, fetch: () => new Response("someone else") });
  try {
    const r = await runPano(["serve"], { PORT: String(taken.port), PANO_DATA_DIR: tempDir(), PANO_ADMIN_EMAIL: "a@shop.vn", PANO_ADMIN_PASSWORD: "mat-khau-admin" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot listen on port ${taken.port}`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  } finally {
    taken.stop(true);
  }
}, 30_000);

test("a data dir the machine refuses (a file in the way) is one line on stderr and exit 1, not a stack trace", async () => {
  const file = join(tempDir(), "not-a-dir");
  await Bun.write(file, "x");
  const r = await runPano(["user", "create", "--email", "lan@shop.vn", "--password", "mat-khau-lan-1"], { PANO_DATA_DIR: join(file, "data") });
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toContain("ENOTDIR");
});
