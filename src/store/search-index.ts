// Keeping the full-text index (migration 0005; on PostgreSQL migrations/postgres/0100_search.sql):
// a message's folded text is written beside the message in the same transaction, except a
// customer's message on SQLite while the search thread runs (search-index-thread.ts), which
// indexes it a moment later; contacts are kept by triggers on contacts.search. SQLite cannot fold
// Vietnamese itself (no đ -> d, and bun:sqlite has no user functions), so existing rows are
// indexed by this code: once after the migration (search_backfill) and by `pano search rebuild`.
// PostgreSQL is given the same folded text and cuts it into words itself (pano_search_vector).
import type { Database } from "bun:sqlite";
import { prepared } from "./prepared.ts";
import { isPostgres } from "./postgres/connection.ts";
import { searchText, phoneTails, attributeWords } from "../domain/contact.ts";
import { messageSearchText } from "./search-text.ts";

export { subjectOf } from "./search-text.ts";

// Connections whose customers' messages the search thread indexes (search-index-thread.ts).
const indexedByThread = new WeakSet<Database>();

export function setIndexedByThread(db: Database, on: boolean): void {
  if (on) indexedByThread.add(db);
  else indexedByThread.delete(db);
}

/** A customer's message: left to the search thread when one runs for this connection, else indexed now. */
export function indexInboundMessage(db: Database, id: number, text: string, meta: string | null): void {
  if (!indexedByThread.has(db)) indexMessage(db, id, text, meta);
}

/** Called by the writers of messages (store/inbound.ts, store/outbound.ts) inside their transaction. */
export function indexMessage(db: Database, id: number, text: string, meta: string | null = null): void {
  const body = messageSearchText(text, meta);
  if (!body.trim()) return;
  if (isPostgres(db)) prepared(db, POSTGRES_INDEX_MESSAGE).run(id, body);
  else prepared(db, "INSERT OR REPLACE INTO message_search (rowid, body) VALUES (?, ?)").run(id, body);
}

const POSTGRES_INDEX_MESSAGE =
  "INSERT INTO message_search (message_id, words) VALUES (?, pano_search_vector(?)) ON CONFLICT (message_id) DO UPDATE SET words = EXCLUDED.words";
// A chunk of [id, folded text] pairs in one statement: one round trip to PostgreSQL, not 5,000.
// The parameter is text: given as jsonb, postgres.js would send the JSON text as one JSON string.
const POSTGRES_INDEX_MESSAGES =
  "INSERT INTO message_search (message_id, words) SELECT CAST(e->>0 AS bigint), pano_search_vector(e->>1) FROM jsonb_array_elements(CAST(CAST(? AS text) AS jsonb)) e " +
  "ON CONFLICT (message_id) DO UPDATE SET words = EXCLUDED.words";

export interface ContactSearchParts {
  name: string | null;
  email: string | null;
  phone: string | null;
  attributes?: string | null;
  externalIds: string[];
}

/** contacts.search: names, email, phone and its tails, attribute values, channel ids — folded. */
export function contactSearchText(c: ContactSearchParts): string {
  return searchText([c.name, c.email, c.phone, ...phoneTails(c.phone), ...attributeWords(c.attributes), ...c.externalIds]);
}

const CHUNK = 5000;

function reindexMessages(db: Database, onProgress?: (done: number) => void): number {
  let after = 0;
  let done = 0;
  const page = db.query<{ id: number; text: string; meta: string | null }, [number, number]>(
    "SELECT id, text, meta FROM messages WHERE id > ? ORDER BY id LIMIT ?",
  );
  // Chunks of their own transactions: a running server's writer waits milliseconds, not minutes.
  for (;;) {
    const rows = db.transaction(() => {
      const rows = page.all(after, CHUNK);
      if (isPostgres(db)) {
        const bodies = rows.flatMap((r) => {
          const body = messageSearchText(r.text, r.meta);
          return body.trim() ? [[r.id, body]] : [];
        });
        if (bodies.length) db.query(POSTGRES_INDEX_MESSAGES).run(JSON.stringify(bodies));
      } else for (const r of rows) indexMessage(db, r.id, r.text, r.meta);
      return rows;
    }).immediate();
    if (!rows.length) break;
    after = rows[rows.length - 1].id;
    done += rows.length;
    onProgress?.(done);
  }
  return done;
}

