// A real store (migrations, writer, ingest path, replies, updates) driven by a clock the story
// sets, so timings are known exactly: every write is stamped with `clock.t`, and inbound messages
// carry their own provider time (as Zalo/Facebook payloads do).
import { openStore, type Store } from "../../src/store/db.ts";
import { Writer } from "../../src/store/writer.ts";
import { applyInbound } from "../../src/store/inbound.ts";
import { createReply } from "../../src/store/outbound.ts";
import { updateConversation } from "../../src/store/conversations.ts";
import { tempDir } from "./pano.ts";

export const MIN = 60_000;
export const HOUR = 60 * MIN;

export function clockedStore(start = Date.parse("2026-03-02T01:00:00Z")) {
  const store: Store = openStore(tempDir());
  const clock = { t: start };
  const writer = new Writer(store.sqlite, { windowMs: 0, max: 100, now: () => clock.t, afterCommit: () => {} });
  const db = store.sqlite;
  const channel = (type = "zalo", name = "Shop Zalo") =>
    Number(db.query("INSERT INTO channels (type, name, config_enc, created_at) VALUES (?, ?, '', ?)").run(type, name, clock.t).lastInsertRowid);
  const user = (name: string) =>
    Number(db.query("INSERT INTO users (email, name, password_hash, created_at) VALUES (?, ?, 'x', ?)").run(`${name.toLowerCase()}@shop.test`, name, clock.t).lastInsertRowid);
  const team = (name: string, reopenWindowMinutes?: number) =>
    Number(db.query(`INSERT INTO teams (name, created_at${reopenWindowMinutes === undefined ? "" : ", reopen_window_minutes"}) VALUES (?, ?${reopenWindowMinutes === undefined ? "" : ", ?"})`)
      .run(...([name, clock.t, ...(reopenWindowMinutes === undefined ? [] : [reopenWindowMinutes])] as [string, number])).lastInsertRowid);
  let seq = 0;
  /** The customer writes at `clock.t` (the clock is also the provider's timestamp, unless a late delivery says `sentAt`). */
  const customer = async (channelId: number, who: string, text: string, sentAt = clock.t) => {
    const [r] = await writer.submit((tx) =>
      applyInbound(tx, [{ kind: "message", channelId, externalMessageId: `m${++seq}`, direction: "in", contact: { externalId: who }, text, attachments: [], occurredAt: new Date(sentAt) }], new Map()),
    );
    return r;
  };
  const reply = (conversationId: number, userId: number, text = "Dạ shop trả lời ạ") => writer.submit((tx) => createReply(tx, { conversationId, text, private: false, userId }));
  const update = (conversationId: number, patch: Parameters<typeof updateConversation>[2], userId = 1) =>
    writer.submit((tx) => updateConversation(tx, conversationId, patch, { type: "user", id: userId }));
  const at = (iso: string) => (clock.t = Date.parse(iso));
  const advance = (ms: number) => (clock.t += ms);
  return { store, db, writer, clock, channel, user, team, customer, reply, update, at, advance };
}
