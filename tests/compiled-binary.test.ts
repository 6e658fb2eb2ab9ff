// An operator copies one file to a VPS and runs it: no Node, no node_modules, no source tree.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { BUN, ON_POSTGRES, ROOT, eventually, openDatabaseOf, startPano, tempDir, type PanoProcess } from "./support/pano.ts";
import { PushService } from "./sim/push-service.ts";
import { startDovecot } from "./support/dovecot.ts";
import { startSmtpPeer } from "./support/smtp-peer.ts";
import { mail } from "./fixtures/email/mail.ts";

const outDir = tempDir("pano-dist-");
const binary = join(outDir, "pano");
let pano: PanoProcess | undefined;

beforeAll(async () => {
  const build = Bun.spawn([BUN, join(ROOT, "scripts/build.ts"), "--outfile", binary], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(build.stdout).text(), new Response(build.stderr).text(), build.exited]);
  if (code !== 0) throw new Error(`npm run build failed:\n${out}\n${err}`);
}, 180_000);
afterAll(async () => void (await pano?.stop()));

test("the compiled executable starts on an empty data dir, migrates it and answers /healthz", async () => {
  expect(readdirSync(outDir)).toEqual(["pano"]);
  const dataDir = join(tempDir(), "fresh");
  // Run from the empty build directory so nothing from the source tree can be picked up.
  // With the ingest thread on: the executable must carry its worker too.
  pano = await startPano({ binary, dataDir, cwd: outDir, env: { PANO_INGEST_THREAD: "on" } });
  const health = await (await fetch(`${pano.url}/healthz`)).json();
  expect(health.status).toBe("ok");

  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });
  // Routing rules' regexes run on the bundled RE2 engine (re2js), not on anything installed.
  await pano.json("/api/v1/routing-rules", { method: "POST", json: { name: "Chào", conditions: { regex: "xin\\s+CHÀO" }, actions: { labels: ["chao"] } } });
  const r = await pano.api(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "kh-1", external_message_id: "m-1", text: "Xin chào Pano" } });
  expect(r.status).toBe(202);
  const conversation = (await r.json()).conversation_id;
  const running = pano;
  await eventually(async () => (await running.json(`/api/v1/conversations/${conversation}`)).labels.includes("chao"), 10_000, "the regex rule to label the conversation");
  // The WAL's checkpoints and the inbound writes run on threads the executable embeds (scripts/build.ts);
  // on PostgreSQL neither runs (its own WAL; one connection's worker, embedded alike).
  if (!ON_POSTGRES) {
    await eventually(async () => /^pano_checkpoints_total [1-9]/m.test(await (await fetch(`${running.url}/metrics`)).text()), 10_000, "the checkpoint thread of the executable");
    expect(await (await fetch(`${running.url}/metrics`)).text()).toMatch(/^pano_ingest_thread_batches [1-9]/m);
  }
  expect(await pano.stop()).toBe(0);
  pano = undefined;
  if (ON_POSTGRES) {
    const db = openDatabaseOf(dataDir);
    expect(db.query<{ text: string }, []>("SELECT text FROM messages").get()?.text).toBe("Xin chào Pano");
    db.close();
    return;
  }

  expect(existsSync(join(dataDir, "pano.db"))).toBe(true);
  const db = new Database(join(dataDir, "pano.db"), { readonly: true });
  const migrations = db.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM pano_migrations").get()?.n ?? 0;
  expect(migrations).toBe(readdirSync(join(ROOT, "migrations")).filter((f) => f.endsWith(".sql")).length);
  expect(db.query<{ text: string }, []>("SELECT text FROM messages").get()?.text).toBe("Xin chào Pano");
  db.close();
}, 60_000);

test("the compiled executable answers --help and exits 2 on an unknown command", async () => {
  const help = Bun.spawnSync([binary, "--help"], { cwd: outDir });
  expect(help.exitCode).toBe(0);
  expect(help.stdout.toString()).toContain("pano <command>");
  expect(Bun.spawnSync([binary, "nonsense"], { cwd: outDir }).exitCode).toBe(2);
});

