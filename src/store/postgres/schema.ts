// PostgreSQL's tables and indexes, from the one schema source: the drizzle schema (src/store/schema*.ts)
// as drizzle-kit captured it in migrations/meta/NNNN_snapshot.json. What a snapshot cannot hold
// (triggers, seed rows, SQLite's functions) is hand-written in migrations/postgres/.
//
// Types: integer -> bigint (times are epoch milliseconds, beyond 32 bits), text -> text in the C
// collation (SQLite's order); a single-column integer
// primary key -> an identity column, since SQLite gives both INTEGER PRIMARY KEY and AUTOINCREMENT
// columns a new rowid when an insert leaves them out.

export interface SnapshotColumn {
  name: string;
  type: string;
  primaryKey: boolean;
  notNull: boolean;
  autoincrement?: boolean;
  default?: string | number | boolean;
}
export interface SnapshotIndex {
  name: string;
  columns: string[];
  isUnique: boolean;
  where?: string;
}
export interface SnapshotForeignKey {
  name: string;
  tableFrom: string;
  tableTo: string;
  columnsFrom: string[];
  columnsTo: string[];
  onDelete?: string;
  onUpdate?: string;
}
export interface SnapshotTable {
  name: string;
  columns: Record<string, SnapshotColumn>;
  indexes: Record<string, SnapshotIndex>;
  foreignKeys: Record<string, SnapshotForeignKey>;
  compositePrimaryKeys: Record<string, { name?: string; columns: string[] }>;
  uniqueConstraints: Record<string, { name: string; columns: string[] }>;
  checkConstraints: Record<string, { name: string; value: string }>;
}
export interface Snapshot {
  id: string;
  tables: Record<string, SnapshotTable>;
  /** Which index "columns" are expressions rather than column names. */
  internal?: { indexes?: Record<string, { columns: Record<string, { isExpression?: boolean }> }> };
}

// Text compares byte by byte, as SQLite's BINARY collation does, whatever locale the database was
// made with (a managed service's is often en_US): an ORDER BY or a keyset page over text then
// agrees with SQLite and with JavaScript's own string order.
const TYPES: Record<string, string> = { integer: "bigint", text: 'text COLLATE "C"', blob: "bytea", real: "double precision", numeric: "numeric" };

/** A double-quoted identifier: PostgreSQL keeps its case and never reads it as a keyword. */
export const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const list = (names: string[]) => names.map(quote).join(", ");

/** The whole schema of a snapshot: tables, then indexes, then foreign keys (so table order never matters). */
export function schemaStatements(s: Snapshot): string[] {
  const tables = Object.values(s.tables);
  return [
    ...tables.map(createTable),
    ...tables.flatMap((t) => Object.values(t.indexes).map((i) => createIndex(s, t.name, i))),
    ...tables.flatMap((t) => Object.values(t.foreignKeys).map(addForeignKey)),
  ];
}

/**
 * What turns the schema of `from` into that of `to` when it only grows: new tables, new columns,
 * new foreign keys, new, dropped or redefined indexes. Anything else (a dropped table or column,
 * a column retyped or made NOT NULL, a changed key) cannot be guessed: it throws, naming the
 * migration, so that a hand-written PostgreSQL migration takes its place.
 */
export function schemaChanges(from: Snapshot, to: Snapshot, migration: string): string[] {
  const refuse = (what: string): never => {
    throw new Error(
      `PostgreSQL migration ${migration}: ${what}. Only added tables, columns, foreign keys and indexes follow from the ` +
        `drizzle snapshot by themselves; write this one by hand in migrations/postgres/ (see src/store/postgres/migrate.ts).`,
    );
  };
  const out: string[] = [];
  const indexes = (s: Snapshot) => new Map(Object.values(s.tables).flatMap((t) => Object.values(t.indexes).map((i) => [i.name, createIndex(s, t.name, i)] as const)));
  const before = indexes(from);
  const after = indexes(to);
  for (const [name, sql] of before) if (after.get(name) !== sql) out.push(`DROP INDEX ${quote(name)}`);

  for (const t of Object.values(from.tables)) if (!to.tables[t.name]) refuse(`table ${t.name} is dropped`);
  for (const t of Object.values(to.tables)) {
    const old = from.tables[t.name];
    if (!old) {
      out.push(createTable(t));
      continue;
    }
    for (const c of Object.values(old.columns)) {
      const now = t.columns[c.name];
      if (!now) refuse(`column ${t.name}.${c.name} is dropped`);
      else if (columnSql(t, now) !== columnSql(old, c)) refuse(`column ${t.name}.${c.name} changes from ${columnSql(old, c)} to ${columnSql(t, now)}`);
    }
    for (const c of Object.values(t.columns)) {
      if (old.columns[c.name]) continue;
      if (c.primaryKey) refuse(`column ${t.name}.${c.name} is added as a primary key`);
      if (c.notNull && c.default === undefined) refuse(`column ${t.name}.${c.name} is added NOT NULL without a default`);
      out.push(`ALTER TABLE ${quote(t.name)} ADD COLUMN ${columnSql(t, c)}`);
    }
    const same = (what: string, a: object, b: object) => JSON.stringify(a) === JSON.stringify(b) || refuse(`the ${what} of table ${t.name} change`);
    same("composite primary keys", old.compositePrimaryKeys, t.compositePrimaryKeys);
    same("unique constraints", old.uniqueConstraints, t.uniqueConstraints);
    same("check constraints", old.checkConstraints, t.checkConstraints);
    for (const fk of Object.values(old.foreignKeys)) same(`foreign key ${fk.name}`, fk, t.foreignKeys[fk.name] ?? {});
  }
  for (const t of Object.values(to.tables))
    for (const fk of Object.values(t.foreignKeys)) if (!from.tables[t.name]?.foreignKeys[fk.name]) out.push(addForeignKey(fk));
  for (const [name, sql] of after) if (before.get(name) !== sql) out.push(sql);
  return out;
}

