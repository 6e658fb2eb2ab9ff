ALTER TABLE `api_tokens` ADD `scopes` text DEFAULT 'read,write,admin' NOT NULL;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `channel_ids` text;