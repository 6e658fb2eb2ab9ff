// Stories of Pano's schema on PostgreSQL (store/postgres/schema.ts and migrate.ts): made from the
// one schema source (drizzle's snapshot), applied once however many instances start together,
// holding every table, column, key and index SQLite has, with the report roll-ups' triggers
// marking conversations on the same events, and growing by itself with the next snapshot.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Glob } from "bun";
import { generateSQLiteDrizzleJson } from "drizzle-kit/api";
import postgres from "postgres";
import { PostgresDatabase } from "../src/store/postgres/connection.ts";
import { applyPostgresMigrations, MIGRATION_LOCK, POSTGRES_STEPS, type PostgresStep } from "../src/store/postgres/migrate.ts";
import { postgresOptions } from "../src/store/postgres/options.ts";
import { schemaChanges, type Snapshot } from "../src/store/postgres/schema.ts";
import { startPostgres, type PostgresCluster } from "./support/postgres.ts";
import { BUN, ROOT, eventually } from "./support/pano.ts";

/** The schema as PostgreSQL's last step leaves it: what the next snapshot grows from. */
const NEWEST = POSTGRES_STEPS.filter((s) => s.snapshot).at(-1)!.snapshot!.schema;
const TYPES: Record<string, string> = { integer: "bigint", text: "text", blob: "bytea", real: "double precision" };
const TAGS = POSTGRES_STEPS.map((s) => s.tag);
/** Tables PostgreSQL has beside the snapshot's: the migrations' own record, and those of the hand-written files. */
const BESIDE_SNAPSHOT = [
  "pano_migrations",
  ...POSTGRES_STEPS.flatMap((s) => s.sql ?? []).flatMap((file) => [...file.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?"?(\w+)"?/gi)].map((m) => m[1])),
];

let cluster: PostgresCluster;
const open: PostgresDatabase[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  for (const db of open) db.close();
  await cluster?.stop();
});

/** A new, empty database, opened as Pano opens PANO_DATABASE_URL. */
async function freshDatabase(): Promise<{ url: string; db: PostgresDatabase }> {
  const url = await cluster.createDatabase();
  const db = new PostgresDatabase(url);
  open.push(db);
  return { url, db };
}

