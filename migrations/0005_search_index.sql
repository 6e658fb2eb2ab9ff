-- Full-text search (issue 19), hand-written: drizzle-kit cannot express FTS5 virtual tables
-- (`drizzle-kit generate --custom` made this file, so the journal and snapshots stay in step).
-- Both indexes hold text folded by domain/contact.ts foldVietnamese (marks stripped, đ -> d,
-- lower case): unicode61's remove_diacritics leaves đ alone, so "don hang" would miss "Đơn hàng".
-- Messages: contentless, the index keeps no copy of the text (snippets are cut from messages.text);
-- contentless_delete lets a rebuild replace a row. Rows are written by store/search-index.ts in
-- the same transaction as the message, since SQLite cannot fold Vietnamese by itself.
CREATE VIRTUAL TABLE `message_search` USING fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0', prefix='2 3');
--> statement-breakpoint
-- Contacts: external content over contacts.search (already folded by the writer), kept by triggers.
CREATE VIRTUAL TABLE `contact_search` USING fts5(search, content='contacts', content_rowid='id', tokenize='unicode61 remove_diacritics 0', prefix='2 3');
--> statement-breakpoint
CREATE TRIGGER `contacts_search_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT INTO contact_search(rowid, search) VALUES (new.id, new.search);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_search_delete` AFTER DELETE ON `contacts` BEGIN
  INSERT INTO contact_search(contact_search, rowid, search) VALUES ('delete', old.id, old.search);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_search_update` AFTER UPDATE OF search ON `contacts` BEGIN
  INSERT INTO contact_search(contact_search, rowid, search) VALUES ('delete', old.id, old.search);
  INSERT INTO contact_search(rowid, search) VALUES (new.id, new.search);
END;
--> statement-breakpoint
INSERT INTO contact_search(contact_search) VALUES ('rebuild');
--> statement-breakpoint
-- What is still to be indexed by code (folding happens in TypeScript): the existing messages, and
-- contacts' search text, which now also carries attributes and phone fragments.
CREATE TABLE `search_backfill` (`what` text PRIMARY KEY NOT NULL);
--> statement-breakpoint
INSERT INTO `search_backfill` (`what`) VALUES ('contacts'), ('messages');
