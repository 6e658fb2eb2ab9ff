// SQLite's SQL as the store writes it, said in PostgreSQL's. The store keeps one statement per
// query wherever the two dialects can share it; this covers what differs only in spelling:
// placeholders, identifier quotes, INSERT OR IGNORE / OR REPLACE, scalar MAX/MIN, IS between
// values, LIKE's case rule, blob literals, BEGIN IMMEDIATE, and an INSERT's new id. Functions
// SQLite has and PostgreSQL lacks (json_set, iif, ...) are defined in PostgreSQL instead
// (migrations/postgres/0000_sqlite_functions.sql). What cannot be said the same way is written
// twice in the store module, side by side (isPostgres in connection.ts).

export interface Catalog {
  /** The primary key's columns, for INSERT OR REPLACE. */
  primaryKey(table: string): string[];
  /** Whether the table has an `id` column, for an INSERT's lastInsertRowid. */
  hasId(table: string): boolean;
}

export interface Translated {
  text: string;
  /** An INSERT given RETURNING "id" by the translation: its first row is lastInsertRowid. */
  returnsId: boolean;
}

type Kind = "word" | "ident" | "string" | "param" | "num" | "punct" | "space";
interface Token {
  kind: Kind;
  text: string;
}

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;
const NUM = /[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
const SPACE = /(\s+|--[^\n]*|\/\*[\s\S]*?\*\/)+/y;
const PARAM = /[?]([0-9]*)|[:@$][A-Za-z_][A-Za-z0-9_]*/y;

function sticky(re: RegExp, s: string, at: number): string | null {
  re.lastIndex = at;
  const m = re.exec(s);
  return m ? m[0] : null;
}

function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    let m: string | null;
    if ((m = sticky(SPACE, sql, i))) out.push({ kind: "space", text: " " });
    else if (c === "'" || c === '"' || c === "`") {
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new Error(`unterminated ${c} in SQL: ${sql.slice(0, 80)}`);
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      m = sql.slice(i, j + 1);
      out.push(c === "'" ? { kind: "string", text: m } : { kind: "ident", text: `"${m.slice(1, -1).replaceAll(c + c, c).replaceAll('"', '""')}"` });
    } else if ((m = sticky(WORD, sql, i))) out.push({ kind: "word", text: m });
    else if ((m = sticky(NUM, sql, i))) out.push({ kind: "num", text: m });
    else if ((m = sticky(PARAM, sql, i))) out.push({ kind: "param", text: m });
    else out.push({ kind: "punct", text: (m = sql.startsWith("||", i) || sql.startsWith("!=", i) || sql.startsWith("<>", i) || sql.startsWith("<=", i) || sql.startsWith(">=", i) || sql.startsWith("==", i) ? sql.slice(i, i + 2) : c) });
    i += m.length;
  }
  return out;
}

const upper = (t: Token | undefined) => (t?.kind === "word" ? t.text.toUpperCase() : "");
const unquote = (t: Token) => (t.kind === "ident" ? t.text.slice(1, -1).replaceAll('""', '"') : t.text);

/** The index of the token after the one closing the parenthesis opened at `open`. */
function closing(ts: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < ts.length; i++) {
    if (ts[i]!.text === "(") depth++;
    else if (ts[i]!.text === ")" && --depth === 0) return i;
  }
  return ts.length - 1;
}

/** How many arguments the call whose "(" is at `open` has (commas at its own depth, plus one). */
function argumentCount(ts: Token[], open: number): number {
  let depth = 0;
  let n = 1;
  for (let i = open; i < ts.length; i++) {
    const t = ts[i]!.text;
    if (t === "(") depth++;
    else if (t === ")") {
      if (--depth === 0) return n;
    } else if (t === "," && depth === 1) n++;
  }
  return n;
}

const prevSolid = (ts: Token[], i: number) => {
  let j = i - 1;
  while (ts[j]?.kind === "space") j--;
  return j;
};

const nextSolid = (ts: Token[], i: number) => {
  let j = i + 1;
  while (ts[j]?.kind === "space") j++;
  return j;
};

