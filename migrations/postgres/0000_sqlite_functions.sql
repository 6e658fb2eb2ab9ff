-- SQLite's functions that the store's shared statements call, defined in PostgreSQL with SQLite's
-- meaning (src/store/postgres/dialect.ts renames json_each, whose PostgreSQL namesake differs).
-- Documents are text columns holding JSON, as in SQLite.
CREATE OR REPLACE FUNCTION json_valid(doc text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  PERFORM doc::jsonb;
  RETURN doc IS NOT NULL;
EXCEPTION WHEN others THEN
  RETURN false;
END $$;
--> statement-breakpoint
-- '$.a.b' -> {a,b}: the paths the store uses are plain keys.
CREATE OR REPLACE FUNCTION pano_json_path(path text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN path = '$' THEN ARRAY[]::text[] ELSE string_to_array(substr(path, 3), '.') END
$$;
--> statement-breakpoint
-- Like SQLite: a string comes back unquoted, an object or array as its JSON text.
CREATE OR REPLACE FUNCTION json_extract(doc text, path text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT doc::jsonb #>> pano_json_path(path)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION json(doc text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT doc::jsonb
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION json_set(doc text, path text, val jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_set(doc::jsonb, pano_json_path(path), val, true)::text
$$;
--> statement-breakpoint
-- RFC 7396 merge patch, as SQLite's json_patch: objects merge key by key, a null removes the key.
CREATE OR REPLACE FUNCTION pano_merge_patch(target jsonb, patch jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  k text;
  v jsonb;
BEGIN
  IF jsonb_typeof(patch) <> 'object' THEN RETURN patch; END IF;
  IF target IS NULL OR jsonb_typeof(target) <> 'object' THEN target := '{}'::jsonb; END IF;
  FOR k, v IN SELECT * FROM jsonb_each(patch) LOOP
    IF jsonb_typeof(v) = 'null' THEN target := target - k;
    ELSE target := jsonb_set(target, ARRAY[k], pano_merge_patch(target -> k, v), true);
    END IF;
  END LOOP;
  RETURN target;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION json_patch(doc text, patch text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT pano_merge_patch(doc::jsonb, patch::jsonb)::text
$$;
--> statement-breakpoint
-- json_each over an array or an object: each element's key (or index) and value, strings unquoted.
CREATE OR REPLACE FUNCTION pano_json_each(doc text) RETURNS TABLE (key text, value text) LANGUAGE sql IMMUTABLE AS $$
  SELECT e.key, e.value FROM jsonb_each_text(CASE WHEN jsonb_typeof(doc::jsonb) = 'object' THEN doc::jsonb ELSE '{}'::jsonb END) e
  UNION ALL
  SELECT (a.n - 1)::text, a.value FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(doc::jsonb) = 'array' THEN doc::jsonb ELSE '[]'::jsonb END) WITH ORDINALITY a(value, n)
$$;
--> statement-breakpoint
-- `IN (SELECT value FROM json_each(?))` with a JSON array of ids, compared with an integer column.
CREATE OR REPLACE FUNCTION pano_json_ids(doc text) RETURNS TABLE (value bigint) LANGUAGE sql IMMUTABLE AS $$
  SELECT v::bigint FROM jsonb_array_elements_text(doc::jsonb) v
$$;
