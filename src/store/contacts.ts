// Reading, editing and merging contacts.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { foldVietnamese, normaliseEmail, normalisePhone, mergeFields } from "../domain/contact.ts";
import { cleanName } from "../domain/text.ts";
import { refreshContactSearch } from "./contacts-write.ts";
import { scopeSql } from "./conversations.ts";
import type { Viewer } from "../domain/conversation.ts";

export interface ContactRow {
  id: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  avatar_url: string | null;
  attributes: string;
  merged_into: number | null;
  /** The customer asked for no more satisfaction surveys (store/csat.ts); absent from narrower reads. */
  surveys_stopped_at?: number | null;
  created_at: number;
  updated_at: number;
}

export interface IdentityView {
  channel_id: number;
  channel_type: string;
  external_id: string;
  follows: number | null;
}

/**
 * Who sees which customers, the one rule for reading, searching and changing them: admins and
 * supervisors see all; an agent sees a customer only through a conversation she may see.
 */
export function contactScopeSql(viewer: Viewer, alias = "contacts"): { sql: string; args: number[] } {
  if (viewer.role !== "agent") return { sql: "1", args: [] };
  const scope = scopeSql(viewer);
  return { sql: `EXISTS (SELECT 1 FROM conversations c WHERE c.contact_id = ${alias}.id AND ${scope.sql})`, args: scope.args };
}

export function contactVisibleTo(db: Database, contactId: number, viewer: Viewer): boolean {
  const scope = contactScopeSql(viewer);
  return !!db.query<{ n: number }, number[]>(`SELECT 1 AS n FROM contacts WHERE id = ? AND ${scope.sql}`).get(contactId, ...scope.args);
}

export function searchContacts(db: Database, viewer: Viewer, q: string | undefined, limit: number, afterId: number | null): ContactRow[] {
  const scope = contactScopeSql(viewer);
  const args: (string | number)[] = [...scope.args];
  let where = `merged_into IS NULL AND ${scope.sql}`;
  if (q) {
    const folded = foldVietnamese(q).trim();
    const phone = normalisePhone(q);
    where += " AND (search LIKE ?" + (phone ? " OR phone = ?" : "") + ")";
    args.push(`%${folded.replace(/[%_]/g, "")}%`);
    if (phone) args.push(phone);
  }
  if (afterId) { where += " AND id < ?"; args.push(afterId); }
  return db.query<ContactRow, any[]>(`SELECT * FROM contacts WHERE ${where} ORDER BY id DESC LIMIT ?`).all(...args, limit);
}

export function getContact(db: Database, id: number): ContactRow | null {
  return db.query<ContactRow, [number]>("SELECT * FROM contacts WHERE id = ?").get(id);
}

/** The name the agent screens show for a contact (null: not known yet). */
export function contactName(db: Database, id: number): string | null {
  return db.query<{ name: string | null }, [number]>("SELECT name FROM contacts WHERE id = ?").get(id)?.name ?? null;
}

/** The customer's phone, for the click-to-call button. */
export function contactPhone(db: Database, id: number): string | null {
  return db.query<{ phone: string | null }, [number]>("SELECT phone FROM contacts WHERE id = ?").get(id)?.phone ?? null;
}

/** Names of many contacts in one query (a page of the inbox list). */
export function contactNames(db: Database, ids: number[]): Map<number, string | null> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = db.query<{ id: number; name: string | null }, number[]>(`SELECT id, name FROM contacts WHERE id IN (${unique.map(() => "?").join(",")})`).all(...unique);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The contact's attributes, or null when there is no such contact. */
export function contactAttributes(db: Database, id: number): Record<string, unknown> | null {
  const row = db.query<{ attributes: string }, [number]>("SELECT attributes FROM contacts WHERE id = ?").get(id);
  return row ? (JSON.parse(row.attributes) as Record<string, unknown>) : null;
}

/** Other live profiles with this phone or email: likely the same person, worth a merge. */
export function contactsWithSameDetails(db: Database, self: number, p: { phone?: string | null; email?: string | null }, limit: number): ContactRow[] {
  return db
    .query<ContactRow, [number, string, string, number]>("SELECT * FROM contacts WHERE merged_into IS NULL AND id != ? AND (phone = ? OR email = ?) ORDER BY id LIMIT ?")
    .all(self, p.phone ?? "", p.email ?? "", limit);
}

/** Whether the contact follows the channel (Zalo OA): null when the channel does not say. */
export function identityFollows(db: Database, contactId: number, channelId: number): number | null {
  return db
    .query<{ follows: number | null }, [number, number]>("SELECT follows FROM contact_identities WHERE contact_id = ? AND channel_id = ? ORDER BY id LIMIT 1")
    .get(contactId, channelId)?.follows ?? null;
}

