// Security basics an admin can check from outside: every page runs only Pano's own scripts and
// cannot be framed; password guessing is cut off per address (behind a proxy, per forwarded
// address); the audit log of admin actions is the admins' to read; channel secrets are sealed on
// disk; and a day of work, failures included, leaves no password, token or secret in the log.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startPano, runPano, eventually, openDatabaseOf, ADMIN, ON_POSTGRES, type PanoProcess } from "./support/pano.ts";
import { startS3, type S3Server } from "./support/s3.ts";
import { signIn, type PageSession } from "./settings-session.ts";

const DEAD = "http://127.0.0.1:9"; // nothing listens: every outbound call fails
const SECRETS = {
  pageToken: "EAAB-page-token-never-logged-7731",
  appSecret: "fb-app-secret-never-logged-5512",
  verifyToken: "verify-token-never-logged-2209",
  callbackSecret: "callback-secret-never-logged-4410",
  llmKey: "sk-llm-key-never-logged-9921",
  agentPassword: "mat-khau-cua-lan-khong-log",
  invitedPassword: "mat-khau-cua-minh-khong-log",
};
const PAGE_ID = "104857600000042";

let pano: PanoProcess;
let s3: S3Server;
let admin: PageSession;
const cliOutput: string[] = [];

beforeAll(async () => {
  s3 = await startS3();
  pano = await startPano({
    env: {
      PANO_LOG_LEVEL: "debug", PANO_TRUST_PROXY: "1", PANO_FACEBOOK_GRAPH_URL: DEAD, PANO_RETRY_BASE_MS: "5",
      PANO_LLM_URL: DEAD, PANO_LLM_MODEL: "m", PANO_LLM_API_KEY: SECRETS.llmKey, PANO_LLM_BELOW_CONFIDENCE: "1",
      ...s3.env("security"),
    },
  });
  admin = await signIn(pano, ADMIN.email, ADMIN.password);
});
afterAll(async () => {
  await pano?.stop();
  await s3?.stop();
});

const PAGES = ["/inbox", "/settings/system", "/settings/channels", "/settings/users", "/settings/tokens", "/reports", "/account"];

test("every page allows only Pano's own scripts, no inline code, and refuses to be framed", async () => {
  const answers = [{ path: "/login", res: await fetch(`${pano.url}/login`) }];
  for (const path of PAGES) answers.push({ path, res: await fetch(pano.url + path, { headers: { cookie: admin.cookie }, redirect: "manual" }) });
  answers.push({ path: "/api/v1/channels", res: await pano.api("/api/v1/channels") });
  for (const { path, res } of answers) {
    expect([path, res.status]).toEqual([path, 200]);
    const csp = Object.fromEntries((res.headers.get("content-security-policy") ?? "").split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(" ")]));
    expect([path, csp["script-src"], csp["frame-ancestors"], csp["object-src"], csp["base-uri"]]).toEqual([path, "'self'", "'none'", "'none'", "'none'"]);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await res.text();
    if (!res.headers.get("content-type")?.includes("text/html")) continue;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect([path, /\bsrc="\/(?!\/)[^"]+"/.test(attrs!), body!.trim()]).toEqual([path, true, ""]);
    }
    expect([path, html.match(/\son[a-z]+\s*=/gi)]).toEqual([path, null]);
  }
});

