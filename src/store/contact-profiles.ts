// Profiles a provider tells us about (name, avatar, phone, email), written after commit by the
// enrichment pipeline: they fill only what the contact lacks, and a shared phone joins contacts.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";
import { refreshContactSearch } from "./contacts-write.ts";
import { mergeContacts } from "./contacts.ts";
import type { ContactRef } from "../domain/message.ts";
import { normalisePhone } from "../domain/contact.ts";
import { cleanName, webUrlOrNull } from "../domain/text.ts";

export interface IdentityKey {
  channel_id: number;
  external_id: string;
}

/**
 * The provider's name, avatar and phone fill only what the contact lacks: a name the agent typed
 * wins. `profile` null still marks the identity as fetched (the provider had nothing to give).
 */
export function applyFetchedProfile(tx: Tx, channelId: number, externalId: string, profile: Partial<ContactRef> | null): void {
  const ident = prepared<{ id: number; contact_id: number }, [number, string]>(tx.db, "SELECT id, contact_id FROM contact_identities WHERE channel_id = ? AND external_id = ?").get(channelId, externalId);
  if (!ident) return;
  prepared(tx.db, "UPDATE contact_identities SET profile_fetched_at = ? WHERE id = ?").run(tx.now, ident.id);
  if (!profile) return;
  const phone = normalisePhone(profile.phone);
  prepared(tx.db, "UPDATE contacts SET name = coalesce(name, ?), avatar_url = coalesce(?, avatar_url), phone = coalesce(phone, ?), email = coalesce(email, ?), updated_at = ? WHERE id = ?")
    .run(cleanName(profile.name), webUrlOrNull(profile.avatarUrl), phone, profile.email ?? null, tx.now, ident.contact_id);
  refreshContactSearch(tx, ident.contact_id);
  tx.emit({ type: "contact.updated", contactId: ident.contact_id });
  joinByPhone(tx, ident.contact_id, phone);
}

/**
 * A phone the provider knows (Zalo's shared_info) is how the same person is recognised on
 * another channel: this contact joins the one who already had that phone (channels.md).
 */
function joinByPhone(tx: Tx, contactId: number, phone: string | null) {
  if (!phone) return;
  const own = prepared<{ phone: string | null }, [number]>(tx.db, "SELECT phone FROM contacts WHERE id = ?").get(contactId);
  if (own?.phone !== phone) return; // the agent recorded another number: theirs wins
  const earlier = prepared<{ id: number }, [string, number]>(tx.db, "SELECT id FROM contacts WHERE phone = ? AND merged_into IS NULL AND id != ? ORDER BY id LIMIT 1").get(phone, contactId);
  if (earlier) mergeContacts(tx, earlier.id, contactId, { actorType: "system", reason: "same phone" });
}

/** Nameless contacts whose profile was never fetched, created before `createdBefore` (the slow sweep). */
export function identitiesWithoutProfile(db: Database, createdBefore: number, limit: number): IdentityKey[] {
  return db
    .query<IdentityKey, [number, number]>(
      `SELECT i.channel_id, i.external_id FROM contact_identities i JOIN contacts c ON c.id = i.contact_id
       WHERE i.profile_fetched_at IS NULL AND c.name IS NULL AND i.created_at < ? LIMIT ?`,
    )
    .all(createdBefore, limit);
}