describe("a new PostgreSQL database", () => {
  let db: PostgresDatabase;
  beforeAll(async () => {
    ({ db } = await freshDatabase());
  });

  test("gets the whole schema on first start, and nothing more on the next", () => {
    expect(TAGS[0]).toBe("pg-base-0025");
    expect(applyPostgresMigrations(db)).toEqual(TAGS);
    expect(applyPostgresMigrations(db)).toEqual([]);
    expect(db.native<{ tag: string }>("SELECT tag FROM pano_migrations").map((r) => r.tag).sort()).toEqual([...TAGS].sort());
    // The seed rows SQLite's migrations insert.
    expect(db.native("SELECT v FROM report_page_version WHERE id = 1")).toEqual([{ v: 0 }]);
    expect(String(db.native("SELECT key FROM csat_link_key WHERE id = 1")[0]?.key)).toMatch(/^[0-9a-f]{64}$/);
    expect(db.native("SELECT what FROM search_backfill")).toEqual([]);
  });

  test("has every table and column of the snapshot, typed, keyed and defaulted as SQLite has them", () => {
    const columns = db.native<{ table_name: string; column_name: string; data_type: string; collation_name: string | null; is_nullable: string; column_default: string | null; is_identity: string }>(
      "SELECT table_name, column_name, data_type, collation_name, is_nullable, column_default, is_identity FROM information_schema.columns WHERE table_schema = 'public'",
    );
    const tables = [...new Set(columns.map((c) => c.table_name))].sort();
    expect(tables).toEqual([...Object.keys(NEWEST.tables), ...BESIDE_SNAPSHOT].sort());
    for (const t of Object.values(NEWEST.tables)) {
      const single = Object.values(t.columns).filter((c) => c.primaryKey).length === 1;
      const expected = Object.values(t.columns).map((c) => ({
        column: c.name,
        type: TYPES[c.type],
        // Text sorts by bytes, as in SQLite, whatever the database's locale.
        collation: c.type === "text" ? "C" : null,
        notNull: c.notNull || c.primaryKey,
        // Single integer keys are assigned when an insert leaves them out, as SQLite's rowid is.
        identity: single && c.primaryKey && c.type === "integer",
        default: c.default === undefined ? null : String(c.default),
      }));
      const actual = columns.filter((c) => c.table_name === t.name).map((c) => ({
        column: c.column_name,
        type: c.data_type,
        collation: c.collation_name,
        notNull: c.is_nullable === "NO",
        identity: c.is_identity === "YES",
        default: c.column_default?.replace(/::text$/, "") ?? null,
      }));
      expect({ table: t.name, columns: sortBy(actual, "column") }).toEqual({ table: t.name, columns: sortBy(expected, "column") });
    }
  });

  test("has every index, primary key and foreign key of the snapshot", () => {
    const indexes = db.native<{ name: string; table: string; unique: number; partial: number; columns: string; primary: number }>(`
      SELECT i.relname AS name, t.relname AS table, x.indisunique AS unique, (x.indpred IS NOT NULL) AS partial, x.indisprimary AS primary,
        (SELECT string_agg(coalesce(a.attname, '(expression)'), ',' ORDER BY k.n) FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
           LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum) AS columns
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_namespace ns ON ns.oid = t.relnamespace WHERE ns.nspname = 'public'`);
    const byName = new Map(indexes.map((i) => [i.name, i]));
    for (const t of Object.values(NEWEST.tables)) {
      const expressions = NEWEST.internal?.indexes ?? {};
      for (const i of Object.values(t.indexes)) {
        const cols = i.columns.map((c) => (expressions[i.name]?.columns[c]?.isExpression ? "(expression)" : c)).join(",");
        expect({ name: i.name, ...pick(byName.get(i.name)) }).toEqual({ name: i.name, table: t.name, unique: i.isUnique ? 1 : 0, partial: i.where ? 1 : 0, columns: cols });
      }
      const primary = indexes.find((i) => i.table === t.name && i.primary);
      const keyColumns = Object.values(t.compositePrimaryKeys)[0]?.columns ?? Object.values(t.columns).filter((c) => c.primaryKey).map((c) => c.name);
      expect({ table: t.name, key: primary?.columns ?? null }).toEqual({ table: t.name, key: keyColumns.join(",") });
    }
    const fks = db.native<{ name: string; table: string; columns: string; target: string; on_delete: string }>(`
      SELECT c.conname AS name, t.relname AS table, f.relname AS target,
        (SELECT string_agg(a.attname, ',') FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k) AS columns,
        CASE c.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'r' THEN 'restrict' WHEN 'd' THEN 'set default' ELSE 'no action' END AS on_delete
      FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class f ON f.oid = c.confrelid WHERE c.contype = 'f'`)
      .filter((fk) => NEWEST.tables[fk.table]);
    const expected = Object.values(NEWEST.tables).flatMap((t) =>
      Object.values(t.foreignKeys).map((fk) => ({ name: fk.name, table: t.name, columns: fk.columnsFrom.join(","), target: fk.tableTo, on_delete: fk.onDelete ?? "no action" })),
    );
    expect(sortBy(fks, "name")).toEqual(sortBy(expected, "name"));
  });
});