test("the audit log of admin actions is readable by admins, with secrets masked, and by nobody else", async () => {
  const users = (await pano.json("/api/v1/users")).data;
  const me = users.find((u: any) => u.email === ADMIN.email);
  const invited = await admin.post("/settings/users", { name: "Trần Minh", email: "minh@pano.test", role: "agent", capacity: "5", password: SECRETS.invitedPassword });
  expect(invited.status).toBe(201);
  const token = await admin.post("/settings/tokens", { name: "Kho hàng", user_id: me.id });
  expect(token.status).toBe(201);

  const audit = await pano.json("/api/v1/audit?actor_type=user");
  const actions = audit.data.map((e: any) => e.action);
  expect(actions.slice(0, 2)).toEqual(["api_token.created", "user.invited"]);
  const invite = audit.data.find((e: any) => e.action === "user.invited");
  expect(invite).toMatchObject({ actor: { type: "user", id: me.id, email: ADMIN.email }, subject: { type: "user" }, data: { email: "minh@pano.test", role: "agent", password: "[redacted]" } });
  expect(JSON.stringify(audit)).not.toContain(SECRETS.invitedPassword);
  expect((await pano.json("/api/v1/audit?action=user")).data.every((e: any) => e.action.startsWith("user."))).toBe(true);

  const created = await runPano(["user", "create", "--email", "lan@pano.test", "--password", SECRETS.agentPassword, "--role", "agent"], { PANO_DATA_DIR: pano.dataDir });
  expect(created.code).toBe(0);
  const agentToken = await runPano(["token", "create", "--name", "lan", "--user", "lan@pano.test"], { PANO_DATA_DIR: pano.dataDir });
  cliOutput.push(created.stdout, created.stderr, agentToken.stderr);
  // The same log in Settings > System, and only for admins.
  const system = await admin.get("/settings/system");
  expect(system.html).toContain("Nhật ký quản trị");
  const inviteRow = system.html.slice(system.html.indexOf("<code>user.invited</code>") - 200, system.html.indexOf("<code>user.invited</code>") + 300);
  expect(inviteRow).toContain(ADMIN.email);
  expect(inviteRow).toContain("minh@pano.test");
  expect(system.html).not.toContain(SECRETS.invitedPassword);
  const lan = await signIn(pano, "lan@pano.test", SECRETS.agentPassword);
  expect((await lan.get("/settings/system")).status).toBe(403);

  const refused = await fetch(`${pano.url}/api/v1/audit`, { headers: { authorization: `Bearer ${agentToken.stdout.trim()}` } });
  expect(refused.status).toBe(403);
  expect((await refused.json()).error.code).toBe("forbidden");
});

/** Every column of every channel row as the database holds it. */
function storedChannels(dataDir: string): string {
  const db = openDatabaseOf(dataDir);
  try {
    return JSON.stringify(db.query("SELECT * FROM channels").all());
  } finally {
    db.close();
  }
}

