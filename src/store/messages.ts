// Reading a conversation's messages: oldest first for the API, the latest page for the agent screen.
import type { Database } from "bun:sqlite";

export interface MessageRow {
  id: number;
  conversation_id: number;
  channel_id: number;
  direction: "in" | "out";
  private: number;
  author_type: "contact" | "user" | "system";
  author_id: number | null;
  author_label: string | null;
  text: string;
  html: string | null;
  status: string;
  error: string | null;
  error_vi: string | null;
  external_id: string | null;
  meta: string | null;
  reaction: string | null;
  automatic: number;
  created_at: number;
}

export interface AttachmentRow {
  id: number;
  message_id: number;
  kind: string;
  name: string;
  content_type: string;
  size: number;
  path: string | null;
  source_url: string | null;
  status: string;
}

export function messagesAfter(db: Database, conversationId: number, afterId: number, limit: number): MessageRow[] {
  return db.query<MessageRow, [number, number, number]>("SELECT * FROM messages WHERE conversation_id = ? AND id > ? ORDER BY id LIMIT ?").all(conversationId, afterId, limit);
}

/** The latest `limit` messages before `beforeId`, returned oldest first (the agent scrolls up). */
export function messagesBefore(db: Database, conversationId: number, beforeId: number, limit: number): MessageRow[] {
  return db
    .query<MessageRow, [number, number, number]>("SELECT * FROM messages WHERE conversation_id = ? AND id < ? ORDER BY id DESC LIMIT ?")
    .all(conversationId, beforeId, limit)
    .reverse();
}

export function getMessage(db: Database, id: number): MessageRow | null {
  return db.query<MessageRow, [number]>("SELECT * FROM messages WHERE id = ?").get(id);
}

export function attachmentsFor(db: Database, messageIds: number[]): Map<number, AttachmentRow[]> {
  const out = new Map<number, AttachmentRow[]>();
  if (!messageIds.length) return out;
  const rows = db
    .query<AttachmentRow, number[]>(`SELECT * FROM attachments WHERE message_id IN (${messageIds.map(() => "?").join(",")}) ORDER BY id`)
    .all(...messageIds);
  for (const r of rows) {
    const list = out.get(r.message_id) ?? [];
    list.push(r);
    out.set(r.message_id, list);
  }
  return out;
}

export function messageCreatedAt(db: Database, id: number): number | null {
  return db.query<{ created_at: number }, [number]>("SELECT created_at FROM messages WHERE id = ?").get(id)?.created_at ?? null;
}

/** A stored file's type and name by its content-addressed path (one file may serve many messages). */
export function storedFileByPath(db: Database, path: string): { content_type: string; name: string } | null {
  return db.query<{ content_type: string; name: string }, [string]>("SELECT content_type, name FROM attachments WHERE path = ? LIMIT 1").get(path);
}
