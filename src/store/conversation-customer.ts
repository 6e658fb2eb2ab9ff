// Who a conversation is with on its own channel, and back: a conversation's customer identity
// (the external id a kind knows them by) and a channel identity's latest conversation. Read-only
// lookups for the typing signals, which are never stored.
import type { Database } from "bun:sqlite";
import { prepared } from "./prepared.ts";

/** The conversation's channel and its customer's external id on that channel, or null. */
export function conversationCustomer(db: Database, conversationId: number): { channelId: number; externalId: string } | null {
  return prepared<{ channelId: number; externalId: string }, [number]>(db,
    `SELECT c.channel_id AS channelId, i.external_id AS externalId
     FROM conversations c JOIN contact_identities i ON i.contact_id = c.contact_id AND i.channel_id = c.channel_id
     WHERE c.id = ? ORDER BY i.id DESC LIMIT 1`,
  ).get(conversationId) ?? null;
}

/** The newest conversation of the contact behind this channel identity on that channel, or null. */
export function latestConversationOf(db: Database, channelId: number, externalId: string): number | null {
  const row = prepared<{ id: number }, [number, string]>(db,
    `SELECT c.id FROM contact_identities i
     JOIN conversations c ON c.contact_id = i.contact_id AND c.channel_id = i.channel_id
     WHERE i.channel_id = ? AND i.external_id = ? ORDER BY c.id DESC LIMIT 1`,
  ).get(channelId, externalId);
  return row?.id ?? null;
}
