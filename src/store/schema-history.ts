// Suggested duplicate customers (migration 0016_call_outcomes.sql, docs/customer-history.md): the
// keys the background finder compares, the pairs it found, the pairs people said are not duplicates,
// and how far it has read the contacts table. Pairs are stored once, the lower contact id first.
import { sqliteTable, integer, text, index, primaryKey } from "drizzle-orm/sqlite-core";

export const contactMatchKeys = sqliteTable(
  "contact_match_keys",
  {
    contactId: integer("contact_id").primaryKey(),
    phone: text("phone"), // domain/contact.ts normalisePhone
    email: text("email"), // lower-cased
    name: text("name"), // domain/duplicates.ts nameKey
    scannedAt: integer("scanned_at").notNull(),
  },
  (t) => [index("contact_match_keys_phone").on(t.phone), index("contact_match_keys_email").on(t.email)],
);

/** key: the folded name and one second detail (domain/duplicates.ts nameDetailKeys). */
export const contactMatchDetails = sqliteTable(
  "contact_match_details",
  {
    key: text("key").notNull(),
    contactId: integer("contact_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.contactId] }), index("contact_match_details_contact").on(t.contactId)],
);

export const contactDuplicates = sqliteTable(
  "contact_duplicates",
  {
    aId: integer("a_id").notNull(),
    bId: integer("b_id").notNull(),
    reason: text("reason").notNull(), // phone | email | name
    rank: integer("rank").notNull(), // 0 phone, 1 email, 2 name: the list's order
    detail: text("detail").notNull(), // JSON: what they share
    foundAt: integer("found_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.aId, t.bId] }), index("contact_duplicates_b").on(t.bId), index("contact_duplicates_order").on(t.rank, t.aId, t.bId)],
);

export const contactDuplicateDismissals = sqliteTable(
  "contact_duplicate_dismissals",
  {
    aId: integer("a_id").notNull(),
    bId: integer("b_id").notNull(),
    userId: integer("user_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.aId, t.bId] })],
);

/** One row (id 1): the last (updated_at, id) of contacts the finder has read. */
export const contactDuplicateScan = sqliteTable("contact_duplicate_scan", {
  id: integer("id").primaryKey(),
  updatedAt: integer("updated_at").notNull(),
  contactId: integer("contact_id").notNull(),
});
