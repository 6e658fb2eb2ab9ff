// The caller as an incoming-call card shows them: who they are, where they talk to the shop, and
// what is still open with them (last message and intent), read in one go when the phone rings.
import type { Database } from "bun:sqlite";
import { prepared } from "./prepared.ts";

export interface RingingCall {
  message_id: number;
  conversation_id: number;
  contact_id: number;
  name: string | null;
  phone: string | null;
  /** The call's meta: still ringing only while meta.call.status is "ringing". */
  meta: string | null;
}

export interface OpenConversation {
  id: number;
  channel_type: string;
  status: string;
  last_preview: string | null;
  last_message_at: number;
  intent: string | null;
  assignee_id: number | null;
  team_id: number | null;
}

export function ringingCall(db: Database, messageId: number): RingingCall | null {
  return prepared<RingingCall, [number]>(db,
    `SELECT m.id AS message_id, m.conversation_id, k.id AS contact_id, k.name, k.phone, m.meta
     FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN contacts k ON k.id = c.contact_id WHERE m.id = ?`,
  ).get(messageId);
}

/** The caller's unresolved conversations, newest first, on every channel. */
export function openConversationsOf(db: Database, contactId: number, limit: number): OpenConversation[] {
  return prepared<OpenConversation, [number, number]>(db,
    `SELECT c.id, ch.type AS channel_type, c.status, c.last_preview, c.last_message_at, c.intent, c.assignee_id, c.team_id
     FROM conversations c JOIN channels ch ON ch.id = c.channel_id WHERE c.contact_id = ? AND c.status != 'resolved'
     ORDER BY c.last_message_at DESC LIMIT ?`,
  ).all(contactId, limit);
}

/** The kinds of channel the caller has reached the shop through (zalo, facebook, phone...). */
export function channelTypesOf(db: Database, contactId: number): string[] {
  return prepared<{ type: string }, [number]>(db,
    "SELECT ch.type FROM contact_identities i JOIN channels ch ON ch.id = i.channel_id WHERE i.contact_id = ? GROUP BY ch.type ORDER BY MIN(i.id)",
  ).all(contactId).map((r) => r.type);
}