function createTable(t: SnapshotTable): string {
  const parts = Object.values(t.columns).map((c) => columnSql(t, c));
  for (const pk of Object.values(t.compositePrimaryKeys)) parts.push(`${pk.name ? `CONSTRAINT ${quote(pk.name)} ` : ""}PRIMARY KEY (${list(pk.columns)})`);
  for (const u of Object.values(t.uniqueConstraints)) parts.push(`CONSTRAINT ${quote(u.name)} UNIQUE (${list(u.columns)})`);
  for (const c of Object.values(t.checkConstraints)) parts.push(`CONSTRAINT ${quote(c.name)} CHECK (${expression(c.value)})`);
  return `CREATE TABLE ${quote(t.name)} (\n  ${parts.join(",\n  ")}\n)`;
}

function columnSql(t: SnapshotTable, c: SnapshotColumn): string {
  const type = TYPES[c.type.toLowerCase()];
  if (!type) throw new Error(`column ${t.name}.${c.name}: no PostgreSQL type for SQLite's ${c.type}`);
  const pkColumns = Object.values(t.columns).filter((x) => x.primaryKey);
  if (c.primaryKey && pkColumns.length === 1 && type === "bigint") return `${quote(c.name)} bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY`;
  let sql = `${quote(c.name)} ${type}`;
  if (c.primaryKey) sql += " PRIMARY KEY";
  else if (c.notNull) sql += " NOT NULL";
  if (c.default !== undefined) sql += ` DEFAULT ${defaultValue(t, c)}`;
  return sql;
}

/** drizzle-kit writes a default as a number, a boolean, or SQL text: a quoted string or an expression. */
function defaultValue(t: SnapshotTable, c: SnapshotColumn): string {
  const d = c.default;
  if (typeof d === "number") return String(d);
  if (typeof d === "boolean") return d ? "1" : "0"; // SQLite keeps booleans as integers
  if (d === undefined) return "NULL";
  const v = d.trim();
  if (/^-?\d+(\.\d+)?$/.test(v) || /^null$/i.test(v)) return v;
  if (/^'(?:[^']|'')*'$/.test(v) && c.type.toLowerCase() !== "blob") return v;
  // Expressions SQLite evaluates at insert time (unixepoch(), CURRENT_TIMESTAMP, ...) need their
  // PostgreSQL spelling chosen by hand: none is in the schema yet.
  throw new Error(`column ${t.name}.${c.name}: no PostgreSQL default for SQLite's ${v}`);
}

function createIndex(s: Snapshot, table: string, i: SnapshotIndex): string {
  const exprs = s.internal?.indexes?.[i.name]?.columns ?? {};
  const cols = i.columns.map((c) => (exprs[c]?.isExpression || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(c) ? expression(c) : quote(c)));
  return `CREATE ${i.isUnique ? "UNIQUE " : ""}INDEX ${quote(i.name)} ON ${quote(table)} (${cols.join(", ")})${i.where ? ` WHERE ${expression(i.where)}` : ""}`;
}

function addForeignKey(fk: SnapshotForeignKey): string {
  const action = (a: string | undefined) => (a ?? "no action").toUpperCase();
  return `ALTER TABLE ${quote(fk.tableFrom)} ADD CONSTRAINT ${quote(fk.name)} FOREIGN KEY (${list(fk.columnsFrom)}) ` +
    `REFERENCES ${quote(fk.tableTo)} (${list(fk.columnsTo)}) ON DELETE ${action(fk.onDelete)} ON UPDATE ${action(fk.onUpdate)}`;
}

/**
 * An SQLite expression from an index, a partial index's WHERE or a CHECK, in PostgreSQL's words.
 * SQLite's truth values are integers, PostgreSQL's are not: a comparison used in arithmetic,
 * `(waiting_since IS NULL) * 50000000000000` (the inbox's queue key), becomes `(...)::int`.
 * The store's query spelling the same key must read the same for PostgreSQL to use the index.
 */
export function expression(sqlite: string): string {
  return sqlite
    .replace(/`([^`]+)`/g, (_, name: string) => quote(name))
    .replace(/\(([A-Za-z_."]+ IS (?:NOT )?NULL)\)(\s*\*)/gi, "(($1)::int)$2");
}
