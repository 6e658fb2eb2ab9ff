-- The report roll-ups' dirty list (migrations/0020_report_rollups.sql), in PostgreSQL: the same
-- events and conditions mark a conversation for store/report-rollups.ts to recompute. drizzle-kit
-- cannot express triggers, so they are written here by hand. SQLite's `IS NOT` (which treats NULL
-- as a value) is PostgreSQL's IS DISTINCT FROM; INSERT OR IGNORE is ON CONFLICT DO NOTHING.
-- UPDATE OF fires when a column is named in the UPDATE's SET, changed or not: the same rule as SQLite's.
CREATE FUNCTION pano_report_dirty_conversation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO report_dirty (conversation_id) VALUES (OLD.id) ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO report_dirty (conversation_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER report_dirty_conversation_insert AFTER INSERT ON conversations
  FOR EACH ROW EXECUTE FUNCTION pano_report_dirty_conversation();
--> statement-breakpoint
CREATE TRIGGER report_dirty_conversation_update
  AFTER UPDATE OF channel_id, status, assignee_id, team_id, priority, first_response_at, resolved_at, handle_ms, created_at ON conversations
  FOR EACH ROW EXECUTE FUNCTION pano_report_dirty_conversation();
--> statement-breakpoint
CREATE TRIGGER report_dirty_conversation_delete AFTER DELETE ON conversations
  FOR EACH ROW EXECUTE FUNCTION pano_report_dirty_conversation();
--> statement-breakpoint
-- A message moved to another conversation dirties both; a deleted one only its own.
CREATE FUNCTION pano_report_dirty_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_dirty (conversation_id) VALUES (OLD.conversation_id) ON CONFLICT DO NOTHING;
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO report_dirty (conversation_id) VALUES (NEW.conversation_id) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER report_dirty_message_update
  AFTER UPDATE OF conversation_id, direction, private, author_type, author_id, status, meta, automatic, created_at ON messages
  FOR EACH ROW
  WHEN (OLD.conversation_id IS DISTINCT FROM NEW.conversation_id OR OLD.direction IS DISTINCT FROM NEW.direction
    OR OLD.private IS DISTINCT FROM NEW.private OR OLD.author_type IS DISTINCT FROM NEW.author_type
    OR OLD.author_id IS DISTINCT FROM NEW.author_id OR (OLD.status = 'failed') IS DISTINCT FROM (NEW.status = 'failed')
    OR OLD.meta IS DISTINCT FROM NEW.meta OR OLD.automatic IS DISTINCT FROM NEW.automatic
    OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION pano_report_dirty_message();
--> statement-breakpoint
CREATE TRIGGER report_dirty_message_delete AFTER DELETE ON messages
  FOR EACH ROW WHEN (OLD.private = 0)
  EXECUTE FUNCTION pano_report_dirty_message();
--> statement-breakpoint
-- A status change recorded in the audit log names who resolved the conversation.
CREATE FUNCTION pano_report_dirty_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_dirty (conversation_id) VALUES (NEW.conversation_id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER report_dirty_resolver AFTER INSERT ON audit_log
  FOR EACH ROW WHEN (NEW.action = 'conversation.status' AND NEW.conversation_id IS NOT NULL)
  EXECUTE FUNCTION pano_report_dirty_audit();
