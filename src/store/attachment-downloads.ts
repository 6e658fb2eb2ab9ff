// Attachments that arrived as provider URLs (which expire) and wait to be downloaded into the
// data dir after commit. A download ends "stored" (with its path) or "failed" (it stays a link).
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";

export interface PendingDownload {
  source_url: string | null;
  message_id: number;
}

export function pendingDownload(db: Database, attachmentId: number): PendingDownload | null {
  return prepared<PendingDownload, [number]>(db, "SELECT source_url, message_id FROM attachments WHERE id = ? AND status = 'pending'").get(attachmentId);
}

/** The attachments of one new message still to fetch. */
export function pendingAttachmentIds(db: Database, messageId: number): number[] {
  return prepared<{ id: number }, [number]>(db, "SELECT id FROM attachments WHERE message_id = ? AND status = 'pending'").all(messageId).map((r) => r.id);
}

/** Downloads a crash or a passing network fault left undone (the slow sweep). */
export function undownloadedAttachmentIds(db: Database, limit: number): number[] {
  return db.query<{ id: number }, [number]>("SELECT id FROM attachments WHERE status = 'pending' AND source_url IS NOT NULL LIMIT ?").all(limit).map((r) => r.id);
}

/** Records how the download ended; the message's row is re-rendered for whoever has it open. */
export function finishDownload(tx: Tx, attachmentId: number, messageId: number, r: { status: "stored" | "failed"; path: string | null; size: number }): void {
  tx.db.query("UPDATE attachments SET status = ?, path = ?, size = CASE WHEN ? > 0 THEN ? ELSE size END WHERE id = ?").run(r.status, r.path, r.size, r.size, attachmentId);
  const conv = tx.db.query<{ conversation_id: number }, [number]>("SELECT conversation_id FROM messages WHERE id = ?").get(messageId);
  if (conv) tx.emit({ type: "message.updated", messageId, conversationId: conv.conversation_id });
}
