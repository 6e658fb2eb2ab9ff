// The bare baseline: a minimal Bun server that only checks the token, parses, and inserts the
// same messages with the same group commit and synchronous=FULL. Pano's ingest is measured
// against this, so the ratio shows what Pano's own layers cost.
import { Database } from "bun:sqlite";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { groupCommit } from "./group-commit.ts";

const dir = process.argv[2];
const port = Number(process.argv[3] ?? 0);
const token = process.argv[4] ?? "baseline-token";
const db = new Database(join(dir, "baseline.db"), { create: true });
db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
db.exec(`CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, channel_id INTEGER, external_id TEXT, contact TEXT, text TEXT, created_at INTEGER, UNIQUE (channel_id, external_id))`);
const tokenHash = createHash("sha256").update(token).digest("hex");
const insert = db.query("INSERT INTO messages (channel_id, external_id, contact, text, created_at) VALUES (1, ?, ?, ?, ?) ON CONFLICT DO NOTHING");

const write = groupCommit(db);

const server = Bun.serve({
  port,
  async fetch(req) {
    const auth = req.headers.get("authorization")?.slice(7) ?? "";
    if (createHash("sha256").update(auth).digest("hex") !== tokenHash) return new Response("unauthorized", { status: 401 });
    const body = (await req.json()) as { external_contact_id: string; external_message_id: string; text: string };
    if (!body.external_message_id || !body.external_contact_id) return new Response("bad", { status: 422 });
    await write(() => insert.run(body.external_message_id, body.external_contact_id, body.text, Date.now()));
    return Response.json({ ok: true }, { status: 202 });
  },
});
console.log(`listening ${server.port}`);
