CREATE TABLE `report_pages` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` integer NOT NULL,
	`hour` integer NOT NULL,
	`part` integer NOT NULL,
	`n` integer NOT NULL,
	`data` blob NOT NULL
);
--> statement-breakpoint
CREATE TABLE `report_conversations` (
	`conversation_id` integer PRIMARY KEY NOT NULL,
	`data` blob NOT NULL
);
--> statement-breakpoint
CREATE TABLE `report_dirty` (
	`conversation_id` integer PRIMARY KEY NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `report_dirty_conversation_insert` AFTER INSERT ON `conversations` BEGIN
	INSERT OR IGNORE INTO `report_dirty` (`conversation_id`) VALUES (NEW.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `report_dirty_conversation_update` AFTER UPDATE OF `channel_id`, `status`, `assignee_id`, `team_id`, `priority`, `first_response_at`, `resolved_at`, `handle_ms`, `created_at` ON `conversations` BEGIN
	INSERT OR IGNORE INTO `report_dirty` (`conversation_id`) VALUES (NEW.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `report_dirty_conversation_delete` AFTER DELETE ON `conversations` BEGIN
	INSERT OR IGNORE INTO `report_dirty` (`conversation_id`) VALUES (OLD.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `report_dirty_message_update` AFTER UPDATE OF `conversation_id`, `direction`, `private`, `author_type`, `author_id`, `status`, `meta`, `automatic`, `created_at` ON `messages`
	WHEN OLD.`conversation_id` IS NOT NEW.`conversation_id` OR OLD.`direction` IS NOT NEW.`direction` OR OLD.`private` IS NOT NEW.`private`
		OR OLD.`author_type` IS NOT NEW.`author_type` OR OLD.`author_id` IS NOT NEW.`author_id` OR (OLD.`status` = 'failed') IS NOT (NEW.`status` = 'failed')
		OR OLD.`meta` IS NOT NEW.`meta` OR OLD.`automatic` IS NOT NEW.`automatic` OR OLD.`created_at` IS NOT NEW.`created_at` BEGIN
	INSERT OR IGNORE INTO `report_dirty` (`conversation_id`) VALUES (OLD.`conversation_id`);
	INSERT OR IGNORE INTO `report_dirty` (`conversation_id`) VALUES (NEW.`conversation_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `report_dirty_message_delete` AFTER DELETE ON `messages` WHEN OLD.`private` = 0 BEGIN
	INSERT OR IGNORE INTO `report_dirty` (`conversation_id`) VALUES (OLD.`conversation_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `report_dirty_resolver` AFTER INSERT ON `audit_log` WHEN NEW.`action` = 'conversation.status' AND NEW.`conversation_id` IS NOT NULL BEGIN
	INSERT OR IGNORE INTO `report_dirty` (`conversation_id`) VALUES (NEW.`conversation_id`);
END;