describe("report roll-ups on PostgreSQL", () => {
  let db: PostgresDatabase;
  let conversation = 0;
  let other = 0;
  let message = 0;
  const dirty = () => db.native<{ conversation_id: number }>("SELECT conversation_id FROM report_dirty ORDER BY 1").map((r) => r.conversation_id);
  const clean = () => db.native("DELETE FROM report_dirty");

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    applyPostgresMigrations(db);
    const now = Date.now();
    const [{ id: channel }] = db.native<{ id: number }>("INSERT INTO channels (type, name, config_enc, created_at) VALUES ('zalo', 'Zalo OA Hoa Mai', '', $1) RETURNING id", [now]);
    const [{ id: contact }] = db.native<{ id: number }>("INSERT INTO contacts (name, created_at, updated_at) VALUES ('Chị Lan', $1, $1) RETURNING id", [now]);
    const newConversation = () =>
      db.native<{ id: number }>("INSERT INTO conversations (channel_id, contact_id, last_message_at, created_at, updated_at) VALUES ($1, $2, $3, $3, $3) RETURNING id", [channel, contact, now])[0].id;
    conversation = newConversation();
    other = newConversation();
    message = db.native<{ id: number }>(
      "INSERT INTO messages (conversation_id, channel_id, direction, author_type, status, text, created_at) VALUES ($1, $2, 'out', 'agent', 'sent', 'Dạ shop chào chị', $3) RETURNING id",
      [conversation, channel, now],
    )[0].id;
  });

  test("a new conversation is marked for the reports", () => {
    expect(dirty()).toEqual([conversation, other]);
  });

  test("a conversation's report fields mark it, its other fields do not", () => {
    clean();
    db.native("UPDATE conversations SET last_preview = 'Dạ shop chào chị', unread_count = 3 WHERE id = $1", [conversation]);
    expect(dirty()).toEqual([]);
    db.native("UPDATE conversations SET status = 'resolved' WHERE id = $1", [conversation]);
    expect(dirty()).toEqual([conversation]);
  });

  test("a message change the reports count marks its conversation; a delivery receipt or a named but unchanged field does not", () => {
    clean();
    db.native("UPDATE messages SET status = 'delivered', text = 'Dạ shop chào chị ạ' WHERE id = $1", [message]);
    db.native("UPDATE messages SET meta = meta, private = private WHERE id = $1", [message]);
    expect(dirty()).toEqual([]);
    db.native("UPDATE messages SET status = 'failed' WHERE id = $1", [message]);
    expect(dirty()).toEqual([conversation]);
  });

  test("a message moved to another conversation marks both", () => {
    clean();
    db.native("UPDATE messages SET conversation_id = $2 WHERE id = $1", [message, other]);
    expect(dirty()).toEqual([conversation, other]);
  });

  test("a resolution in the audit log marks its conversation; other audit rows do not", () => {
    clean();
    db.native("INSERT INTO audit_log (actor_type, action, conversation_id, created_at) VALUES ('user', 'conversation.assign', $1, $2)", [conversation, Date.now()]);
    db.native("INSERT INTO audit_log (actor_type, action, created_at) VALUES ('user', 'conversation.status', $1)", [Date.now()]);
    expect(dirty()).toEqual([]);
    db.native("INSERT INTO audit_log (actor_type, action, conversation_id, created_at) VALUES ('user', 'conversation.status', $1, $2)", [conversation, Date.now()]);
    expect(dirty()).toEqual([conversation]);
  });

  test("a deleted customer message marks its conversation, a deleted private note does not, a deleted conversation marks itself", () => {
    clean();
    db.native("UPDATE messages SET private = 1 WHERE id = $1", [message]);
    clean();
    db.native("DELETE FROM messages WHERE id = $1", [message]);
    expect(dirty()).toEqual([]);
    const [{ id }] = db.native<{ id: number }>("INSERT INTO messages (conversation_id, channel_id, direction, author_type, status, created_at) SELECT $1, channel_id, 'in', 'contact', 'received', 1 FROM conversations WHERE id = $1 RETURNING id", [other]);
    clean();
    db.native("DELETE FROM messages WHERE id = $1", [id]);
    expect(dirty()).toEqual([other]);
    clean();
    db.native("DELETE FROM conversations WHERE id = $1", [conversation]);
    expect(dirty()).toEqual([conversation]);
  });
});

