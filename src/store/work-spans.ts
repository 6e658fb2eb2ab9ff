// Handle time as agents actually spent it: each span of writing a reply or talking on a call is
// kept (for the agent's own figures) and added to its conversation's total in the same write.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";

export interface WorkSpan { conversationId: number; userId: number; kind: "reply" | "call"; startedAt: number; endedAt: number }

export function addWorkSpan(tx: Tx, s: WorkSpan): void {
  const ms = Math.max(0, s.endedAt - s.startedAt);
  if (!ms) return;
  prepared(tx.db, "INSERT INTO work_spans (conversation_id, user_id, kind, started_at, ended_at) VALUES (?, ?, ?, ?, ?)").run(s.conversationId, s.userId, s.kind, s.startedAt, s.endedAt);
  prepared(tx.db, "UPDATE conversations SET handle_ms = handle_ms + ? WHERE id = ?").run(ms, s.conversationId);
}

/** A call's talk time: the answering agent's span when Pano knows them, the conversation's total always. */
export function addTalkTime(tx: Tx, conversationId: number, userId: number | null, startedAt: number, endedAt: number): void {
  if (userId !== null) return addWorkSpan(tx, { conversationId, userId, kind: "call", startedAt, endedAt });
  prepared(tx.db, "UPDATE conversations SET handle_ms = handle_ms + ? WHERE id = ?").run(Math.max(0, endedAt - startedAt), conversationId);
}

/** Per agent, the time they spent in [from, to) on each conversation they worked on (spans ending in the range). */
export function workByAgent(db: Database, range: { from: number; to: number }): { user_id: number; conversation_id: number; ms: number }[] {
  return db.query<{ user_id: number; conversation_id: number; ms: number }, [number, number]>(
    "SELECT user_id, conversation_id, sum(ended_at - started_at) AS ms FROM work_spans WHERE ended_at >= ? AND ended_at < ? GROUP BY user_id, conversation_id",
  ).all(range.from, range.to);
}
