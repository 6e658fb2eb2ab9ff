-- No list reads this index any more (the inbox's queue reads conversations_queue_key), and every
-- customer message moved its entry (last_message_at): dropping it is one index write less a message.
DROP INDEX `conversations_queue`;
