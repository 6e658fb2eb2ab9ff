-- Suggested duplicate customers (issue 19, docs/customer-history.md; this reserved file's name is
-- historical). contact_match_keys: each live contact's comparable keys (phone normalised by
-- domain/contact.ts, email lower-cased, name folded) kept by the background duplicate finder;
-- contact_match_details: its folded name joined with each second detail (avatar, company domain,
-- identifier-like attribute), so namesakes sharing one are an exact match; contact_duplicates: the
-- pairs it found (a_id < b_id); contact_duplicate_dismissals: "not a
-- duplicate", remembered per pair; contact_duplicate_scan: how far the finder has read contacts.
CREATE TABLE `contact_match_keys` (
	`contact_id` integer PRIMARY KEY NOT NULL,
	`phone` text,
	`email` text,
	`name` text,
	`scanned_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `contact_match_keys_phone` ON `contact_match_keys` (`phone`);
--> statement-breakpoint
CREATE INDEX `contact_match_keys_email` ON `contact_match_keys` (`email`);
--> statement-breakpoint
CREATE TABLE `contact_match_details` (
	`key` text NOT NULL,
	`contact_id` integer NOT NULL,
	PRIMARY KEY(`key`, `contact_id`)
);
--> statement-breakpoint
CREATE INDEX `contact_match_details_contact` ON `contact_match_details` (`contact_id`);
--> statement-breakpoint
CREATE TABLE `contact_duplicates` (
	`a_id` integer NOT NULL,
	`b_id` integer NOT NULL,
	`reason` text NOT NULL,
	`rank` integer NOT NULL,
	`detail` text NOT NULL,
	`found_at` integer NOT NULL,
	PRIMARY KEY(`a_id`, `b_id`)
);
--> statement-breakpoint
CREATE INDEX `contact_duplicates_b` ON `contact_duplicates` (`b_id`);
--> statement-breakpoint
CREATE INDEX `contact_duplicates_order` ON `contact_duplicates` (`rank`,`a_id`,`b_id`);
--> statement-breakpoint
CREATE TABLE `contact_duplicate_dismissals` (
	`a_id` integer NOT NULL,
	`b_id` integer NOT NULL,
	`user_id` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`a_id`, `b_id`)
);
--> statement-breakpoint
CREATE TABLE `contact_duplicate_scan` (
	`id` integer PRIMARY KEY NOT NULL,
	`updated_at` integer NOT NULL,
	`contact_id` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `contacts_updated` ON `contacts` (`updated_at`,`id`);
