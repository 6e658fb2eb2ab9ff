// The audit log: who did what to which thing, written in the same transaction as the change,
// and read back as a conversation's events and as the admin's list.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";

export function auditAction(tx: Tx, actorId: number | null, action: string, subject: { type: string; id: number | null }, data?: unknown) {
  tx.db
    .query("INSERT INTO audit_log (actor_type, actor_id, action, subject_type, subject_id, data, created_at) VALUES ('user', ?, ?, ?, ?, ?, ?)")
    .run(actorId, action, subject.type, subject.id, data === undefined ? null : JSON.stringify(data), tx.now);
}

export interface ConversationAuditRow { id: number; actor_type: string; actor_id: number | null; action: string; data: string | null; created_at: number }

const CONVERSATION_AUDIT = "SELECT id, actor_type, actor_id, action, data, created_at FROM audit_log WHERE conversation_id = ?";

/** A conversation's events written in [from, until), oldest first: the span of one timeline page. */
export function conversationAuditBetween(db: Database, conversationId: number, from: number, until: number): ConversationAuditRow[] {
  return db.query<ConversationAuditRow, [number, number, number]>(`${CONVERSATION_AUDIT} AND created_at >= ? AND created_at < ? ORDER BY id`).all(conversationId, from, until);
}

/** A conversation's events after the one the agent's screen has. */
export function conversationAuditAfter(db: Database, conversationId: number, afterId: number): ConversationAuditRow[] {
  return db.query<ConversationAuditRow, [number, number]>(`${CONVERSATION_AUDIT} AND id > ? ORDER BY id`).all(conversationId, afterId);
}

/** The newest event id of a conversation (0: none yet), from which live sync continues. */
export function lastConversationAuditId(db: Database, conversationId: number): number {
  return db.query<{ id: number | null }, [number]>("SELECT max(id) AS id FROM audit_log WHERE conversation_id = ?").get(conversationId)?.id ?? 0;
}

export interface AuditEntryRow {
  id: number;
  actor_type: string;
  actor_id: number | null;
  actor_email: string | null;
  action: string;
  conversation_id: number | null;
  subject_type: string | null;
  subject_id: number | null;
  data: string | null;
  created_at: number;
}

export interface AuditFilters {
  before?: number;
  actorType?: string;
  actorId?: number;
  action?: string;
  subjectType?: string;
  subjectId?: number;
  conversationId?: number;
  from?: number;
  to?: number;
}

/** Newest first, `limit + 1` rows at most (the caller pages on the extra one). */
export function listAuditEntries(db: Database, f: AuditFilters, limit: number): AuditEntryRow[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  const eq = (col: string, v: string | number | undefined) => v !== undefined && (where.push(`${col} = ?`), args.push(v));
  if (f.before !== undefined) where.push("a.id < ?"), args.push(f.before);
  eq("a.actor_type", f.actorType);
  eq("a.actor_id", f.actorId);
  // `action=routing_rule.created` matches one action; `action=routing_rule` all of its kind.
  if (f.action) where.push("(a.action = ? OR a.action LIKE ? ESCAPE '\\')"), args.push(f.action, `${f.action.replace(/[\\%_]/g, "\\$&")}.%`);
  eq("a.subject_type", f.subjectType);
  eq("a.subject_id", f.subjectId);
  eq("a.conversation_id", f.conversationId);
  if (f.from !== undefined) where.push("a.created_at >= ?"), args.push(f.from);
  if (f.to !== undefined) where.push("a.created_at < ?"), args.push(f.to);
  return db
    .query<AuditEntryRow, (string | number)[]>(
      `SELECT a.*, u.email AS actor_email FROM audit_log a
       LEFT JOIN users u ON u.id = a.actor_id AND a.actor_type = 'user'
       ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY a.id DESC LIMIT ?`,
    )
    .all(...args, limit + 1);
}
