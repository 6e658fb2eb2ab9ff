// The channel extras kept on a conversation's latest customer message (messages.meta): what a kind
// knows of the customer's situation right now (a website visitor's page, referrer and browser).
import type { Database } from "bun:sqlite";
import { prepared } from "./prepared.ts";

export function latestInboundMeta(db: Database, conversationId: number): Record<string, unknown> | null {
  const row = prepared<{ meta: string | null }, [number]>(db,
    "SELECT meta FROM messages WHERE conversation_id = ? AND direction = 'in' AND meta IS NOT NULL ORDER BY id DESC LIMIT 1",
  ).get(conversationId);
  if (!row?.meta) return null;
  try {
    const v = JSON.parse(row.meta);
    return v && typeof v === "object" ? v : null;
  } catch {
    return null;
  }
}
