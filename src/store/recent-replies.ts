// Replies colleagues sent while an agent was writing theirs: the composer asks before a second
// answer goes to the same customer (collision warning).
import type { Database } from "bun:sqlite";

/** The other agents who replied to the customer (not notes) after message `afterId`, by name. */
export function repliersAfter(db: Database, conversationId: number, afterId: number, userId: number): string[] {
  return db.query<{ name: string }, [number, number, number]>(
    `SELECT u.name FROM messages m JOIN users u ON u.id = m.author_id
     WHERE m.conversation_id = ? AND m.id > ? AND m.direction = 'out' AND m.private = 0 AND m.author_type = 'user' AND m.author_id != ?
     GROUP BY u.id ORDER BY max(m.id)`,
  ).all(conversationId, afterId, userId).map((r) => r.name);
}
