// The bare baseline for SMS gateway webhooks: a minimal Bun server doing the same unit of work as
// Pano's /webhooks/sms: check X-Signature (HMAC-SHA256 of raw body + X-Timestamp) and the
// timestamp's window, parse the JSON, take the body's digest as the dedupe key, and insert the
// text with the same group commit and synchronous=FULL; answer once it is on disk.
import { Database } from "bun:sqlite";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { join } from "node:path";

const dir = process.argv[2];
const key = process.argv[3] ?? "";
const db = new Database(join(dir, "sms-baseline.db"), { create: true });
db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
db.exec("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, phone TEXT, text TEXT, created_at INTEGER)");
const insert = db.query("INSERT INTO messages (external_id, phone, text, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");

let queue: { row: [string, string, string]; done: () => void; fail: (e: unknown) => void }[] = [];
let scheduled = false;
function flush() {
  scheduled = false;
  const batch = queue;
  queue = [];
  try {
    db.exec("BEGIN IMMEDIATE");
    const now = Date.now();
    for (const j of batch) insert.run(...j.row, now);
    db.exec("COMMIT");
    for (const j of batch) j.done();
  } catch (e) {
    db.exec("ROLLBACK");
    for (const j of batch) j.fail(e);
  }
}

const server = Bun.serve({
  port: 0,
  async fetch(req) {
    const raw = new Uint8Array(await req.arrayBuffer());
    const ts = req.headers.get("x-timestamp") ?? "";
    const sig = Buffer.from(req.headers.get("x-signature") ?? "", "hex");
    const want = createHmac("sha256", key).update(raw).update(ts).digest();
    if (sig.length !== want.length || !timingSafeEqual(sig, want) || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return new Response("unauthorized", { status: 401 });
    const body = JSON.parse(new TextDecoder().decode(raw)) as { payload: { phoneNumber: string; message: string } };
    const digest = createHash("sha256").update(raw).digest("hex").slice(0, 32);
    await new Promise<void>((done, fail) => {
      queue.push({ row: [digest, body.payload.phoneNumber, body.payload.message], done, fail });
      if (!scheduled) {
        scheduled = true;
        setTimeout(flush, 2);
      }
    });
    return new Response("EVENT_RECEIVED");
  },
});
console.log(`listening ${server.port}`);
