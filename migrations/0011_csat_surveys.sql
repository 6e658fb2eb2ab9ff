CREATE TABLE `csat_settings` (
	`team_id` integer PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT 0 NOT NULL,
	`delay_minutes` integer DEFAULT 0 NOT NULL,
	`text_vi` text,
	`text_en` text,
	`min_days_between` integer DEFAULT 30 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `csat_surveys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`channel_id` integer NOT NULL,
	`team_id` integer,
	`agent_id` integer,
	`language` text DEFAULT 'vi' NOT NULL,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`due_at` integer NOT NULL,
	`message_id` integer,
	`sent_at` integer,
	`answered_at` integer,
	`link_used_at` integer,
	`skip_reason` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `csat_surveys_conversation` ON `csat_surveys` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `csat_surveys_due` ON `csat_surveys` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `csat_surveys_contact` ON `csat_surveys` (`contact_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `csat_surveys_sent` ON `csat_surveys` (`sent_at`);--> statement-breakpoint
CREATE TABLE `csat_link_key` (
	`id` integer PRIMARY KEY NOT NULL,
	`key` text NOT NULL
);
--> statement-breakpoint
INSERT INTO `csat_link_key` (`id`, `key`) VALUES (1, lower(hex(randomblob(32))));--> statement-breakpoint
ALTER TABLE `csat_responses` ADD `survey_id` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `csat_responses_survey` ON `csat_responses` (`survey_id`);--> statement-breakpoint
ALTER TABLE `contacts` ADD `surveys_stopped_at` integer;
