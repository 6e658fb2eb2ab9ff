// A channel's small private state between runs (an IMAP poller's last UID, a cursor): key -> value
// per channel, read by the channel's own tasks, written through the writer like everything else.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";

export function readChannelState(db: Database, channelId: number, key: string): string | null {
  return prepared<{ value: string }, [number, string]>(db, "SELECT value FROM channel_state WHERE channel_id = ? AND key = ?").get(channelId, key)?.value ?? null;
}

export function writeChannelState(tx: Tx, channelId: number, key: string, value: string): void {
  prepared(tx.db, "INSERT INTO channel_state (channel_id, key, value) VALUES (?, ?, ?) ON CONFLICT (channel_id, key) DO UPDATE SET value = excluded.value").run(channelId, key, value);
}
