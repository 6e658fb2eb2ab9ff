-- Each report page says which write made it (v), from one counter that only goes up (one bump
-- per batch that rewrites pages, never reset, not even by a rebuild): a reader keeps pages it
-- decoded and reads again only the ones whose v changed (store/report-rollups-read.ts).
ALTER TABLE `report_pages` ADD `v` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
CREATE TABLE `report_page_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`v` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `report_page_version` (`id`, `v`) VALUES (1, 0);
