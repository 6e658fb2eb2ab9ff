-- Full-text search on PostgreSQL (issue 22): what SQLite's migrations/0005_search_index.sql does
-- with FTS5, done with tsvector, the 'simple' configuration (no stemming, no stop words: folded
-- Vietnamese has neither) and GIN indexes. Both tables hold text folded by TypeScript
-- (domain/contact.ts foldVietnamese: marks stripped, đ -> d, lower case), as on SQLite.
--
-- Words: PostgreSQL's parser would read "an@example.com", "0912.345.678" or "ngoc-xanh" as one
-- token, and whether "hi😀" or "“quote”" is one word depends on the database's locale (LC_CTYPE
-- C calls every non-ASCII character a letter). FTS5's unicode61 cuts at every character that
-- is not a letter or a digit, and the query side (store/search-postgres.ts) cuts the same way, so
-- the text is cut first by an explicit class of letters and digits that reads the same under any
-- locale: ASCII letters and digits and the Unicode blocks of the world's scripts; punctuation,
-- symbols, spaces and emoji are separators. search-postgres.ts WORD_CLASS is this class in
-- JavaScript (tests/postgres-search.test.ts checks the two agree).
-- The first 150,000 characters of a text are indexed: a tsvector holds at most 1 MB, and an
-- error here would lose the message it indexes.
CREATE OR REPLACE FUNCTION pano_search_words(body text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT regexp_replace(left(body, 150000), '[^0-9A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u167f\u1681-\u1fff\u2c00-\u2dff\u3005-\u3007\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ud7ff\uf900-\ufdff\ufe70-\ufefe\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff66-\uffdc\U00020000-\U0003ffff]+', ' ', 'g')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pano_search_vector(body text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsvector('simple'::regconfig, coalesce(pano_search_words(body), ''))
$$;
--> statement-breakpoint
-- Messages: the words only, no copy of the text (snippets are cut from messages.text, like
-- SQLite's contentless table). Rows are written by store/search-index.ts in the same transaction
-- as the message, since the folding happens in TypeScript.
CREATE TABLE message_search (
  message_id bigint PRIMARY KEY,
  words tsvector NOT NULL
);
--> statement-breakpoint
CREATE INDEX message_search_words ON message_search USING gin (words);
--> statement-breakpoint
-- Contacts: the words of contacts.search (already folded by the writer: names, email, phone and
-- its tails, attribute values, channel ids), kept by triggers like SQLite's contact_search.
CREATE TABLE contact_search (
  contact_id bigint PRIMARY KEY,
  words tsvector NOT NULL
);
--> statement-breakpoint
CREATE INDEX contact_search_words ON contact_search USING gin (words);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pano_contact_search_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO contact_search (contact_id, words) VALUES (NEW.id, pano_search_vector(NEW.search))
  ON CONFLICT (contact_id) DO UPDATE SET words = EXCLUDED.words;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pano_contact_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM contact_search WHERE contact_id = OLD.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION pano_contact_search_write();
--> statement-breakpoint
CREATE TRIGGER contacts_search_update AFTER UPDATE OF search ON contacts FOR EACH ROW
  WHEN (OLD.search IS DISTINCT FROM NEW.search) EXECUTE FUNCTION pano_contact_search_write();
--> statement-breakpoint
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts FOR EACH ROW EXECUTE FUNCTION pano_contact_search_delete();
--> statement-breakpoint
INSERT INTO contact_search (contact_id, words) SELECT id, pano_search_vector(search) FROM contacts;
--> statement-breakpoint
-- Messages stored before these tables existed (none in a new database) are indexed by code at the next start.
INSERT INTO search_backfill (what) SELECT 'messages' WHERE EXISTS (SELECT 1 FROM messages) ON CONFLICT DO NOTHING;