test("Web Push works from the executable: VAPID keys made once in the data dir, a mention pushed signed and encrypted", async () => {
  const dataDir = join(tempDir(), "push");
  const service = new PushService();
  const running = (pano = await startPano({ binary, dataDir, cwd: outDir }));
  try {
    // On PostgreSQL the instances share the keys through the database instead.
    if (!ON_POSTGRES) expect(statSync(join(dataDir, "vapid.json")).mode & 0o777).toBe(0o600);
    const ch = await running.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });
    const conversation = (await running.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "kh-2", external_message_id: "m-2", text: "Còn hàng không?" } })).conversation_id;
    await running.json("/api/v1/users", { method: "POST", json: { email: "binh@shop.vn", password: "mat-khau-dai-du-8", name: "Trần Thị Bình", role: "agent" } });
    // Bình signs in and hands over his phone's subscription, as the page does.
    const login = await fetch(`${running.url}/login`, { method: "POST", redirect: "manual", body: new URLSearchParams({ email: "binh@shop.vn", password: "mat-khau-dai-du-8" }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const page = await (await fetch(`${running.url}/inbox`, { headers: { cookie } })).text();
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(page)![1]!;
    const sub = await fetch(`${running.url}/notifications/push/subscribe`, { method: "POST", headers: { cookie, "x-csrf-token": csrf, "content-type": "application/json" }, body: JSON.stringify(service.subscribe("phone")) });
    expect(sub.status).toBe(201);
    await running.json(`/api/v1/conversations/${conversation}/messages`, { method: "POST", json: { text: "@Trần Thị Bình xem giúp", private: true } });
    await eventually(() => service.pushesTo("phone").length === 1, 15_000, "the push from the executable");
    expect(service.refused).toEqual([]);
    expect(service.pushesTo("phone")[0]!.payload).toMatchObject({ body: "@Trần Thị Bình xem giúp" });
  } finally {
    service.stop();
    await running.stop();
    pano = undefined;
  }
}, 60_000);

test("email works from the executable: its IMAP, parsing and SMTP parts, loaded when the first mailbox starts, read a mail and send the reply", async () => {
  const [dovecot, smtp] = await Promise.all([startDovecot(), startSmtpPeer()]);
  const running = (pano = await startPano({ binary, dataDir: join(tempDir(), "email"), cwd: outDir }));
  try {
    const ch = await running.json("/api/v1/channels", {
      method: "POST",
      json: { type: "email", name: "Hộp thư shop", config: { imap: dovecot.imapConfig(), smtp: smtp.smtpConfig(), from_address: "shop@pano.test", from_name: "Shop Pano" } },
    });
    await dovecot.append([mail({ from: "Nguyễn Văn An <an@khach.vn>", subject: "Đơn hàng #2001", text: "Chào shop, đơn #2001 giao chưa ạ?" })]);
    const conv = await eventually(async () => (await running.json(`/api/v1/conversations?status=all&channel_id=${ch.id}`)).data.find((c: any) => c.subject === "Đơn hàng #2001"), 20_000, "the mail to become a conversation");
    expect((await running.json(`/api/v1/conversations/${conv.id}/messages`)).data[0].text).toBe("Chào shop, đơn #2001 giao chưa ạ?");
    await running.json(`/api/v1/conversations/${conv.id}/messages`, { method: "POST", json: { text: "Dạ đơn của anh giao hôm nay ạ." } });
    await eventually(() => smtp.received.length === 1, 20_000, "the reply to reach the SMTP server");
    expect(smtp.received[0]!.to).toContain("an@khach.vn");
  } finally {
    await running.stop();
    pano = undefined;
    await Promise.all([dovecot.stop(), smtp.stop()]);
  }
}, 90_000);
