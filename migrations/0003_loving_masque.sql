CREATE INDEX `conversations_queue_key` ON `conversations` (`status`,(priority_rank * 100000000000000 + (waiting_since IS NULL) * 50000000000000 + coalesce(waiting_since, last_message_at)),`id`);
