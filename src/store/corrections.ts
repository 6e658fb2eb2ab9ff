// When an agent corrects the triage of a conversation, the text it was judged on is kept so
// the next retrain learns from it.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { INTENTS, type Correction, type Intent } from "../domain/triage/index.ts";

export function recordCorrection(tx: Tx, conversationId: number, userId: number, intent: string | null | undefined, urgent: boolean | undefined): void {
  const texts = tx.db
    .query<{ text: string }, [number]>("SELECT text FROM messages WHERE conversation_id = ? AND direction = 'in' AND automatic = 0 ORDER BY id LIMIT 3")
    .all(conversationId)
    .map((r) => r.text)
    .join("\n")
    .slice(0, 4000);
  if (!texts) return;
  const conv = tx.db.query<{ intent: string | null; urgent: number }, [number]>("SELECT intent, urgent FROM conversations WHERE id = ?").get(conversationId);
  tx.db
    .query("INSERT INTO triage_corrections (conversation_id, text, intent, urgent, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)")
    .run(conversationId, texts, intent ?? conv?.intent ?? null, urgent === undefined ? conv?.urgent ?? null : urgent ? 1 : 0, userId, tx.now);
}

/** Every stored correction, oldest first, as retrain consumes them (an unknown intent counts as none). */
export function listCorrections(sqlite: Database): Correction[] {
  return sqlite
    .query<{ text: string; intent: string | null; urgent: number | null }, []>("SELECT text, intent, urgent FROM triage_corrections ORDER BY id")
    .all()
    .map((r) => ({
      text: r.text,
      intent: INTENTS.includes(r.intent as Intent) ? (r.intent as Intent) : null,
      urgent: r.urgent === null ? null : r.urgent === 1,
    }));
}