export function identitiesOf(db: Database, contactId: number): IdentityView[] {
  return db
    .query<IdentityView, [number]>(
      "SELECT i.channel_id, ch.type AS channel_type, i.external_id, i.follows FROM contact_identities i JOIN channels ch ON ch.id = i.channel_id WHERE i.contact_id = ? ORDER BY i.id",
    )
    .all(contactId);
}

/** With a viewer, only the conversations they may see: an agent learns nothing of other teams' ones. */
export function conversationIdsOf(db: Database, contactId: number, viewer?: Viewer): number[] {
  const scope = viewer ? scopeSql(viewer) : { sql: "1", args: [] };
  return db
    .query<{ id: number }, (number | string)[]>(`SELECT c.id FROM conversations c WHERE c.contact_id = ? AND ${scope.sql} ORDER BY c.id DESC`)
    .all(contactId, ...scope.args)
    .map((r) => r.id);
}

export interface ContactPatch {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  avatar_url?: string | null;
  attributes?: Record<string, unknown>;
  /** Attribute keys to drop (an agent removed them); applied after `attributes`. */
  removeAttributes?: string[];
}

export function updateContact(tx: Tx, id: number, p: ContactPatch): boolean {
  const cur = tx.db.query<ContactRow, [number]>("SELECT * FROM contacts WHERE id = ?").get(id);
  if (!cur) return false;
  let attrs = cur.attributes;
  if (p.attributes || p.removeAttributes?.length) {
    const next: Record<string, unknown> = { ...JSON.parse(cur.attributes), ...p.attributes };
    for (const k of p.removeAttributes ?? []) delete next[k];
    attrs = JSON.stringify(next);
  }
  tx.db
    .query("UPDATE contacts SET name = ?, email = ?, phone = ?, avatar_url = ?, attributes = ?, updated_at = ? WHERE id = ?")
    .run(
      p.name !== undefined ? cleanName(p.name) : cur.name,
      p.email !== undefined ? normaliseEmail(p.email) : cur.email,
      p.phone !== undefined ? normalisePhone(p.phone) : cur.phone,
      p.avatar_url !== undefined ? p.avatar_url : cur.avatar_url,
      attrs, tx.now, id,
    );
  refreshContactSearch(tx, id);
  tx.emit({ type: "contact.updated", contactId: id });
  return true;
}

/** `other` folds into `survivor`: identities and conversations move, gaps fill, `other` remains as a pointer. */
export function mergeContacts(tx: Tx, survivorId: number, otherId: number, by: { actorType: "user" | "api" | "system"; actorId?: number; reason?: string } = { actorType: "user" }): boolean {
  const a = tx.db.query<ContactRow, [number]>("SELECT * FROM contacts WHERE id = ? AND merged_into IS NULL").get(survivorId);
  const b = tx.db.query<ContactRow, [number]>("SELECT * FROM contacts WHERE id = ? AND merged_into IS NULL").get(otherId);
  if (!a || !b || a.id === b.id) return false;
  const merged = mergeFields({ name: a.name, email: a.email, phone: a.phone, avatar_url: a.avatar_url }, { name: b.name, email: b.email, phone: b.phone, avatar_url: b.avatar_url });
  const attrs = { ...JSON.parse(b.attributes), ...JSON.parse(a.attributes) };
  tx.db.query("UPDATE contact_identities SET contact_id = ? WHERE contact_id = ?").run(a.id, b.id);
  tx.db.query("UPDATE conversations SET contact_id = ? WHERE contact_id = ?").run(a.id, b.id);
  tx.db.query("UPDATE messages SET author_id = ? WHERE author_type = 'contact' AND author_id = ?").run(a.id, b.id);
  tx.db.query("UPDATE contacts SET merged_into = ?, email = NULL, phone = NULL, search = '', updated_at = ? WHERE id = ?").run(a.id, tx.now, b.id);
  tx.db
    .query("UPDATE contacts SET name = ?, email = ?, phone = ?, avatar_url = ?, attributes = ?, updated_at = ? WHERE id = ?")
    .run(cleanName(merged.name), merged.email, merged.phone, merged.avatar_url, JSON.stringify(attrs), tx.now, a.id);
  refreshContactSearch(tx, a.id);
  tx.db.query("INSERT INTO audit_log (actor_type, actor_id, action, subject_type, subject_id, data, created_at) VALUES (?, ?, 'contact.merged', 'contact', ?, ?, ?)").run(by.actorType, by.actorId ?? null, a.id, JSON.stringify({ merged: b.id, reason: by.reason }), tx.now);
  tx.emit({ type: "contact.updated", contactId: a.id });
  return true;
}
