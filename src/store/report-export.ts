// The rows behind a report, for export: conversations opened and messages written in a range,
// read a page at a time in id order (keyset), so an export of months holds one page in memory and
// no read cursor stays open across the writer's transactions.
import type { Database } from "bun:sqlite";

export interface ExportFilter { from: number; to: number; teamId?: number; channelId?: number }

export interface ConversationExportRow {
  id: number; channel_id: number; channel_type: string; channel_name: string; contact_id: number; contact_name: string | null;
  status: string; assignee_id: number | null; assignee_name: string | null; team_id: number | null; priority: string; intent: string | null;
  labels: string; subject: string | null; created_at: number; first_response_at: number | null; resolved_at: number | null;
  previous_conversation_id: number | null; message_count: number;
}

export interface MessageExportRow {
  id: number; conversation_id: number; channel_type: string; direction: string; private: number; author_type: string;
  author_id: number | null; author_name: string | null; text: string; status: string; created_at: number;
}

function scope(f: ExportFilter, alias: string): { sql: string; args: number[] } {
  const parts: string[] = [];
  const args: number[] = [];
  if (f.teamId !== undefined) { parts.push(`${alias}.team_id = ?`); args.push(f.teamId); }
  if (f.channelId !== undefined) { parts.push(`${alias}.channel_id = ?`); args.push(f.channelId); }
  return { sql: parts.map((p) => ` AND ${p}`).join(""), args };
}

export function conversationExportPage(db: Database, f: ExportFilter, afterId: number, limit: number): ConversationExportRow[] {
  const s = scope(f, "c");
  return db.query<ConversationExportRow, number[]>(
    `SELECT c.id, c.channel_id, ch.type AS channel_type, ch.name AS channel_name, c.contact_id, k.name AS contact_name, c.status,
            c.assignee_id, u.name AS assignee_name, c.team_id, c.priority, c.intent, c.labels, c.subject, c.created_at,
            c.first_response_at, c.resolved_at, c.previous_conversation_id, c.message_count
     FROM conversations c JOIN channels ch ON ch.id = c.channel_id JOIN contacts k ON k.id = c.contact_id LEFT JOIN users u ON u.id = c.assignee_id
     WHERE c.id > ? AND c.created_at >= ? AND c.created_at < ?${s.sql} ORDER BY c.id LIMIT ?`,
  ).all(afterId, f.from, f.to, ...s.args, limit);
}

export function messageExportPage(db: Database, f: ExportFilter, afterId: number, limit: number): MessageExportRow[] {
  const s = scope(f, "c");
  return db.query<MessageExportRow, number[]>(
    `SELECT m.id, m.conversation_id, ch.type AS channel_type, m.direction, m.private, m.author_type, m.author_id,
            CASE m.author_type WHEN 'user' THEN u.name WHEN 'contact' THEN k.name ELSE m.author_label END AS author_name,
            m.text, m.status, m.created_at
     FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN channels ch ON ch.id = m.channel_id
       LEFT JOIN users u ON m.author_type = 'user' AND u.id = m.author_id LEFT JOIN contacts k ON m.author_type = 'contact' AND k.id = m.author_id
     WHERE m.id > ? AND m.created_at >= ? AND m.created_at < ?${s.sql} ORDER BY m.id LIMIT ?`,
  ).all(afterId, f.from, f.to, ...s.args, limit);
}
