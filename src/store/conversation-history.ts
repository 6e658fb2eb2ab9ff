// A customer's earlier conversations, on every channel, for the agent's timeline: the ones this
// viewer may see, newest first.
import type { Database } from "bun:sqlite";
import type { Viewer } from "../domain/conversation.ts";
import { scopeSql } from "./conversations.ts";

export interface EarlierConversation {
  id: number;
  channel_type: string;
  channel_name: string;
  status: string;
  subject: string | null;
  last_preview: string;
  created_at: number;
  resolved_at: number | null;
}

export function earlierConversations(db: Database, contactId: number, beforeId: number, viewer: Viewer, limit = 20): EarlierConversation[] {
  const scope = scopeSql(viewer);
  return db
    .query<EarlierConversation, number[]>(
      `SELECT c.id, ch.type AS channel_type, ch.name AS channel_name, c.status, c.subject, c.last_preview, c.created_at, c.resolved_at
       FROM conversations c JOIN channels ch ON ch.id = c.channel_id
       WHERE c.contact_id = ? AND c.id < ? AND ${scope.sql} ORDER BY c.id DESC LIMIT ?`,
    )
    .all(contactId, beforeId, ...scope.args, limit);
}
