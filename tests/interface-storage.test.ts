// Issue 3's bad-input rule for storage: a database that another process keeps locked makes Pano
// answer 503 in the documented error shape, saying why, and acknowledge nothing it did not store;
// and /healthz is 200 only once the database is open and migrated, 503 before.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { createServer } from "node:net";
import { BUN, ROOT, eventually, servedBy, sqliteStory, startPano, tempDir, type PanoProcess } from "./support/pano.ts";

let pano: PanoProcess;
beforeAll(async () => {
  pano = await startPano();
});
afterAll(async () => {
  await pano.stop();
});

/** Another process (a careless sqlite3 shell, say) holds the write lock for `ms`. */
async function lockDatabase(path: string, ms: number) {
  const script = `const { Database } = require("bun:sqlite"); const d = new Database(${JSON.stringify(path)}); d.exec("BEGIN EXCLUSIVE"); console.log("locked"); await Bun.sleep(${ms}); d.exec("COMMIT");`;
  const p = Bun.spawn([BUN, "-e", script], { stdout: "pipe" });
  await p.stdout.getReader().read(); // "locked"
  return p;
}

sqliteStory("a database locked by another process is 503 with a clear error; nothing is stored, and a retry later is", async () => {
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Đơn hàng" } });
  const body = { external_contact_id: "kh-khoa", external_message_id: "while-locked", text: "Shop ơi, tin này có tới không?" };
  const post = () => pano.api(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: body });

  const locker = await lockDatabase(join(pano.dataDir, "pano.db"), 7000);
  const refused = await post();
  expect(refused.status).toBe(503);
  expect(refused.headers.get("retry-after")).toBeTruthy();
  const err = (await refused.json()).error;
  expect(err.code).toBe("unavailable");
  expect(err.message).toContain("locked");
  expect(err.message).toContain("nothing was stored");
  expect(err.message).not.toMatch(/\bat \S+:\d+/);
  await locker.exited;

  const db = new Database(join(pano.dataDir, "pano.db"), { readonly: true });
  expect(db.query("SELECT 1 FROM messages WHERE external_id = 'while-locked'").get()).toBeNull();
  db.close();
  // The sender retries: it is a first delivery (202), not a duplicate of something half-stored.
  const retried = await post();
  expect(retried.status).toBe(202);
  const ids = await retried.json();
  const msgs = await pano.json(`/api/v1/conversations/${ids.conversation_id}/messages`);
  expect(msgs.data.map((m: any) => m.external_id)).toEqual(["while-locked"]);
}, 30_000);

test("until its database is restored and migrated, Pano answers /healthz 503 and tells senders to retry", async () => {
  // A replica endpoint that accepts connections and never answers: the startup restore waits.
  const silent = createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
  const dataDir = tempDir();
  const proc = Bun.spawn([BUN, join(ROOT, "src/main.ts"), "serve"], {
    cwd: ROOT, stdout: "ignore", stderr: "ignore",
    env: {
      ...process.env, PORT: "0", PANO_DATA_DIR: dataDir, PANO_ADMIN_EMAIL: "a@shop.vn", PANO_ADMIN_PASSWORD: "mat-khau-admin",
      PANO_REPLICA_URL: "s3://pano-backup/shop", PANO_REPLICA_ENDPOINT: `http://127.0.0.1:${(silent.address() as { port: number }).port}`,
      PANO_REPLICA_ACCESS_KEY_ID: "khoa", PANO_REPLICA_SECRET_ACCESS_KEY: "bi-mat",
    },
  });
  try {
    // The port is reported as soon as it is bound, before the restore that never ends here.
    const { port } = await eventually(() => servedBy(dataDir, proc.pid), 20_000, "Pano to report its port");
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(503);
    expect((await health.json()).status).not.toBe("ok");
    const delivery = await fetch(`http://127.0.0.1:${port}/webhooks/zalo`, { method: "POST", body: "{}" });
    expect(delivery.status).toBe(503);
    expect(delivery.headers.get("retry-after")).toBeTruthy();
    expect((await delivery.json()).error.code).toBe("unavailable");
  } finally {
    proc.kill(9);
    silent.close();
  }
}, 40_000);
