CREATE TABLE `qa_scorecards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`criteria` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `qa_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`per_agent_week` integer DEFAULT 2 NOT NULL,
	`complaints` integer DEFAULT 1 NOT NULL,
	`low_csat` integer DEFAULT 1 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `qa_queue` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`agent_id` integer NOT NULL,
	`reason` text NOT NULL,
	`week_start` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `qa_queue_conversation` ON `qa_queue` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `qa_queue_agent_week` ON `qa_queue` (`agent_id`,`week_start`,`reason`);--> statement-breakpoint
CREATE INDEX `qa_queue_status` ON `qa_queue` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `qa_reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`agent_id` integer NOT NULL,
	`reviewer_id` integer NOT NULL,
	`scorecard_id` integer NOT NULL,
	`scorecard_version` integer NOT NULL,
	`criteria` text NOT NULL,
	`scores` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`score` real,
	`status` text DEFAULT 'awaiting_agent' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`scorecard_id`) REFERENCES `qa_scorecards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `qa_reviews_conversation` ON `qa_reviews` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `qa_reviews_agent` ON `qa_reviews` (`agent_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `qa_reviews_created` ON `qa_reviews` (`created_at`);--> statement-breakpoint
CREATE INDEX `qa_reviews_status` ON `qa_reviews` (`status`);--> statement-breakpoint
CREATE TABLE `qa_review_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`review_id` integer NOT NULL,
	`actor_id` integer,
	`kind` text NOT NULL,
	`text` text,
	`data` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`review_id`) REFERENCES `qa_reviews`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `qa_review_events_review` ON `qa_review_events` (`review_id`,`id`);
