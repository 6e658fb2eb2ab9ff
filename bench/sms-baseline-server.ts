// The bare baseline for SMS gateway webhooks: a minimal Bun server doing the same unit of work as
// Pano's /webhooks/sms: check X-Signature (HMAC-SHA256 of raw body + X-Timestamp) and the
// timestamp's window, parse the JSON, take the body's digest as the dedupe key, and insert the
// text with the same group commit and synchronous=FULL; answer once it is on disk.
import { Database } from "bun:sqlite";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import { groupCommit } from "./group-commit.ts";

const dir = process.argv[2];
const key = process.argv[3] ?? "";
const db = new Database(join(dir, "sms-baseline.db"), { create: true });
db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
db.exec("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, phone TEXT, text TEXT, created_at INTEGER)");
const insert = db.query("INSERT INTO messages (external_id, phone, text, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");

const write = groupCommit(db);

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
    await write(() => insert.run(digest, body.payload.phoneNumber, body.payload.message, Date.now()));
    return new Response("EVENT_RECEIVED");
  },
});
console.log(`listening ${server.port}`);
