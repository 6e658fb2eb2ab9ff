ALTER TABLE `sla_policies` ADD `breach_actions` text;
