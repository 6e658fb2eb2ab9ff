// The bare sender bench/outbox.ts compares Pano's outbox with: a plain Bun loop over the same
// database file. At the due time it reads the queued rows (outbox -> message -> conversation ->
// the contact's Zalo id) in one query, POSTs each to the same simulator's message/cs with the same
// concurrency limit, one reply of a conversation at a time in queue order, and marks each sent
// (outbox row deleted, message status and Zalo id) in a group-committed write with
// synchronous=FULL; a conversation's next reply goes once the previous one's mark is on disk.
// Usage: bun bench/outbox-baseline.ts <pano.db> <zalo api url> <access token> <concurrency> <due at ms>...
import { Database } from "bun:sqlite";
import { groupCommit } from "./group-commit.ts";

const [path, api, token, limitArg, ...dueArgs] = process.argv.slice(2);
const db = new Database(path, { strict: true });
db.exec("PRAGMA busy_timeout = 5000");
db.exec("PRAGMA journal_mode = WAL");
db.exec("PRAGMA synchronous = FULL");
const commit = groupCommit(db);

interface Row { id: number; message_id: number; conversation_id: number; text: string; user_id: string }
const due = db.query<Row, [number]>(
  `SELECT o.id, o.message_id, m.conversation_id, m.text, i.external_id AS user_id
   FROM outbox o JOIN messages m ON m.id = o.message_id JOIN conversations c ON c.id = m.conversation_id
   JOIN contact_identities i ON i.contact_id = c.contact_id AND i.channel_id = c.channel_id
   WHERE o.due_at <= ? ORDER BY o.id`,
);
const del = db.query("DELETE FROM outbox WHERE id = ?");
const sent = db.query("UPDATE messages SET status = 'sent', external_id = ? WHERE id = ?");

async function send(r: Row): Promise<void> {
  const res = await fetch(`${api}/v3.0/oa/message/cs`, {
    method: "POST",
    headers: { access_token: token, "content-type": "application/json" },
    body: JSON.stringify({ recipient: { user_id: r.user_id }, message: { text: r.text } }),
  });
  const answer = (await res.json()) as { error: number; data?: { message_id?: string } };
  if (answer.error !== 0) throw new Error(`zalo error ${answer.error}`);
  await commit(() => {
    del.run(r.id);
    sent.run(String(answer.data?.message_id ?? ""), r.message_id);
  });
}

// One round per due time given (the first ones warm the process up, as Pano's are).
for (const dueAt of dueArgs.map(Number)) {
  await Bun.sleep(Math.max(0, dueAt - Date.now()));
  const byConversation = new Map<number, Row[]>();
  for (const r of due.all(Date.now())) {
    const list = byConversation.get(r.conversation_id);
    if (list) list.push(r);
    else byConversation.set(r.conversation_id, [r]);
  }
  const conversations = [...byConversation.values()];
  let next = 0;
  const worker = async () => {
    for (let list = conversations[next++]; list; list = conversations[next++]) for (const r of list) await send(r);
  };
  await Promise.all(Array.from({ length: Number(limitArg) }, worker));
}
db.close();
// Alive until the bench has read this process's CPU time; it ends it.
await new Promise(() => {});
