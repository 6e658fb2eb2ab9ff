-- What a single Pano keeps in memory and several instances behind one load balancer must share
-- (docs/scale-out-state.md). Short-lived rows: each says until when it counts, and expired rows
-- are deleted as instances come across them.
--
-- Rate limits (login attempts per address): one row per counted attempt.
CREATE TABLE pano_rate_hits (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope text NOT NULL,
  key text NOT NULL,
  until bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX pano_rate_hits_key ON pano_rate_hits (scope, key, until);
--> statement-breakpoint
CREATE INDEX pano_rate_hits_until ON pano_rate_hits (until);
--> statement-breakpoint
-- Who has a conversation open, per browser tab (tab '' for a typing signal from a tab not yet
-- heard), and until when they are typing in it: the collision warning and "agents here".
CREATE TABLE pano_agents_here (
  conversation_id bigint NOT NULL,
  user_id bigint NOT NULL,
  tab text NOT NULL,
  name text NOT NULL,
  until bigint NOT NULL,
  typing_until bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (conversation_id, user_id, tab)
);
--> statement-breakpoint
CREATE INDEX pano_agents_here_user ON pano_agents_here (user_id);
--> statement-breakpoint
-- Agents' live connections per instance (who is online, for assignment): each instance renews its
-- rows while it runs, so a dead instance's agents count as gone once `until` passes.
CREATE TABLE pano_live_connections (
  instance text NOT NULL,
  user_id bigint NOT NULL,
  connections integer NOT NULL,
  until bigint NOT NULL,
  PRIMARY KEY (instance, user_id)
);
--> statement-breakpoint
CREATE INDEX pano_live_connections_user ON pano_live_connections (user_id, until);
--> statement-breakpoint
-- When each agent's last live connection anywhere closed (the return-to-queue clock).
CREATE TABLE pano_agents_offline (
  user_id bigint PRIMARY KEY,
  since bigint NOT NULL
);
--> statement-breakpoint
-- The retrained triage model (SQLite keeps it in the data dir's triage-model.json): one row,
-- written by whichever instance keeps a retrain, read by every instance at start and when it
-- sees saved_at move.
CREATE TABLE pano_triage_model (
  id smallint PRIMARY KEY CHECK (id = 1),
  model text NOT NULL,
  saved_at bigint NOT NULL
);
