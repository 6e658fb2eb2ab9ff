// Everything a channel needs to send one message, read in one place.
import type { Database } from "bun:sqlite";
import { join } from "node:path";
import type { OutboundMessage } from "../domain/message.ts";
import { outboundSurvey } from "./csat-links.ts";
import { prepared } from "./prepared.ts";

/**
 * One read transaction for all of its queries: on a WAL database each statement outside a
 * transaction opens and closes its own read lock, which costs several times the query itself.
 */
export function loadOutbound(db: Database, messageId: number, dataDir: string, publicUrl: string): OutboundMessage | null {
  if (db.inTransaction) return readOutbound(db, messageId, dataDir, publicUrl);
  prepared(db, "BEGIN").run();
  try {
    return readOutbound(db, messageId, dataDir, publicUrl);
  } finally {
    prepared(db, "COMMIT").run();
  }
}

function readOutbound(db: Database, messageId: number, dataDir: string, publicUrl: string): OutboundMessage | null {
  const m = db
    .query<{ id: number; conversation_id: number; text: string; html: string | null; author_type: string; automatic: number; created_at: number; channel_id: number; meta: string | null }, [number]>(
      "SELECT id, conversation_id, text, html, author_type, automatic, created_at, channel_id, meta FROM messages WHERE id = ?",
    )
    .get(messageId);
  if (!m) return null;
  const c = db
    .query<{ contact_id: number; last_inbound_at: number | null; subject: string | null; channel_id: number }, [number]>(
      "SELECT contact_id, last_inbound_at, subject, channel_id FROM conversations WHERE id = ?",
    )
    .get(m.conversation_id);
  if (!c) return null;
  const contact = db.query<{ name: string | null; email: string | null; phone: string | null }, [number]>("SELECT name, email, phone FROM contacts WHERE id = ?").get(c.contact_id);
  const identity = db
    .query<{ external_id: string }, [number, number]>("SELECT external_id FROM contact_identities WHERE contact_id = ? AND channel_id = ? ORDER BY id LIMIT 1")
    .get(c.contact_id, c.channel_id);
  const lastIn = db
    .query<{ external_id: string | null }, [number]>("SELECT external_id FROM messages WHERE conversation_id = ? AND direction = 'in' ORDER BY id DESC LIMIT 1")
    .get(m.conversation_id);
  const refs = db
    .query<{ external_id: string }, [number, number]>(
      "SELECT external_id FROM messages WHERE conversation_id = ? AND id < ? AND external_id IS NOT NULL AND private = 0 ORDER BY id DESC LIMIT 20",
    )
    .all(m.conversation_id, m.id)
    .map((r) => r.external_id)
    .reverse();
  const files = db
    .query<{ name: string; content_type: string; size: number; path: string }, [number]>(
      "SELECT name, content_type, size, path FROM attachments WHERE message_id = ? AND path IS NOT NULL",
    )
    .all(m.id);
  return {
    messageId: m.id,
    conversationId: m.conversation_id,
    text: m.text,
    html: m.html ?? undefined,
    attachments: files.map((f) => ({
      name: f.name, contentType: f.content_type, size: f.size, path: join(dataDir, f.path),
      url: `${publicUrl}/files/${f.path.split("/").pop()}`,
    })),
    contact: { externalId: identity?.external_id ?? "", name: contact?.name ?? undefined, email: contact?.email ?? undefined, phone: contact?.phone ?? undefined },
    authoredBy: m.author_type === "user" && !m.automatic ? "agent" : "automation",
    lastInboundAt: c.last_inbound_at ? new Date(c.last_inbound_at) : null,
    replyToExternalId: lastIn?.external_id ?? undefined,
    subject: c.subject ?? undefined,
    threadRefs: refs,
    createdAt: new Date(m.created_at),
    meta: m.meta ? (JSON.parse(m.meta) as Record<string, unknown>) : undefined,
    survey: m.meta?.includes('"csat_survey"') ? outboundSurvey(db, m.id, m.text, publicUrl) ?? undefined : undefined,
  };
}