test("two instances starting together on a new database migrate it once", async () => {
  const { url, db } = await freshDatabase();
  // The test holds the migration lock, so both instances are sure to be starting at the same time.
  const holder = postgres({ ...postgresOptions(url), max: 1, onnotice: () => {} });
  const { promise: released, resolve: release } = Promise.withResolvers<void>();
  const held = holder.begin(async (tx) => {
    await tx.unsafe(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await released;
  });
  const instance = () =>
    Bun.spawn([BUN, "-e", `
      import { PostgresDatabase } from ${JSON.stringify(join(ROOT, "src/store/postgres/connection.ts"))};
      import { applyPostgresMigrations } from ${JSON.stringify(join(ROOT, "src/store/postgres/migrate.ts"))};
      const db = new PostgresDatabase(${JSON.stringify(url)});
      console.log(JSON.stringify(applyPostgresMigrations(db)));
      db.close();
    `], { stdout: "pipe", stderr: "pipe" });
  const [a, b] = [instance(), instance()];
  try {
    await eventually(
      () => db.native("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")[0].n === 2,
      60_000,
      "both instances waiting for the migration lock",
    );
  } finally {
    release();
    await held;
    await holder.end();
  }
  const outcome = async (p: typeof a) => {
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    if (code !== 0) throw new Error(`an instance failed to migrate (exit ${code}):\n${err}`);
    return JSON.parse(out.trim()) as string[];
  };
  const results = await Promise.all([outcome(a), outcome(b)]);
  expect(results.sort((x, y) => y.length - x.length)).toEqual([TAGS, []]);
  expect(db.native("SELECT count(*)::int AS n FROM pano_migrations")).toEqual([{ n: TAGS.length }]);
});

describe("the next drizzle snapshot", () => {
  /** The newest snapshot with a table, a column and an index more: what `drizzle-kit generate` writes for an added feature. */
  const grown = (): Snapshot => {
    const s = structuredClone(NEWEST);
    s.tables.conversations.columns.sla_paused_at = { name: "sla_paused_at", type: "integer", primaryKey: false, notNull: false, autoincrement: false };
    s.tables.conversations.indexes.conversations_sla_paused = { name: "conversations_sla_paused", columns: ["sla_paused_at"], isUnique: false };
    s.tables.shop_hours = {
      name: "shop_hours",
      columns: {
        id: { name: "id", type: "integer", primaryKey: true, notNull: true, autoincrement: true },
        team_id: { name: "team_id", type: "integer", primaryKey: false, notNull: true, autoincrement: false },
        opens: { name: "opens", type: "text", primaryKey: false, notNull: true, autoincrement: false, default: "'08:00'" },
      },
      indexes: {},
      foreignKeys: { shop_hours_team_id_teams_id_fk: { name: "shop_hours_team_id_teams_id_fk", tableFrom: "shop_hours", tableTo: "teams", columnsFrom: ["team_id"], columnsTo: ["id"], onDelete: "cascade", onUpdate: "no action" } },
      compositePrimaryKeys: {},
      uniqueConstraints: {},
      checkConstraints: {},
    };
    return s;
  };
  const next = (schema: Snapshot): PostgresStep[] => [...POSTGRES_STEPS, { tag: "pg-0028", snapshot: { name: "0028_snapshot.json", schema } }];

  test("adds its tables, columns, foreign keys and indexes by itself", async () => {
    const { db } = await freshDatabase();
    applyPostgresMigrations(db);
    expect(applyPostgresMigrations(db, next(grown()))).toEqual(["pg-0028"]);
    db.native("INSERT INTO teams (name, created_at) VALUES ('Kho Hà Nội', 1)");
    const [{ id: team }] = db.native<{ id: number }>("SELECT id FROM teams");
    expect(db.native("INSERT INTO shop_hours (team_id) VALUES ($1) RETURNING id, opens", [team])).toEqual([{ id: 1, opens: "08:00" }]);
    db.native("DELETE FROM teams WHERE id = $1", [team]);
    expect(db.native("SELECT count(*)::int AS n FROM shop_hours")).toEqual([{ n: 0 }]);
    expect(db.native("SELECT indexname FROM pg_indexes WHERE indexname = 'conversations_sla_paused'")).toHaveLength(1);
    expect(db.native("SELECT 1 FROM information_schema.columns WHERE table_name = 'conversations' AND column_name = 'sla_paused_at'")).toHaveLength(1);
  });

  test("refuses a dropped or retyped column, naming the migration, and changes nothing", async () => {
    const { db } = await freshDatabase();
    applyPostgresMigrations(db);
    const dropped = structuredClone(NEWEST);
    delete dropped.tables.conversations.columns.intent;
    expect(() => applyPostgresMigrations(db, next(dropped))).toThrow(/pg-0028 \(migrations\/meta\/0028_snapshot\.json\): column conversations\.intent is dropped.*by hand in migrations\/postgres\//);
    const retyped = structuredClone(NEWEST);
    retyped.tables.messages.columns.created_at.type = "real";
    expect(() => schemaChanges(NEWEST, retyped, "pg-0028")).toThrow(/column messages\.created_at changes from "created_at" bigint NOT NULL to "created_at" double precision NOT NULL/);
    // The failed step rolled back whole: an added column alongside the drop is not there either.
    const both = grown();
    delete both.tables.conversations.columns.intent;
    expect(() => applyPostgresMigrations(db, next(both))).toThrow(/pg-0028/);
    expect(db.native("SELECT 1 FROM pano_migrations WHERE tag = 'pg-0028'")).toEqual([]);
    expect(db.native("SELECT to_regclass('shop_hours') AS t")).toEqual([{ t: null }]);
  });
});

test("the newest snapshot is the drizzle schema as it stands, and PostgreSQL's last step applies it", async () => {
  // A table or column added to src/store/schema*.ts without a new snapshot would be missing on PostgreSQL.
  const imports: Record<string, unknown> = {};
  for (const f of new Glob("src/store/schema*.ts").scanSync(ROOT)) Object.assign(imports, await import(join(ROOT, f)));
  const now = await generateSQLiteDrizzleJson(imports);
  const newest = readdirSync(join(ROOT, "migrations/meta")).filter((f) => /^\d+_snapshot\.json$/.test(f)).sort().at(-1);
  const last = POSTGRES_STEPS.filter((s) => s.snapshot).at(-1)!.snapshot!;
  expect(last.name).toBe(newest!);
  expect({ tables: now.tables, internal: now.internal }).toEqual({ tables: last.schema.tables, internal: last.schema.internal } as never);
});

function sortBy<T>(rows: T[], key: keyof T): T[] {
  return [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
}

function pick(i: { table: string; unique: number; partial: number; columns: string } | undefined) {
  return i ? { table: i.table, unique: i.unique, partial: i.partial, columns: i.columns } : { missing: true };
}
