-- The rows SQLite's hand-written migrations insert, for a new PostgreSQL database.
-- 0011: the key that signs emailed survey links, 32 random bytes as 64 hex digits, made once in the
-- database so that every Pano instance signs and checks with the same key. PostgreSQL (13 and
-- later) has no randomblob() without the pgcrypto extension, which a managed service may not
-- allow; gen_random_uuid() is built in and draws from the same strong source: two of them give
-- 64 hex digits, 244 of their bits random.
INSERT INTO csat_link_key (id, key) VALUES (1, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
--> statement-breakpoint
-- 0025: the report pages' version counter starts at 0.
INSERT INTO report_page_version (id, v) VALUES (1, 0);
