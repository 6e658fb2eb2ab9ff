// What the copilot may read about one conversation: its last messages (notes marked as the team's
// own), the customer's profile and the canned replies the agent may use. Read here, in the store;
// the copilot (pipeline/copilot.ts) never queries anything itself.
import type { Database } from "bun:sqlite";
import type { ConversationRow } from "./conversations.ts";
import type { Viewer } from "../domain/conversation.ts";
import type { CopilotContext } from "../pipeline/copilot.ts";
import { getContact } from "./contacts.ts";
import { userNames } from "./user-names.ts";
import type { CannedReplies } from "./canned-replies.ts";

/** Enough for a reply or a hand-over summary; the copilot cuts it to its own budget from the end. */
const MESSAGES = 80;

export function copilotContext(db: Database, conv: ConversationRow, p: { viewer: Viewer; agentName: string; lang: "vi" | "en"; channel: string; canned: CannedReplies }): CopilotContext {
  const rows = db.query<{ direction: string; private: number; author_type: string; author_id: number | null; author_label: string | null; text: string }, [number, number]>(
    "SELECT direction, private, author_type, author_id, author_label, text FROM messages WHERE conversation_id = ? AND text != '' ORDER BY id DESC LIMIT ?",
  ).all(conv.id, MESSAGES).reverse();
  const users = userNames(db, rows.flatMap((r) => (r.author_type === "user" && r.author_id ? [r.author_id] : [])));
  const contact = getContact(db, conv.contact_id);
  let attributes: Record<string, unknown> = {};
  try {
    attributes = contact ? JSON.parse(contact.attributes) : {};
  } catch {
    // a malformed attributes blob grounds nothing
  }
  return {
    lang: p.lang, agentName: p.agentName, channel: p.channel, subject: conv.subject, intent: conv.intent,
    customer: { name: contact?.name ?? null, phone: contact?.phone ?? null, email: contact?.email ?? null, attributes },
    messages: rows.map((r) => ({
      from: r.private ? "note" : r.author_type === "contact" ? "customer" : r.author_type === "user" ? "agent" : "system",
      name: r.author_type === "user" && r.author_id ? users.get(r.author_id) ?? null : r.author_label,
      text: r.text.slice(0, 2000),
    })),
    canned: p.canned.visibleTo(p.viewer, conv.team_id ?? undefined).map((c) => ({ shortcut: c.shortcut, text: c.text })),
  };
}