test("a day with failing sends, webhooks, a bad token and backups leaves no secret in the log", async () => {
  const fb = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "facebook", name: "Fanpage", config: { page_id: PAGE_ID, page_access_token: SECRETS.pageToken, app_secret: SECRETS.appSecret, verify_token: SECRETS.verifyToken } },
  });
  const verify = (token: string) => fetch(`${pano.url}/webhooks/facebook?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=4242`);
  expect((await verify("wrong-verify-token")).status).toBe(403);
  expect(await (await verify(SECRETS.verifyToken)).text()).toBe("4242");
  const body = JSON.stringify({ object: "page", entry: [{ id: PAGE_ID, time: Date.now(), messaging: [{ sender: { id: "psid-9" }, recipient: { id: PAGE_ID }, timestamp: Date.now(), message: { mid: "m.sec-1", text: "Shop ơi, đơn của em tới đâu rồi?" } }] }] });
  const signature = `sha256=${createHmac("sha256", SECRETS.appSecret).update(body).digest("hex")}`;
  const delivered = await fetch(`${pano.url}/webhooks/facebook`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature }, body });
  expect(delivered.status).toBe(200);

  const api = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website", config: { callback_url: `${DEAD}/hook`, callback_secret: SECRETS.callbackSecret } } });
  await pano.api(`/api/v1/channels/${api.id}/inbound`, { method: "POST", json: { external_contact_id: "kh-9", external_message_id: "w-1", text: "Cho mình hỏi giá" } });

  // Replies on both channels fail against a dead address and are retried: error paths log the most.
  for (const ch of [fb, api]) {
    const [conv] = (await pano.json(`/api/v1/conversations?channel_id=${ch.id}`)).data;
    const reply = await pano.json(`/api/v1/conversations/${conv.id}/messages`, { method: "POST", json: { text: "Dạ shop kiểm tra ngay ạ" } });
    await eventually(async () => {
      const msgs = (await pano.json(`/api/v1/conversations/${conv.id}/messages`)).data;
      return msgs.find((m: any) => m.id === reply.id && m.status !== "queued");
    }, 15_000, "a failed send attempt");
  }
  expect((await fetch(`${pano.url}/api/v1/channels`, { headers: { authorization: "Bearer pano_not-a-real-token-0001" } })).status).toBe(401);
  // Backups and the replica are SQLite's (Litestream); PostgreSQL is backed up with its own tools.
  if (!ON_POSTGRES) {
    const backup = await runPano(["backup"], { PANO_DATA_DIR: pano.dataDir, PANO_LOG_LEVEL: "debug", ...s3.env("security") });
    expect(backup.code).toBe(0);
    cliOutput.push(backup.stdout, backup.stderr);
    await eventually(async () => (await pano.json("/api/v1/ops/replication")).last_sync_at, 10_000, "a replica sync");
  }

  const logs = pano.logs() + cliOutput.join("\n");
  // Debug logging was on (on SQLite the backup and replica write debug lines; PostgreSQL has neither).
  if (!ON_POSTGRES) expect(logs).toContain('"level":"debug"');
  // The failure paths ran (rejected webhook, profile fetch, LLM call): they are where secrets leak.
  expect(logs.match(/"level":"warn"/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
  // Channel secrets are sealed with the data dir's key before they reach the database file
  // (on PostgreSQL: before they reach the database, read here row by row).
  const onDisk = ON_POSTGRES ? storedChannels(pano.dataDir) : ["pano.db", "pano.db-wal"].map((f) => join(pano.dataDir, f)).filter(existsSync).map((f) => readFileSync(f).toString("latin1")).join("");
  expect(onDisk).toContain("Fanpage"); // the scan does see what is stored in the clear
  expect([SECRETS.pageToken, SECRETS.appSecret, SECRETS.verifyToken, SECRETS.callbackSecret].filter((x) => onDisk.includes(x))).toEqual([]);
  const leaked = [...Object.values(SECRETS), ADMIN.password, pano.token, s3.secretAccessKey, "pano_not-a-real-token-0001"].filter((s) => logs.includes(s));
  expect(leaked).toEqual([]);
}, 60_000);

test("password guessing is cut off per address after 20 failures; the right password from another address still works", async () => {
  const login = (password: string, ip: string) =>
    fetch(`${pano.url}/login`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip }, body: new URLSearchParams({ email: ADMIN.email, password }) });
  // A whole office behind one address signing in again and again is never locked out, while
  // a burst of parallel guesses from another address gets exactly 20 tries.
  const office = (async () => {
    const seen: number[] = [];
    for (let i = 0; i < 21; i++) seen.push((await login(ADMIN.password, "203.0.113.7")).status);
    return seen;
  })();
  const guesses = await Promise.all(Array.from({ length: 24 }, (_, i) => login(`doan-mo-${i}`, "198.51.100.23")));
  expect(new Set(await office)).toEqual(new Set([303]));
  const statuses = guesses.map((r) => r.status);
  expect(statuses.filter((s) => s === 401)).toHaveLength(20);
  expect(statuses.filter((s) => s === 429)).toHaveLength(4);
  const blocked = await login(ADMIN.password, "198.51.100.23");
  expect(blocked.status).toBe(429);
  expect(blocked.headers.get("retry-after")).toBe("600");
  expect(await blocked.text()).toContain("Bạn đã thử đăng nhập quá nhiều lần");
  expect((await login(ADMIN.password, "203.0.113.8")).status).toBe(303);
});
