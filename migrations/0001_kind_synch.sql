CREATE TABLE `csat_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`assignee_id` integer,
	`rating` integer NOT NULL,
	`comment` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `csat_conversation` ON `csat_responses` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `csat_created` ON `csat_responses` (`created_at`);