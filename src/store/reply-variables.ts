// What `{{contact.*}}`, `{{agent.name}}` and `{{conversation.id}}` stand for in one conversation,
// for domain/reply-variables.ts to fill in.
import type { Database } from "bun:sqlite";
import type { VariableValues } from "../domain/reply-variables.ts";
import { getContact } from "./contacts.ts";

export function replyVariables(db: Database, conv: { id: number; contact_id: number }, agentName: string | null): VariableValues {
  const k = getContact(db, conv.contact_id);
  return {
    contact: { name: k?.name ?? null, phone: k?.phone ?? null, email: k?.email ?? null, attributes: k ? (JSON.parse(k.attributes) as Record<string, unknown>) : {} },
    agent: { name: agentName },
    conversation: { id: conv.id },
  };
}
