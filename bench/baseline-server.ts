// The bare baseline: a minimal Bun server doing, for the same request bodies, the unit of work
// Pano's ingest does before it acknowledges, and nothing else:
//   POST /inbound   (API channel)   checks the bearer token, parses, inserts the message;
//   POST /facebook  (Messenger)     checks X-Hub-Signature-256 (HMAC-SHA256 of the raw body with
//                                   the app secret, constant time), parses the batch, inserts every
//                                   message event of every entry (1 to 10 per delivery, as sent);
//   POST /zalo      (Zalo OA)       parses, checks X-ZEvent-Signature (sha256 of app_id + raw
//                                   body + timestamp + OA secret key, constant time), inserts.
// Every insert goes through the same group commit as Pano's writer (bench/group-commit.ts), WAL,
// synchronous=FULL, and the answer is sent only after its COMMIT. Pano's ingest is measured
// against this, so the ratio shows what Pano's own layers cost.
// argv: data dir, port (0: any; "listening <port>" is printed), API token, Facebook app secret,
// Zalo OA secret key.
import { Database } from "bun:sqlite";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import { groupCommit } from "./group-commit.ts";

const [dir, portArg, token = "baseline-token", appSecret = "", oaSecretKey = ""] = process.argv.slice(2);
const db = new Database(join(dir, "baseline.db"), { create: true });
db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
db.exec(`CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, channel_id INTEGER, external_id TEXT, contact TEXT, text TEXT, created_at INTEGER, UNIQUE (channel_id, external_id))`);
const tokenHash = createHash("sha256").update(token).digest("hex");
const insert = db.query("INSERT INTO messages (channel_id, external_id, contact, text, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");

const write = groupCommit(db);
const decoder = new TextDecoder();
const unauthorized = () => new Response("unauthorized", { status: 401 });

/** The hex digest after `prefix` in a signature header, compared in constant time with `want`. */
function sameDigest(header: string | null, prefix: string, want: Buffer): boolean {
  const hex = header?.trim().startsWith(prefix) ? header.trim().slice(prefix.length) : "";
  if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
  return timingSafeEqual(Buffer.from(hex.toLowerCase(), "hex"), want);
}

async function inbound(req: Request): Promise<Response> {
  const auth = req.headers.get("authorization")?.slice(7) ?? "";
  if (createHash("sha256").update(auth).digest("hex") !== tokenHash) return unauthorized();
  const body = (await req.json()) as { external_contact_id: string; external_message_id: string; text: string };
  if (!body.external_message_id || !body.external_contact_id) return new Response("bad", { status: 422 });
  await write(() => insert.run(1, body.external_message_id, body.external_contact_id, body.text, Date.now()));
  return Response.json({ ok: true }, { status: 202 });
}

type FbBatch = { object: string; entry?: { messaging?: { sender: { id: string }; message?: { mid: string; text?: string; is_echo?: boolean } }[] }[] };

async function facebook(req: Request): Promise<Response> {
  const raw = new Uint8Array(await req.arrayBuffer());
  if (!sameDigest(req.headers.get("x-hub-signature-256"), "sha256=", createHmac("sha256", appSecret).update(raw).digest())) return unauthorized();
  const batch = JSON.parse(decoder.decode(raw)) as FbBatch;
  const messages = (batch.entry ?? []).flatMap((e) => e.messaging ?? []).filter((ev) => ev.message && !ev.message.is_echo);
  await write(() => {
    for (const ev of messages) insert.run(2, ev.message!.mid, ev.sender.id, ev.message!.text ?? "", Date.now());
  });
  return new Response("EVENT_RECEIVED");
}

async function zalo(req: Request): Promise<Response> {
  const raw = new Uint8Array(await req.arrayBuffer());
  const event = JSON.parse(decoder.decode(raw)) as { app_id: string; timestamp: string; sender: { id: string }; message: { msg_id: string; text?: string } };
  const mac = createHash("sha256").update(String(event.app_id)).update(raw).update(String(event.timestamp)).update(oaSecretKey).digest();
  if (!sameDigest(req.headers.get("x-zevent-signature"), "mac=", mac)) return unauthorized();
  await write(() => insert.run(3, event.message.msg_id, event.sender.id, event.message.text ?? "", Date.now()));
  return new Response("ok");
}

const routes: Record<string, (req: Request) => Promise<Response>> = { "/inbound": inbound, "/facebook": facebook, "/zalo": zalo };

const server = Bun.serve({
  port: Number(portArg ?? 0),
  fetch(req) {
    const path = req.url.slice(req.url.indexOf("/", 8));
    return (routes[path] ?? inbound)(req);
  },
});
console.log(`listening ${server.port}`);
