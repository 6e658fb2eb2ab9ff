// Everything a channel needs to send one message, read in one place.
import type { Database } from "bun:sqlite";
import { join } from "node:path";
import type { OutboundMessage } from "../domain/message.ts";
import { outboundSurvey } from "./csat-links.ts";
import { prepared } from "./prepared.ts";

export function loadOutbound(db: Database, messageId: number, dataDir: string, publicUrl: string): OutboundMessage | null {
  return loadOutbounds(db, [messageId], dataDir, publicUrl)[0];
}

/**
 * Several messages in one read transaction (or inside the caller's): on a WAL database each
 * statement outside a transaction takes and drops its own read lock, which costs several times the
 * query itself, and a message takes seven queries.
 */
export function loadOutbounds(db: Database, messageIds: number[], dataDir: string, publicUrl: string): (OutboundMessage | null)[] {
  if (db.inTransaction) return messageIds.map((id) => readOutbound(db, id, dataDir, publicUrl));
  prepared(db, "BEGIN").run();
  try {
    return messageIds.map((id) => readOutbound(db, id, dataDir, publicUrl));
  } finally {
    prepared(db, "COMMIT").run();
  }
}

interface Row {
  id: number; conversation_id: number; text: string; html: string | null; author_type: string; automatic: number; created_at: number; meta: string | null;
  last_inbound_at: number | null; subject: string | null; name: string | null; email: string | null; phone: string | null; identity: string | null;
}

function readOutbound(db: Database, messageId: number, dataDir: string, publicUrl: string): OutboundMessage | null {
  const m = prepared<Row, [number]>(
    db,
    `SELECT m.id, m.conversation_id, m.text, m.html, m.author_type, m.automatic, m.created_at, m.meta, c.last_inbound_at, c.subject, ct.name, ct.email, ct.phone,
       (SELECT external_id FROM contact_identities WHERE contact_id = c.contact_id AND channel_id = c.channel_id ORDER BY id LIMIT 1) AS identity
     FROM messages m JOIN conversations c ON c.id = m.conversation_id LEFT JOIN contacts ct ON ct.id = c.contact_id WHERE m.id = ?`,
  ).get(messageId);
  if (!m) return null;
  const files = prepared<{ name: string; content_type: string; size: number; path: string }, [number]>(
    db,
    "SELECT name, content_type, size, path FROM attachments WHERE message_id = ? AND path IS NOT NULL",
  ).all(m.id);
  // Only email threads by these (In-Reply-To, References), and in a long conversation finding them
  // walks its messages: read when a channel asks, not for every send.
  let replyTo: { v: string | undefined } | undefined;
  let refs: string[] | undefined;
  return {
    messageId: m.id,
    conversationId: m.conversation_id,
    text: m.text,
    html: m.html ?? undefined,
    attachments: files.map((f) => ({
      name: f.name, contentType: f.content_type, size: f.size, path: join(dataDir, f.path),
      url: `${publicUrl}/files/${f.path.split("/").pop()}`,
    })),
    contact: { externalId: m.identity ?? "", name: m.name ?? undefined, email: m.email ?? undefined, phone: m.phone ?? undefined },
    authoredBy: m.author_type === "user" && !m.automatic ? "agent" : "automation",
    lastInboundAt: m.last_inbound_at ? new Date(m.last_inbound_at) : null,
    get replyToExternalId() {
      return (replyTo ??= { v: lastInboundExternalId(db, m.conversation_id) }).v;
    },
    subject: m.subject ?? undefined,
    get threadRefs() {
      return (refs ??= earlierExternalIds(db, m.conversation_id, m.id));
    },
    createdAt: new Date(m.created_at),
    meta: m.meta ? (JSON.parse(m.meta) as Record<string, unknown>) : undefined,
    survey: m.meta?.includes('"csat_survey"') ? outboundSurvey(db, m.id, m.text, publicUrl) ?? undefined : undefined,
  };
}

function lastInboundExternalId(db: Database, conversationId: number): string | undefined {
  return prepared<{ external_id: string | null }, [number]>(db, "SELECT external_id FROM messages WHERE conversation_id = ? AND direction = 'in' ORDER BY id DESC LIMIT 1")
    .get(conversationId)?.external_id ?? undefined;
}

function earlierExternalIds(db: Database, conversationId: number, messageId: number): string[] {
  return prepared<{ external_id: string }, [number, number]>(
    db,
    "SELECT external_id FROM messages WHERE conversation_id = ? AND id < ? AND external_id IS NOT NULL AND private = 0 ORDER BY id DESC LIMIT 20",
  ).all(conversationId, messageId).map((r) => r.external_id).reverse();
}
