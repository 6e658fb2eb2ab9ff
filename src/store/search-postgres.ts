// Full-text queries on PostgreSQL (migrations/postgres/0100_search.sql): the same terms as
// SQLite's FTS5 MATCH (domain/search.ts parseQuery), said as a tsquery over the 'simple'
// configuration. A phrase is its words joined by <-> (next to each other, in order); a prefix term
// ends in :*; terms are joined by &, a phone number and its typed form by |. Words are cut by the
// same class of letters and digits as the indexed text (pano_search_words in the migration).
import type { Database } from "bun:sqlite";
import type { Term } from "../domain/search.ts";

/**
 * The letters and digits of pano_search_words (0100_search.sql), in JavaScript's spelling:
 * change both together (tests/postgres-search.test.ts checks that they cut text alike).
 */
export const WORD_CLASS =
  "0-9A-Za-z\\u00aa\\u00b5\\u00ba\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u167f\\u1681-\\u1fff\\u2c00-\\u2dff\\u3005-\\u3007\\u3040-\\u30ff\\u3100-\\u31ff" +
  "\\u3400-\\u4dbf\\u4e00-\\u9fff\\ua000-\\ud7ff\\uf900-\\ufdff\\ufe70-\\ufefe\\uff10-\\uff19\\uff21-\\uff3a\\uff41-\\uff5a\\uff66-\\uffdc\\u{20000}-\\u{3ffff}";
const WORD = new RegExp(`[${WORD_CLASS}]+`, "gu");

/** The words of a text as PostgreSQL's index holds them (before its parser, which both sides share). */
export function postgresWords(text: string): string[] {
  return text.match(WORD) ?? [];
}

/**
 * to_tsquery('simple', …) text for the terms, or null when no term has a word PostgreSQL indexes
 * (then nothing matches). Each word is quoted, so nothing typed is read as tsquery syntax.
 */
export function tsqueryText(terms: Term[]): string | null {
  const one = (t: Term): string | null => {
    const words = t.words.flatMap(postgresWords);
    if (!words.length) return null;
    const phrase = words.map((w) => `'${w}'`).join(" <-> ") + (t.prefix ? ":*" : "");
    return words.length > 1 ? `(${phrase})` : phrase;
  };
  const parts = terms
    .map((t) => {
      const alts = [one(t), t.or ? one(t.or) : null].filter((s): s is string => s !== null);
      return alts.length > 1 ? `(${alts.join(" | ")})` : (alts[0] ?? null);
    })
    .filter((s): s is string => s !== null);
  return parts.length ? parts.join(" & ") : null;
}

/** A tsquery built once per statement (FROM …, q), matched and ranked against the words column. */
export const TSQUERY_SQL = "to_tsquery('simple', ?)";

/**
 * The ids of the messages a query matches (below `before`, when paging), when there are fewer
 * than `enough`; null when there are more. PostgreSQL's planner picks between walking messages
 * newest first (stopping after a page, as FTS5 walks its rowids) and reading the matches from the
 * GIN index by its estimate of their number, and for a prefix it knows little: a typo, a phone
 * fragment or a word nobody wrote had it walk every message for nothing (35 ms at 300,000
 * messages, against 2 through the index). Read with LIMIT, a query many messages match stops
 * early; one few match comes back whole, and the page is cut from these ids.
 */
export function fewMatches(db: Database, tsquery: string, enough: number, before?: number): number[] | null {
  const rows = db
    .query<{ id: number }, (string | number)[]>(`SELECT message_id AS id FROM message_search WHERE words @@ ${TSQUERY_SQL}${before === undefined ? "" : " AND message_id < ?"} LIMIT ?`)
    .all(...(before === undefined ? [tsquery, enough] : [tsquery, before, enough]));
  return rows.length < enough ? rows.map((r) => r.id) : null;
}

/** The SQL that keeps only the ids fewMatches found, with its one parameter (a JSON list). */
export const AMONG_IDS_SQL = "IN (SELECT value FROM json_each(?))";
