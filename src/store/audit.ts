// The audit log: who did what to which thing, written in the same transaction as the change.
import type { Tx } from "./writer.ts";

export function auditAction(tx: Tx, actorId: number, action: string, subject: { type: string; id: number | null }, data?: unknown) {
  tx.db
    .query("INSERT INTO audit_log (actor_type, actor_id, action, subject_type, subject_id, data, created_at) VALUES ('user', ?, ?, ?, ?, ?, ?)")
    .run(actorId, action, subject.type, subject.id, data === undefined ? null : JSON.stringify(data), tx.now);
}
