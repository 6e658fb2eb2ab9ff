ALTER TABLE `conversations` ADD `previous_conversation_id` integer;--> statement-breakpoint
ALTER TABLE `teams` ADD `reopen_window_minutes` integer DEFAULT 1440 NOT NULL;