export function translate(sql: string, catalog: Catalog): Translated {
  const ts = tokenize(sql);
  let param = 0;
  let conflict: "ignore" | { replace: string; columns: string[] } | null = null;
  let insertInto: string | null = null;
  let returning = false;
  let isInsert = false;
  const out: string[] = [];
  const truthSums = new Set<number>();
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    const w = upper(t);
    if (truthSums.has(i)) {
      out.push(")::int)");
      continue;
    }
    if (w === "SUM" && ts[i + 1]?.text === "(" && comparesAtTop(ts, i + 1)) {
      // SUM(urgent = 1): SQLite counts true comparisons as 1s.
      truthSums.add(closing(ts, i + 1));
      out.push("SUM((");
      i++;
      continue;
    }
    if (t.kind === "param") {
      // ?NNN is SQLite's numbered parameter, $NNN PostgreSQL's; a bare ? takes the next number.
      const n = t.text.length > 1 && t.text[0] === "?" ? Number(t.text.slice(1)) : ++param;
      if (t.text[0] !== "?") throw new Error(`named parameters are not supported on PostgreSQL: ${t.text}`);
      param = Math.max(param, n);
      // `? IS NULL` says nothing of the value's type, which PostgreSQL must know: any will do.
      out.push(upper(ts[nextSolid(ts, i)]) === "IS" ? `$${n}::text` : `$${n}`);
      continue;
    }
    if (w === "INSERT" && out.every((s) => s.trim() === "")) {
      isInsert = true;
      const j = nextSolid(ts, i);
      if (upper(ts[j]) === "OR") {
        const k = nextSolid(ts, j);
        const how = upper(ts[k]);
        if (how === "IGNORE") conflict = "ignore";
        else if (how === "REPLACE") conflict = { replace: "", columns: [] };
        else throw new Error(`INSERT OR ${how} is not supported on PostgreSQL`);
        i = k;
      }
      out.push("INSERT");
      continue;
    }
    if (w === "INTO" && isInsert && insertInto === null) {
      const j = nextSolid(ts, i);
      insertInto = unquote(ts[j]!);
      if (conflict && conflict !== "ignore") {
        const open = nextSolid(ts, j);
        if (ts[open]?.text === "(") {
          for (let k = open + 1; k < closing(ts, open); k++) if (ts[k]!.kind === "word" || ts[k]!.kind === "ident") conflict.columns.push(unquote(ts[k]!));
        }
        conflict.replace = insertInto;
      }
      out.push("INTO");
      continue;
    }
    if (w === "RETURNING") returning = true;
    if (w === "BEGIN") {
      const j = nextSolid(ts, i);
      if (["IMMEDIATE", "DEFERRED", "EXCLUSIVE"].includes(upper(ts[j]))) i = j;
      out.push("BEGIN");
      continue;
    }
    if (w === "COLLATE" && ["NOCASE", "BINARY"].includes(upper(ts[nextSolid(ts, i)]))) {
      // NOCASE: compare lower case (the column before it); BINARY is the C collation text already has.
      if (upper(ts[nextSolid(ts, i)]) === "NOCASE") {
        while (out.length && out[out.length - 1]!.trim() === "") out.pop();
        const operand = [out.pop()!];
        while (out.length >= 2 && out[out.length - 1] === ".") {
          const dot = out.pop()!;
          operand.unshift(out.pop()!, dot);
        }
        out.push(`lower(${operand.join("")})`);
      }
      i = nextSolid(ts, i);
      continue;
    }
    if (w === "AS" && ts[nextSolid(ts, i)]?.kind === "word" && /[A-Z]/.test(ts[nextSolid(ts, i)]!.text)) {
      // PostgreSQL folds an unquoted alias to lower case; SQLite keeps phoneUserId as written.
      const j = nextSolid(ts, i);
      out.push(`AS "${ts[j]!.text}"`);
      i = j;
      continue;
    }
    if (w === "IFNULL") {
      out.push("COALESCE");
      continue;
    }
    if ((w === "MAX" || w === "MIN") && ts[i + 1]?.text === "(" && argumentCount(ts, i + 1) > 1) {
      out.push(w === "MAX" ? "GREATEST" : "LEAST");
      continue;
    }
    if (w === "LIKE") {
      // SQLite's LIKE ignores the case of ASCII letters.
      out.push("ILIKE");
      continue;
    }
    if (w === "IS") {
      const j = nextSolid(ts, i);
      const negated = upper(ts[j]) === "NOT";
      const k = negated ? nextSolid(ts, j) : j;
      const what = upper(ts[k]);
      if (!["NULL", "TRUE", "FALSE", "DISTINCT"].includes(what)) {
        // Between two values SQLite's IS is "equal, counting NULL as a value".
        out.push(negated ? "IS DISTINCT FROM" : "IS NOT DISTINCT FROM");
        i = k - 2; // the space before the value is kept
        continue;
      }
    }
    if ((t.text === "1" || t.text === "0") && t.kind === "num" && isCondition(ts, i, i)) {
      // SQLite's conditions are numbers; a scope that lets everything through is written "1".
      out.push(t.text === "1" ? "TRUE" : "FALSE");
      continue;
    }
    if ((t.kind === "word" || t.kind === "ident") && !KEYWORDS.has(w) && ts[i + 1]?.text !== "(" && (i === 0 || ts[i - 1]?.text !== ".")) {
      // A flag column (urgent, private, automatic: 0 or 1) standing as a condition.
      const end = ts[i + 1]?.text === "." && (ts[i + 2]?.kind === "word" || ts[i + 2]?.kind === "ident") ? i + 2 : i;
      if (isCondition(ts, i, end)) {
        out.push(`(${ts.slice(i, end + 1).map((x) => x.text).join("")} <> 0)`);
        i = end;
        continue;
      }
    }
    if ((w === "X") && ts[i + 1]?.kind === "string") {
      out.push(`'\\x${ts[i + 1]!.text.slice(1, -1)}'::bytea`);
      i++;
      continue;
    }
    if (w === "LIMIT" && ts[nextSolid(ts, i)]?.text === "-") {
      // LIMIT -1 is SQLite's "no limit".
      const j = nextSolid(ts, nextSolid(ts, i));
      if (ts[j]?.text === "1") {
        out.push("LIMIT ALL");
        i = j;
        continue;
      }
    }
    if (t.text === ")" && ts[nextSolid(ts, i)]?.text === "*" && upper(ts[prevSolid(ts, i)]) === "NULL") {
      // (x IS NULL) * n: SQLite's truth values are numbers (the inbox's queue key; the index in
      // schema.ts expression() says it the same way, so PostgreSQL uses it).
      out.push(")::int");
      continue;
    }
    if (w === "JSON_EACH" && ts[i + 1]?.text === "(") {
      out.push(jsonEachIn(ts, i) ? "pano_json_ids" : "pano_json_each");
      continue;
    }
    out.push(t.text);
  }
  let text = out.join("").trim().replace(/;$/, "");
  if (conflict) {
    const clause = conflict === "ignore" ? " ON CONFLICT DO NOTHING" : onConflictReplace(conflict, catalog);
    text = returning ? text.replace(/\sRETURNING\s/i, `${clause} RETURNING `) : text + clause;
  }
  const returnsId = isInsert && !returning && insertInto !== null && catalog.hasId(insertInto);
  if (returnsId) text += ' RETURNING "id"';
  return { text, returnsId };
}

