// Who a customer's conversations belong to, found by the customer's phone: a switchboard's
// sticky routing connects a caller to the agent who owns their open conversation, else its team.
import type { Database } from "bun:sqlite";
import { prepared } from "./prepared.ts";
import { normalisePhone } from "../domain/contact.ts";

export interface AgentRef {
  id: number;
  email: string;
  /** Their switchboard user or extension, when set. */
  phoneUserId: string | null;
}

export interface CustomerAgents {
  contactId: number | null;
  owner: AgentRef | null;
  team: AgentRef[];
}

/** The owner and team of the customer's most recent unresolved conversation, on any channel. */
export function customerAgentsByPhone(db: Database, phone: string): CustomerAgents {
  const p = normalisePhone(phone);
  const none: CustomerAgents = { contactId: null, owner: null, team: [] };
  if (!p) return none;
  const conv = prepared<{ contact_id: number; assignee_id: number | null; team_id: number | null }, [string]>(db,
    `SELECT c.contact_id, c.assignee_id, c.team_id FROM conversations c JOIN contacts k ON k.id = c.contact_id
     WHERE k.phone = ? AND k.merged_into IS NULL AND c.status != 'resolved' ORDER BY c.last_message_at DESC LIMIT 1`,
  ).get(p);
  if (!conv) {
    const contact = prepared<{ id: number }, [string]>(db, "SELECT id FROM contacts WHERE phone = ? AND merged_into IS NULL LIMIT 1").get(p);
    return { ...none, contactId: contact?.id ?? null };
  }
  const active = (id: number | null) =>
    id === null ? null : prepared<AgentRef, [number]>(db, "SELECT id, email, phone_user_id AS phoneUserId FROM users WHERE id = ? AND disabled_at IS NULL").get(id) ?? null;
  const team = conv.team_id === null ? [] : prepared<AgentRef, [number]>(db,
    "SELECT u.id, u.email, u.phone_user_id AS phoneUserId FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = ? AND u.disabled_at IS NULL ORDER BY u.id",
  ).all(conv.team_id);
  return { contactId: conv.contact_id, owner: active(conv.assignee_id), team };
}
