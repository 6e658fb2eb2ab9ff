// The store's SQLite statements, as the PostgreSQL door sends them (store/postgres/dialect.ts).
import { describe, expect, test } from "bun:test";
import { translate, type Catalog } from "../src/store/postgres/dialect.ts";

const catalog: Catalog = {
  primaryKey: (t) => ({ report_pages: ["id"], channel_state: ["channel_id", "key"] })[t] ?? [],
  hasId: (t) => !["report_dirty", "channel_state"].includes(t),
};
const pg = (sql: string) => translate(sql, catalog).text;

describe("SQLite statements said in PostgreSQL", () => {
  test.each([
    ["placeholders are numbered in order", "SELECT * FROM messages WHERE id = ? AND text = '?' AND status = ?", `SELECT * FROM messages WHERE id = $1 AND text = '?' AND status = $2`],
    ["numbered placeholders keep their numbers", "UPDATE outbox SET x = ?2 WHERE id = ?1 AND y = ?2", "UPDATE outbox SET x = $2 WHERE id = $1 AND y = $2"],
    ["backticks become double quotes", "SELECT `status` FROM `conversations`", `SELECT "status" FROM "conversations"`],
    ["INSERT OR IGNORE does nothing on conflict", "INSERT OR IGNORE INTO report_dirty (conversation_id) VALUES (?)", "INSERT INTO report_dirty (conversation_id) VALUES ($1) ON CONFLICT DO NOTHING"],
    ["INSERT OR IGNORE keeps its RETURNING last", "INSERT OR IGNORE INTO teams (name) VALUES (?) RETURNING id", "INSERT INTO teams (name) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id"],
    ["INSERT OR REPLACE updates the row with that key", "INSERT OR REPLACE INTO report_pages (id, kind, data) VALUES (?, ?, ?)", `INSERT INTO report_pages (id, kind, data) VALUES ($1, $2, $3) ON CONFLICT ("id") DO UPDATE SET "kind" = EXCLUDED."kind", "data" = EXCLUDED."data" RETURNING "id"`],
    ["scalar MAX and MIN", "SELECT max(a, b), MIN(x, 3), max(c) FROM t", "SELECT GREATEST(a, b), LEAST(x, 3), max(c) FROM t"],
    ["IS between values counts NULL as a value", "SELECT 1 WHERE a IS NOT b AND c IS ? AND d IS NULL AND e IS NOT NULL", "SELECT 1 WHERE a IS DISTINCT FROM b AND c IS NOT DISTINCT FROM $1 AND d IS NULL AND e IS NOT NULL"],
    ["LIKE ignores case as in SQLite", "SELECT 1 FROM contacts WHERE search LIKE ? AND name NOT LIKE 'x%'", "SELECT 1 FROM contacts WHERE search ILIKE $1 AND name NOT ILIKE 'x%'"],
    ["IFNULL is COALESCE", "SELECT ifnull(a, 0) FROM t", "SELECT COALESCE(a, 0) FROM t"],
    ["BEGIN IMMEDIATE is BEGIN", "BEGIN IMMEDIATE", "BEGIN"],
    ["an empty blob literal", "INSERT INTO report_pages (id, data) VALUES (0, x'')", `INSERT INTO report_pages (id, data) VALUES (0, '\\x'::bytea) RETURNING "id"`],
    ["LIMIT -1 is no limit", "SELECT id FROM t LIMIT -1 OFFSET ?", "SELECT id FROM t LIMIT ALL OFFSET $1"],
    ["an id list from JSON", "SELECT id FROM outbox WHERE id IN (SELECT value FROM json_each(?))", "SELECT id FROM outbox WHERE id IN (SELECT value FROM pano_json_ids($1))"],
    ["json_each over a column", "SELECT 1 FROM conversations c WHERE EXISTS (SELECT 1 FROM json_each(c.labels) WHERE value = ?)", "SELECT 1 FROM conversations c WHERE EXISTS (SELECT 1 FROM pano_json_each(c.labels) WHERE value = $1)"],
    ["a literal condition is a boolean", "SELECT 1 FROM c WHERE 1 AND (0 OR x = 1) AND (1) AND y IN (1, 0) AND z = 1 ORDER BY 1", "SELECT 1 FROM c WHERE TRUE AND (FALSE OR x = 1) AND (TRUE) AND y IN (1, 0) AND z = 1 ORDER BY 1"],
    ["a flag column standing as a condition is compared with 0", "SELECT (m.automatic OR (x = 1 AND y)) AS a, count(z), max(c.created_at) FROM m WHERE NOT private AND (urgent) AND CASE WHEN c.urgent THEN 1 END = 1 ORDER BY id", "SELECT ((m.automatic <> 0) OR (x = 1 AND (y <> 0))) AS a, count(z), max(c.created_at) FROM m WHERE NOT (private <> 0) AND ((urgent <> 0)) AND CASE WHEN (c.urgent <> 0) THEN 1 END = 1 ORDER BY id"],
    ["a truth value in arithmetic is a number", "SELECT (c.priority_rank * 10 + (c.waiting_since IS NULL) * 5 + coalesce(a, b)) FROM c", "SELECT (c.priority_rank * 10 + (c.waiting_since IS NULL)::int * 5 + coalesce(a, b)) FROM c"],
    ["a parameter tested for NULL gets a type", "UPDATE c SET n = coalesce(n, ?) WHERE id = ? AND (n IS NULL AND ? IS NOT NULL)", "UPDATE c SET n = coalesce(n, $1) WHERE id = $2 AND (n IS NULL AND $3::text IS NOT NULL)"],
    ["a sum of comparisons counts the true ones", "SELECT SUM(urgent = 1) AS u, SUM(w IS NOT NULL), sum(n), SUM(CASE WHEN a = 1 THEN 2 END) FROM c", "SELECT SUM((urgent = 1)::int) AS u, SUM((w IS NOT NULL)::int), sum(n), SUM(CASE WHEN a = 1 THEN 2 END) FROM c"],
    ["NOCASE compares lower case", "SELECT * FROM macros ORDER BY name COLLATE NOCASE, m.title COLLATE NOCASE DESC, id", "SELECT * FROM macros ORDER BY lower(name), lower(m.title) DESC, id"],
    ["a camelCase alias keeps its case", "SELECT u.phone_user_id AS phoneUserId, u.id AS id, count(*) as nOpen FROM users u", `SELECT u.phone_user_id AS "phoneUserId", u.id AS id, count(*) AS "nOpen" FROM users u`],
    ["comments and line breaks fold to spaces", "SELECT a -- why\n  FROM t /* note */ WHERE b = ?", "SELECT a FROM t WHERE b = $1"],
  ])("%s", (_why, sqlite, postgres) => {
    expect(pg(sqlite)).toBe(postgres);
  });

  test("an INSERT into a table with an id returns it, for lastInsertRowid", () => {
    expect(translate("INSERT INTO messages (text) VALUES (?)", catalog)).toEqual({ text: `INSERT INTO messages (text) VALUES ($1) RETURNING "id"`, returnsId: true });
    expect(translate("INSERT INTO channel_state (channel_id, key) VALUES (?, ?)", catalog).returnsId).toBe(false);
  });

  test("what PostgreSQL cannot be told is refused by name, not sent wrong", () => {
    expect(() => pg("INSERT OR ROLLBACK INTO t (a) VALUES (1)")).toThrow("INSERT OR ROLLBACK");
    expect(() => pg("INSERT OR REPLACE INTO nokey (a) VALUES (1)")).toThrow("no primary key");
    expect(() => pg("SELECT * FROM t WHERE a = :name")).toThrow("named parameters");
    expect(() => pg("SELECT 'open")).toThrow("unterminated");
  });
});
