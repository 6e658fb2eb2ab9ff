-- Customers' messages are indexed for search by a thread of their own (store/search-index-thread.ts),
-- after they are stored, in larger batches and off the thread that answers webhooks. This row is how
-- far it got: it moves in the same transaction as the index rows it covers, so a crash loses
-- nothing and indexes nothing twice. Every message already stored was indexed with it.
CREATE TABLE `search_position` (
	`id` integer PRIMARY KEY NOT NULL,
	`message_id` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `search_position` (`id`, `message_id`) SELECT 1, coalesce(max(`id`), 0) FROM `messages`;
