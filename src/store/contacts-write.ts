// Finding or creating the contact behind a channel identity, inside the writer's transaction.
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";
import type { ContactRef } from "../domain/message.ts";
import { normaliseEmail, normalisePhone } from "../domain/contact.ts";
import { contactSearchText } from "./search-index.ts";
import { cleanName, webUrlOrNull } from "../domain/text.ts";

export interface IdentityRow {
  identityId: number;
  contactId: number;
  created: boolean;
  /**
   * The contact's latest conversation on this channel, read in the same query as the identity
   * (null: none; undefined: the contact was found another way and it was not read).
   */
  latestConversation?: LatestConversation | null;
}

export interface LatestConversation {
  id: number;
  status: string;
  assignee_id: number | null;
  last_message_at: number;
}

export function refreshContactSearch(tx: Tx, contactId: number): void {
  const c = prepared<{ name: string | null; email: string | null; phone: string | null; attributes: string }, [number]>(tx.db,
    "SELECT name, email, phone, attributes FROM contacts WHERE id = ?",
  ).get(contactId);
  if (!c) return;
  const ids = prepared<{ external_id: string }, [number]>(tx.db, "SELECT external_id FROM contact_identities WHERE contact_id = ?").all(contactId);
  prepared(tx.db, "UPDATE contacts SET search = ?, updated_at = ? WHERE id = ?").run(
    contactSearchText({ ...c, externalIds: ids.map((i) => i.external_id) }),
    tx.now,
    contactId,
  );
}

interface IdentityLookup {
  id: number; contact_id: number; gaps: number | null; conv_id: number | null;
}

// What the contact lacks, as bits of `gaps`.
const NO_NAME = 1, NO_EMAIL = 2, NO_PHONE = 4, NO_AVATAR = 8;

// Rows of other tables are read by scalar subqueries, not joins: with bun's SQLite (3.54) the
// identity joined to its contact took 15-35 us a message, the same read by a subquery 5-6 us
// (bench/email's 1,000 customers); the latest conversation's id the same way, its row then read
// by id (2 us, where joining the row on the subquery took 11).
const LATEST_CONVERSATION_ID = `(SELECT max(id) FROM conversations WHERE contact_id = i.contact_id AND channel_id = i.channel_id) AS conv_id`;
const CONTACT_GAPS = `(SELECT CASE WHEN name IS NULL THEN ${NO_NAME} ELSE 0 END + CASE WHEN email IS NULL THEN ${NO_EMAIL} ELSE 0 END
    + CASE WHEN phone IS NULL THEN ${NO_PHONE} ELSE 0 END + CASE WHEN avatar_url IS NULL THEN ${NO_AVATAR} ELSE 0 END
  FROM contacts WHERE id = i.contact_id) AS gaps`;
const IDENTITY = `SELECT i.id, i.contact_id, 0 AS gaps, ${LATEST_CONVERSATION_ID}
  FROM contact_identities i WHERE i.channel_id = ? AND i.external_id = ?`;
const IDENTITY_WITH_GAPS = `SELECT i.id, i.contact_id, ${CONTACT_GAPS}, ${LATEST_CONVERSATION_ID}
  FROM contact_identities i WHERE i.channel_id = ? AND i.external_id = ?`;

/** The identity for (channel, external id); a new one joins an existing contact by email or phone. */
export function upsertIdentity(tx: Tx, channelId: number, given: ContactRef): IdentityRow {
  // Names and avatars come from providers and API callers: stored only in their safe form.
  const ref = { ...given, name: cleanName(given.name) ?? undefined, avatarUrl: webUrlOrNull(given.avatarUrl) ?? undefined };
  const email = normaliseEmail(ref.email);
  const phone = normalisePhone(ref.phone);
  // One query answers both "do we know this identity?" and "does its contact lack anything we now
  // know?" (only asked when the event says something of the contact: a Messenger or Zalo message
  // names nobody, its profile comes later) and, one statement fewer per message, which
  // conversation on this channel is the contact's latest.
  const found = prepared<IdentityLookup, [number, string]>(tx.db, ref.name || email || phone || ref.avatarUrl ? IDENTITY_WITH_GAPS : IDENTITY).get(channelId, ref.externalId);
  if (found) {
    const gaps = found.gaps ?? 0;
    const fills = (gaps & NO_NAME && ref.name) || (gaps & NO_EMAIL && email) || (gaps & NO_PHONE && phone) || (gaps & NO_AVATAR && ref.avatarUrl);
    if (fills) fillContactGaps(tx, found.contact_id, ref.name, email, phone, ref.avatarUrl);
    const latestConversation = found.conv_id === null ? null : prepared<LatestConversation, [number]>(tx.db,
      "SELECT id, status, assignee_id, last_message_at FROM conversations WHERE id = ?").get(found.conv_id);
    return { identityId: found.id, contactId: found.contact_id, created: false, latestConversation };
  }
  let contactId: number | null = null;
  let created = false;
  if (email) contactId = prepared<{ id: number }, [string]>(tx.db, "SELECT id FROM contacts WHERE email = ? AND merged_into IS NULL LIMIT 1").get(email)?.id ?? null;
  if (!contactId && phone) contactId = prepared<{ id: number }, [string]>(tx.db, "SELECT id FROM contacts WHERE phone = ? AND merged_into IS NULL LIMIT 1").get(phone)?.id ?? null;
  if (contactId) {
    fillContactGaps(tx, contactId, ref.name, email, phone, ref.avatarUrl);
  } else {
    created = true;
    contactId = Number(
      prepared(tx.db, "INSERT INTO contacts (name, email, phone, avatar_url, attributes, search, created_at, updated_at) VALUES (?, ?, ?, ?, '{}', ?, ?, ?)")
        .run(ref.name ?? null, email, phone, ref.avatarUrl ?? null, contactSearchText({ name: ref.name ?? null, email, phone, externalIds: [ref.externalId] }), tx.now, tx.now).lastInsertRowid,
    );
  }
  const identityId = Number(
    prepared(tx.db, "INSERT INTO contact_identities (contact_id, channel_id, external_id, created_at) VALUES (?, ?, ?, ?)")
      .run(contactId, channelId, ref.externalId, tx.now).lastInsertRowid,
  );
  tx.emit({ type: "contact.created", contactId, channelId, externalId: ref.externalId });
  // A contact found by email or phone may have conversations on this channel already: not read here.
  return { identityId, contactId, created: true, latestConversation: created ? null : undefined };
}

function fillContactGaps(tx: Tx, contactId: number, name?: string, email?: string | null, phone?: string | null, avatar?: string) {
  const r = prepared(tx.db,
      `UPDATE contacts SET name = COALESCE(name, ?), email = COALESCE(email, ?), phone = COALESCE(phone, ?),
       avatar_url = COALESCE(avatar_url, ?), updated_at = ?
       WHERE id = ? AND ((name IS NULL AND ? IS NOT NULL) OR (email IS NULL AND ? IS NOT NULL) OR (phone IS NULL AND ? IS NOT NULL) OR (avatar_url IS NULL AND ? IS NOT NULL))`,
    )
    .run(name ?? null, email ?? null, phone ?? null, avatar ?? null, tx.now, contactId, name ?? null, email ?? null, phone ?? null, avatar ?? null);
  if (r.changes) refreshContactSearch(tx, contactId);
}
