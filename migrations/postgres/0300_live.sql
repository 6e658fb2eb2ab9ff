-- Live updates across Pano instances (docs/scale-out-live.md): every notice the agents' live
-- streams carry (GET /live) is a row here, written in the same transaction as the batch that caused
-- it, so an instance tells its own agents what any instance committed, and a stream that reconnects
-- to another instance resumes after the last id it got. `id` is the one order all instances share:
-- rows are inserted under a transaction-level advisory lock held to the commit, so ids become
-- visible in the order they were given, and "after id N" never skips a row still to commit.
-- Who may see a notice is looked up by the reading instance, as the hub did after a commit: the
-- conversation's holder (conversation_id; everyone when its assignee or team moved), those who see
-- any of a contact's conversations (contact_id), staff only (a channel's trouble) or one person
-- (to_user, their notifications). Rows are kept a short while (pruned by every instance).
CREATE TABLE live_notices (
  id bigserial PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  data text NOT NULL,
  event text,
  conversation_id bigint,
  everyone boolean NOT NULL DEFAULT false,
  contact_id bigint,
  staff boolean NOT NULL DEFAULT false,
  to_user bigint
);
