-- What SQLite's migrations/0005_search_index.sql makes besides the full-text indexes: search_backfill,
-- the list of what code still has to index (store/search-index.ts completeSearchBackfill reads it at
-- every start). Empty here, unlike SQLite's ('contacts', 'messages'): those rows ask for rows stored
-- before search existed to be indexed, and a new PostgreSQL database has none.
--
-- Not here: full-text search itself (SQLite's message_search and contact_search FTS5 tables and the
-- contacts_search_* triggers) is designed for PostgreSQL on its own; it comes as a step of its own
-- after the base in src/store/postgres/migrate.ts (POSTGRES_STEPS), adding rows here if its first
-- index is built by code.
CREATE TABLE search_backfill (what text PRIMARY KEY);
