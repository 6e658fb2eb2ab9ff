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

// Separate lookups by key: measured, they cost less than one query joining the same rows.
function readOutbound(db: Database, messageId: number, dataDir: string, publicUrl: string): OutboundMessage | null {
  const m = prepared<{ id: number; conversation_id: number; text: string; html: string | null; author_type: string; automatic: number; created_at: number; meta: string | null }, [number]>(
    db,
    "SELECT id, conversation_id, text, html, author_type, automatic, created_at, meta FROM messages WHERE id = ?",
  ).get(messageId);
  if (!m) return null;
  const c = prepared<{ contact_id: number; last_inbound_at: number | null; subject: string | null; channel_id: number }, [number]>(
    db,
    "SELECT contact_id, last_inbound_at, subject, channel_id FROM conversations WHERE id = ?",
  ).get(m.conversation_id);
  if (!c) return null;
  const contact = prepared<{ name: string | null; email: string | null; phone: string | null }, [number]>(db, "SELECT name, email, phone FROM contacts WHERE id = ?").get(c.contact_id);
  const identity = prepared<{ external_id: string }, [number, number]>(db, "SELECT external_id FROM contact_identities WHERE contact_id = ? AND channel_id = ? ORDER BY id LIMIT 1")
    .get(c.contact_id, c.channel_id);
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
    contact: { externalId: identity?.external_id ?? "", name: contact?.name ?? undefined, email: contact?.email ?? undefined, phone: contact?.phone ?? undefined },
    authoredBy: m.author_type === "user" && !m.automatic ? "agent" : "automation",
    lastInboundAt: c.last_inbound_at ? new Date(c.last_inbound_at) : null,
    get replyToExternalId() {
      return (replyTo ??= { v: lastInboundExternalId(db, m.conversation_id) }).v;
    },
    subject: c.subject ?? undefined,
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
