CREATE TABLE `work_spans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `work_spans_conversation` ON `work_spans` (`conversation_id`);
--> statement-breakpoint
CREATE INDEX `work_spans_user` ON `work_spans` (`user_id`,`ended_at`);
--> statement-breakpoint
ALTER TABLE `conversations` ADD `handle_ms` integer DEFAULT 0 NOT NULL;
