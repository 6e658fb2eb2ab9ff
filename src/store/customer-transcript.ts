// What a customer may read of their own conversations on one channel (a website chat's history):
// the public messages of the conversations of the contact behind one channel identity, never
// private notes, never another identity's. Read-only (the store's read handle, handed to kinds by
// web/channel-http.ts); the visitor's widget polls nothing, it asks
// after each live notice for what came after the last id it has.
import type { Database } from "bun:sqlite";
import { prepared } from "./prepared.ts";
import { attachmentsFor } from "./messages.ts";
import { surveysOfMessages } from "./csat.ts";

export interface TranscriptItem {
  id: number;
  direction: "in" | "out";
  text: string;
  status: string;
  createdAt: number;
  /** The agent's name for a reply (null for the customer's own messages and automation). */
  authorName: string | null;
  /** For the customer's own messages: an agent has opened the conversation since. */
  seen: boolean;
  attachments: { name: string; contentType: string; size: number; path: string | null; kind: string }[];
  /** A satisfaction survey the customer may answer here (store/csat.ts), with what they answered. */
  survey?: { id: number; rating: number | null; comment: string | null };
}

interface Row {
  id: number;
  direction: "in" | "out";
  text: string;
  status: string;
  created_at: number;
  author_name: string | null;
  unread_count: number;
}

/** Messages after `afterId`, oldest first, at most `limit`. */
export function customerTranscript(db: Database, channelId: number, externalId: string, afterId: number, limit: number): TranscriptItem[] {
  // Every message of the conversation, whichever channel carried it (an answer by email to a reply mailed through another channel).
  const rows = prepared<Row, [number, string, number, number]>(db,
    `SELECT m.id, m.direction, m.text, m.status, m.created_at, u.name AS author_name, c.unread_count
     FROM contact_identities i
     JOIN conversations c ON c.contact_id = i.contact_id AND c.channel_id = i.channel_id
     JOIN messages m ON m.conversation_id = c.id
     LEFT JOIN users u ON m.author_type = 'user' AND u.id = m.author_id
     WHERE i.channel_id = ? AND i.external_id = ? AND m.private = 0 AND m.id > ?
     ORDER BY m.id LIMIT ?`,
  ).all(channelId, externalId, afterId, limit);
  // Only these messages' files: an id range would also read every other conversation's in between.
  const files = attachmentsFor(db, rows.map((r) => r.id));
  const surveys = surveysOfMessages(db, rows.filter((r) => r.direction === "out").map((r) => r.id));
  return rows.map((r) => ({
    id: r.id, direction: r.direction, text: r.text, status: r.status, createdAt: r.created_at,
    authorName: r.direction === "out" ? r.author_name : null,
    seen: r.direction === "in" && r.unread_count === 0,
    attachments: (files.get(r.id) ?? []).map((f) => ({ name: f.name, contentType: f.content_type, size: f.size, path: f.path, kind: f.kind })),
    ...(surveys.has(r.id) ? { survey: surveys.get(r.id) } : {}),
  }));
}

/** Whether the identity has written (or been written to) at all: its session is in use. */
export function identityExists(db: Database, channelId: number, externalId: string): boolean {
  return !!prepared<{ one: number }, [number, string]>(db, "SELECT 1 AS one FROM contact_identities WHERE channel_id = ? AND external_id = ?").get(channelId, externalId);
}

/** The reads a kind's public routes get through the core (ChannelHttp.customerTranscripts). */
export interface CustomerTranscripts {
  transcript(channelId: number, externalId: string, afterId: number, limit: number): TranscriptItem[];
  hasIdentity(channelId: number, externalId: string): boolean;
}

/** Over the store's own read handle (WAL: it sees every commit and never blocks the writer). */
export function customerTranscripts(db: Database): CustomerTranscripts {
  return {
    transcript: (channelId, externalId, afterId, limit) => customerTranscript(db, channelId, externalId, afterId, limit),
    hasIdentity: (channelId, externalId) => identityExists(db, channelId, externalId),
  };
}