function reindexContacts(db: Database): number {
  let after = 0;
  let done = 0;
  const page = db.query<{ id: number; name: string | null; email: string | null; phone: string | null; attributes: string }, [number, number]>(
    "SELECT id, name, email, phone, attributes FROM contacts WHERE id > ? AND merged_into IS NULL ORDER BY id LIMIT ?",
  );
  const ids = db.query<{ external_id: string }, [number]>("SELECT external_id FROM contact_identities WHERE contact_id = ?");
  const set = db.query("UPDATE contacts SET search = ? WHERE id = ? AND search != ?");
  for (;;) {
    const rows = db.transaction(() => {
      const rows = page.all(after, CHUNK);
      for (const r of rows) {
        const search = contactSearchText({ ...r, externalIds: ids.all(r.id).map((i) => i.external_id) });
        set.run(search, r.id, search);
      }
      return rows;
    }).immediate();
    if (!rows.length) break;
    after = rows[rows.length - 1].id;
    done += rows.length;
  }
  return done;
}

/**
 * PostgreSQL's contact_search from contacts.search as it stands (its triggers keep it from then
 * on): what FTS5's 'rebuild' does for SQLite's external-content table.
 */
function refillContactSearch(db: Database): void {
  db.transaction(() => {
    db.query("TRUNCATE contact_search").run();
    db.query("INSERT INTO contact_search (contact_id, words) SELECT id, pano_search_vector(search) FROM contacts").run();
  }).immediate();
}

/** Indexes what the migration left for code; a no-op (one small read) once done. */
export function completeSearchBackfill(db: Database): void {
  const pending = new Set(db.query<{ what: string }, []>("SELECT what FROM search_backfill").all().map((r) => r.what));
  if (pending.has("contacts")) {
    reindexContacts(db);
    if (isPostgres(db)) refillContactSearch(db);
    db.query("DELETE FROM search_backfill WHERE what = 'contacts'").run();
  }
  if (pending.has("messages")) {
    reindexMessages(db);
    db.query("DELETE FROM search_backfill WHERE what = 'messages'").run();
  }
}

/** `pano search rebuild`: both indexes from scratch, from the messages and contacts tables. */
export function rebuildSearchIndex(db: Database, onProgress?: (messages: number) => void): { messages: number; contacts: number } {
  const postgres = isPostgres(db);
  db.transaction(() => {
    // TRUNCATE on PostgreSQL: a DELETE of every row would leave as many dead ones to vacuum.
    db.query(postgres ? "TRUNCATE message_search" : "INSERT INTO message_search (message_search) VALUES ('delete-all')").run();
    db.query("INSERT OR IGNORE INTO search_backfill (what) VALUES ('contacts'), ('messages')").run();
  }).immediate();
  const contacts = reindexContacts(db);
  if (postgres) refillContactSearch(db);
  else db.query("INSERT INTO contact_search (contact_search) VALUES ('rebuild')").run();
  db.query("DELETE FROM search_backfill WHERE what = 'contacts'").run();
  const messages = reindexMessages(db, onProgress);
  db.query("DELETE FROM search_backfill WHERE what = 'messages'").run();
  return { messages, contacts };
}

/** Bytes the two indexes take on disk (dbstat; PostgreSQL: the tables with their GIN indexes), for the bench and the rebuild report. */
export function searchIndexBytes(db: Database): number | null {
  if (isPostgres(db)) {
    return db.query<{ n: number }, []>("SELECT pg_total_relation_size('message_search') + pg_total_relation_size('contact_search') AS n").get()?.n ?? 0;
  }
  try {
    return db.query<{ n: number }, []>("SELECT sum(pgsize) AS n FROM dbstat WHERE name LIKE 'message_search%' OR name LIKE 'contact_search%'").get()?.n ?? 0;
  } catch {
    return null; // dbstat is not compiled in
  }
}
