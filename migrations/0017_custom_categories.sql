CREATE TABLE `categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tag` text NOT NULL,
	`tag_key` text NOT NULL,
	`examples` text DEFAULT '[]' NOT NULL,
	`from_labels` integer DEFAULT 1 NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `categories_tag_key` ON `categories` (`tag_key`);
--> statement-breakpoint
ALTER TABLE `conversations` ADD `categories` text DEFAULT '[]' NOT NULL;