const COMPARISONS = new Set(["=", "==", "<>", "!=", "<", ">", "<=", ">=", "IS", "IN", "LIKE", "NOT", "BETWEEN"]);

/** Whether the call whose "(" is at `open` has a comparison at its own level: SUM(a = 1). */
function comparesAtTop(ts: Token[], open: number): boolean {
  let depth = 0;
  for (let i = open; i < ts.length; i++) {
    const t = ts[i]!;
    if (t.text === "(") depth++;
    else if (t.text === ")") {
      if (--depth === 0) return false;
    } else if (depth === 1 && (upper(t) === "CASE")) return false;
    else if (depth === 1 && COMPARISONS.has(t.kind === "word" ? upper(t) : t.text)) return true;
  }
  return false;
}

const BEFORE_CONDITION = new Set(["WHERE", "AND", "OR", "NOT", "ON", "HAVING", "WHEN"]);
const AFTER_CONDITION = new Set(["AND", "OR", ")", "ORDER", "GROUP", "LIMIT", "THEN", "HAVING", ""]);

const KEYWORDS = new Set(["NULL", "TRUE", "FALSE", "NOT", "EXISTS", "CASE", "END", "ELSE", "THEN", "WHEN", "SELECT", "DISTINCT", "ALL", "AND", "OR", "WHERE", "ON", "HAVING", "FROM", "AS", "ASC", "DESC", "CURRENT_TIMESTAMP"]);

/** A value standing alone as a condition (tokens from..to): `WHERE 1 AND ...`, `(urgent OR x = 1)`, `NOT private`. */
function isCondition(ts: Token[], from: number, to: number): boolean {
  const b = prevSolid(ts, from);
  const before = ts[b]?.text.toUpperCase() ?? "";
  const after = ts[nextSolid(ts, to)]?.text.toUpperCase() ?? "";
  if (!AFTER_CONDITION.has(after)) return false;
  if (before === "NOT" && upper(ts[prevSolid(ts, b)]) === "IS") return false;
  if (BEFORE_CONDITION.has(before)) return after !== "" || before !== "";
  return before === "(" && (after === "AND" || after === "OR" || (after === ")" && isConditionParen(ts, b)));
}

/** "(1)" after WHERE/AND/OR: a condition in parentheses, not a value list. */
function isConditionParen(ts: Token[], open: number): boolean {
  return BEFORE_CONDITION.has(ts[prevSolid(ts, open)]?.text.toUpperCase() ?? "");
}

/** `IN (SELECT value FROM json_each(?))`: a list of ids, compared with an integer column. */
function jsonEachIn(ts: Token[], at: number): boolean {
  const before = ts.slice(Math.max(0, at - 12), at).filter((t) => t.kind !== "space").map((t) => t.text.toUpperCase());
  return before.slice(-5).join(" ") === "IN ( SELECT VALUE FROM";
}

function onConflictReplace(c: { replace: string; columns: string[] }, catalog: Catalog): string {
  const key = catalog.primaryKey(c.replace);
  if (!key.length) throw new Error(`INSERT OR REPLACE INTO ${c.replace}: the table has no primary key on PostgreSQL`);
  const set = c.columns.filter((col) => !key.includes(col));
  const target = key.map((k) => `"${k}"`).join(", ");
  return set.length ? ` ON CONFLICT (${target}) DO UPDATE SET ${set.map((col) => `"${col}" = EXCLUDED."${col}"`).join(", ")}` : ` ON CONFLICT (${target}) DO NOTHING`;
}
