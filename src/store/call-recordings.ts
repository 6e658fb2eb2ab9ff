// A call's recording is an attachment of its call item (kind "recording"): wanted once the call
// ended answered or a recording URL is known, fetched after commit (pipeline/call-recordings.ts),
// then "stored" with its path or "failed" (no player; a new recording URL asks again).
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";
import type { CallRecord } from "../domain/call.ts";

export interface PendingRecording {
  attachment_id: number;
  message_id: number;
  channel_id: number;
  call_id: string;
  recording_url: string | null;
}

/** Inside applyCall's transaction: asks for the recording when the call now has one to fetch. */
export function wantRecording(tx: Tx, messageId: number, before: CallRecord | null, call: CallRecord): void {
  const had = !!before && (before.recording_url !== null || (before.ended && before.status === "answered"));
  const has = call.recording_url !== null || (call.ended && call.status === "answered");
  const newUrl = !!call.recording_url && call.recording_url !== before?.recording_url;
  if (!has || (had && !newUrl)) return;
  const row = prepared<{ id: number; status: string }, [number]>(tx.db, "SELECT id, status FROM attachments WHERE message_id = ? AND kind = 'recording'").get(messageId);
  if (!row) {
    prepared(tx.db, "INSERT INTO attachments (message_id, kind, name, content_type, size, status, created_at) VALUES (?, 'recording', 'recording.mp3', 'audio/mpeg', 0, 'pending', ?)").run(messageId, tx.now);
  } else if (row.status === "failed" && newUrl) {
    prepared(tx.db, "UPDATE attachments SET status = 'pending' WHERE id = ?").run(row.id);
  }
}

const PENDING = `SELECT a.id AS attachment_id, a.message_id, m.channel_id, m.external_id AS call_id, json_extract(m.meta, '$.call.recording_url') AS recording_url
  FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.kind = 'recording' AND a.status = 'pending'`;

export function pendingRecording(db: Database, messageId: number): PendingRecording | null {
  return prepared<PendingRecording, [number]>(db, `${PENDING} AND a.message_id = ?`).get(messageId);
}

/** Recordings a restart or a passing network fault left unfetched (the slow sweep). */
export function pendingRecordings(db: Database, limit: number): PendingRecording[] {
  return prepared<PendingRecording, [number]>(db, `${PENDING} LIMIT ?`).all(limit);
}

/** How the fetch ended; the call item is re-rendered for whoever has it open. */
export function finishRecording(tx: Tx, r: PendingRecording, result: { status: "stored" | "failed"; path: string | null; size: number; contentType: string }): void {
  prepared(tx.db, "UPDATE attachments SET status = ?, path = ?, size = ?, content_type = ? WHERE id = ? AND status = 'pending'")
    .run(result.status, result.path, result.size, result.contentType, r.attachment_id);
  const conv = prepared<{ conversation_id: number }, [number]>(tx.db, "SELECT conversation_id FROM messages WHERE id = ?").get(r.message_id);
  if (conv) tx.emit({ type: "message.updated", messageId: r.message_id, conversationId: conv.conversation_id });
}
