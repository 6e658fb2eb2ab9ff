// Searching messages and customers through the FTS5 indexes (migration 0005), with the same
// visibility as the conversation lists: an agent finds only what her conversations hold. On
// PostgreSQL the same terms go to tsvector indexes (migrations/postgres/0100_search.sql,
// store/search-postgres.ts): the statements that differ are written twice, side by side.
import type { Database } from "bun:sqlite";
import type { Viewer } from "../domain/conversation.ts";
import { parseQuery, matchExpression, markSnippet, type Term } from "../domain/search.ts";
import { scopeSql } from "./conversations.ts";
import { contactScopeSql } from "./contacts.ts";
import { subjectOf } from "./search-index.ts";
import { attributeWords } from "../domain/contact.ts";
import { isPostgres } from "./postgres/connection.ts";
import { tsqueryText, fewMatches, AMONG_IDS_SQL, TSQUERY_SQL } from "./search-postgres.ts";

export interface SearchFilter {
  q: string;
  channelId?: number;
  status?: string; // open|pending|snoozed|resolved; absent or "all": every status
  teamId?: number;
  from?: number; // ms, inclusive
  to?: number; // ms, exclusive
  hasAttachment?: boolean;
  /** "newest" (default): newest message first; "relevance": best match first (bm25). */
  sort?: "newest" | "relevance";
}

export interface SearchHit {
  kind: "message" | "contact";
  conversation_id: number | null;
  message_id: number | null;
  contact_id: number;
  /** HTML: the text around the match, escaped, the match in <mark>. */
  snippet: string;
  created_at: number;
  private: boolean;
}

export type SearchResult =
  | { ok: true; rows: SearchHit[]; next: string | null }
  | { ok: false; reason: "too_long" };

const CONTACTS_ON_FIRST_PAGE = 5;

type Cursor = { after: number } | { offset: number };
const encode = (c: Cursor) => Buffer.from("after" in c ? `m${c.after}` : `r${c.offset}`).toString("base64url");
export function decodeSearchCursor(s: string | null | undefined): Cursor | null | "bad" {
  if (!s) return null;
  const m = /^([mr])(\d{1,15})$/.exec(Buffer.from(s, "base64url").toString());
  if (!m) return "bad";
  return m[1] === "m" ? { after: Number(m[2]) } : { offset: Number(m[2]) };
}

/** Conditions on the conversation (alias c) and message (alias m) every hit must meet. */
function filterSql(viewer: Viewer, f: SearchFilter, withMessage: boolean): { sql: string[]; args: (number | string)[] } {
  const scope = scopeSql(viewer, "c");
  const sql = [scope.sql];
  const args: (number | string)[] = [...scope.args];
  if (f.channelId !== undefined) { sql.push("c.channel_id = ?"); args.push(f.channelId); }
  if (f.status && f.status !== "all") { sql.push("c.status = ?"); args.push(f.status); }
  if (f.teamId !== undefined) { sql.push("c.team_id = ?"); args.push(f.teamId); }
  const at = withMessage ? "m.created_at" : "c.last_message_at";
  if (f.from !== undefined) { sql.push(`${at} >= ?`); args.push(f.from); }
  if (f.to !== undefined) { sql.push(`${at} < ?`); args.push(f.to); }
  if (f.hasAttachment) sql.push(withMessage ? "EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id)" : "1 = 0");
  return { sql, args };
}

/** Prefix lengths FTS5 reads from its own prefix index (migration 0005, prefix='2 3'), lazily. */
const INDEXED_PREFIXES = new Set([2, 3]);
/** More words than this under one prefix: FTS5 merges the prefix itself (slower, same answer). */
const MAX_COMPLETIONS = 16;
const vocabReady = new WeakSet<Database>();

/**
 * The indexed words that start with `prefix` (at most MAX_COMPLETIONS), or null to leave the
 * prefix to FTS5. A prefix of another length makes FTS5 merge the doclists of every matching
 * word before it returns its first row: 40-50 ms for a common word at 1,000,000 messages, where
 * reading the vocabulary (fts5vocab, a per-connection temp table) costs a fifth of that.
 */
function completions(db: Database, prefix: string): string[] | null {
  if (INDEXED_PREFIXES.has(prefix.length) || !prefix) return null;
  if (!vocabReady.has(db)) {
    db.run("CREATE VIRTUAL TABLE IF NOT EXISTS temp.message_search_words USING fts5vocab(main, message_search, row)");
    vocabReady.add(db);
  }
  // The upper bound: the prefix with its last character moved one up ("xanh" -> "xani").
  const end = prefix.slice(0, -1) + String.fromCodePoint(prefix.codePointAt(prefix.length - 1)! + 1);
  const words = db
    .query<{ term: string }, [string, string, number]>("SELECT term FROM temp.message_search_words WHERE term >= ? AND term < ? LIMIT ?")
    .all(prefix, end, MAX_COMPLETIONS + 1)
    .map((r) => r.term);
  return words.length > MAX_COMPLETIONS ? null : words;
}

/** PostgreSQL: fewer matching messages than this are read whole from the index (fewMatches). */
const SPARSE_BELOW = 1000;

interface MessageRow { id: number; conversation_id: number; contact_id: number; text: string; meta: string | null; created_at: number; private: number }

function messageHits(db: Database, viewer: Viewer, f: SearchFilter, terms: Term[], limit: number, cur: Cursor | null) {
  const postgres = isPostgres(db);
  const w = filterSql(viewer, f, true);
  const match = postgres ? tsqueryText(terms) : matchExpression(terms, (t) => completions(db, t.words[t.words.length - 1]));
  if (match === null) return { hits: [], next: null };
  const relevance = f.sort === "relevance";
  const before = !relevance && cur && "after" in cur ? cur.after : undefined;
  // PostgreSQL: a query few messages match is cut from their ids (search-postgres.ts fewMatches).
  const few = postgres ? fewMatches(db, match, SPARSE_BELOW, before) : null;
  if (few?.length === 0) return { hits: [], next: null };
  const args: (number | string)[] = [match, ...(few ? [JSON.stringify(few)] : []), ...w.args];
  if (before !== undefined) { w.sql.push(`${postgres ? "s.message_id" : "s.rowid"} < ?`); args.push(before); }
  const offset = relevance && cur && "offset" in cur ? cur.offset : 0;
  // FTS5 hands rowids out in descending order itself, so "newest first" stops after one page
  // of visible matches instead of sorting every match. PostgreSQL ranks by ts_rank, normalised by
  // the text's length (1: divided by 1 + its log) as bm25 favours the shorter of two matches.
  const sql = postgres
    ? `SELECT m.id, m.conversation_id, c.contact_id, m.text, m.meta, m.created_at, m.private
       FROM ${TSQUERY_SQL} q, message_search s JOIN messages m ON m.id = s.message_id JOIN conversations c ON c.id = m.conversation_id
       WHERE ${few ? `s.message_id ${AMONG_IDS_SQL}` : "s.words @@ q"} AND ${w.sql.join(" AND ")}
       ORDER BY ${relevance ? "ts_rank(s.words, q, 1) DESC, s.message_id DESC" : "s.message_id DESC"} LIMIT ? OFFSET ?`
    : `SELECT m.id, m.conversation_id, c.contact_id, m.text, m.meta, m.created_at, m.private
       FROM message_search s JOIN messages m ON m.id = s.rowid JOIN conversations c ON c.id = m.conversation_id
       WHERE message_search MATCH ? AND ${w.sql.join(" AND ")}
       ORDER BY ${relevance ? "s.rank, s.rowid DESC" : "s.rowid DESC"} LIMIT ? OFFSET ?`;
  const rows = db.query<MessageRow, (number | string)[]>(sql).all(...args, limit + 1, offset);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const hits: SearchHit[] = page.map((r) => {
    const subject = subjectOf(r.meta);
    return {
      kind: "message",
      conversation_id: r.conversation_id,
      message_id: r.id,
      contact_id: r.contact_id,
      snippet: markSnippet(subject && !r.text.trim() ? subject : r.text || subject, terms),
      created_at: r.created_at,
      private: !!r.private,
    };
  });
  const last = page[page.length - 1];
  const next = more && last ? encode(relevance ? { offset: offset + limit } : { after: last.id }) : null;
  return { hits, next };
}

interface ContactRow { id: number; name: string | null; email: string | null; phone: string | null; attributes: string; conversation_id: number | null; last_message_at: number | null; created_at: number }

/** Customers whose name, phone, email or attributes match: each with their latest conversation the viewer may see. */
function contactHits(db: Database, viewer: Viewer, f: SearchFilter, terms: Term[]): SearchHit[] {
  const postgres = isPostgres(db);
  const scope = contactScopeSql(viewer, "k");
  const w = filterSql(viewer, f, false);
  const narrowed = f.channelId !== undefined || (f.status && f.status !== "all") || f.teamId !== undefined || f.from !== undefined || f.to !== undefined || f.hasAttachment;
  const contactTerms = terms.map((t) => ({ ...t, prefix: true, or: t.or && { ...t.or, prefix: true } }));
  const match = postgres ? tsqueryText(contactTerms) : matchExpression(contactTerms);
  if (match === null) return [];
  // INDEXED BY: without it SQLite may walk every open conversation (conversations_queue_key) per customer.
  const latest = `SELECT c.id FROM conversations c ${postgres ? "" : "INDEXED BY conversations_contact "}WHERE c.contact_id = k.id AND ${w.sql.join(" AND ")} ORDER BY c.last_message_at DESC LIMIT 1`;
  const sql = postgres
    ? `SELECT x.*, lc.last_message_at FROM (
         SELECT k.id, k.name, k.email, k.phone, k.attributes, k.created_at, (${latest}) AS conversation_id, ts_rank(s.words, q, 1) AS rank
         FROM ${TSQUERY_SQL} q, contact_search s JOIN contacts k ON k.id = s.contact_id
         WHERE s.words @@ q AND k.merged_into IS NULL AND ${scope.sql}
         ORDER BY rank DESC, k.id DESC LIMIT 50
       ) x LEFT JOIN conversations lc ON lc.id = x.conversation_id ${narrowed ? "WHERE x.conversation_id IS NOT NULL" : ""} ORDER BY x.rank DESC, x.id DESC LIMIT ?`
    : `SELECT x.*, lc.last_message_at FROM (
         SELECT k.id, k.name, k.email, k.phone, k.attributes, k.created_at, (${latest}) AS conversation_id
         FROM contact_search s JOIN contacts k ON k.id = s.rowid
         WHERE contact_search MATCH ? AND k.merged_into IS NULL AND ${scope.sql}
         ORDER BY s.rank LIMIT 50
       ) x LEFT JOIN conversations lc ON lc.id = x.conversation_id ${narrowed ? "WHERE x.conversation_id IS NOT NULL" : ""} LIMIT ?`;
  const rows = db.query<ContactRow, (number | string)[]>(sql).all(...w.args, match, ...scope.args, CONTACTS_ON_FIRST_PAGE);
  return rows.map((r) => {
    const line = [r.name, r.phone, r.email, ...attributeWords(r.attributes)].filter((v) => v !== null && v !== "").join(" · ");
    return {
      kind: "contact",
      conversation_id: r.conversation_id,
      message_id: null,
      contact_id: r.id,
      snippet: markSnippet(line, contactTerms.flatMap((t) => [t, ...phoneTailTerms(t)])),
      created_at: r.last_message_at ?? r.created_at,
      private: false,
    };
  });
}

/** A phone fragment matched a tail of the number: mark it where it sits inside the digits. */
function phoneTailTerms(t: Term): Term[] {
  const w = t.words.length === 1 && /^\d{3,}$/.test(t.words[0]) ? t.words[0] : null;
  return w ? [{ words: [w], prefix: true, inside: true }] : [];
}

/**
 * Messages (newest first, or by relevance) and, on the first page, up to five customers whose
 * details match. A query with nothing searchable in it (only punctuation) finds nothing.
 */
export function searchEverything(db: Database, viewer: Viewer, f: SearchFilter, limit: number, cursor: Cursor | null): SearchResult {
  const parsed = parseQuery(f.q);
  if (!parsed.ok) return parsed.reason === "too_long" ? { ok: false, reason: "too_long" } : { ok: true, rows: [], next: null };
  const people = cursor ? [] : contactHits(db, viewer, f, parsed.terms);
  const { hits, next } = messageHits(db, viewer, f, parsed.terms, limit, cursor);
  return { ok: true, rows: [...people, ...hits], next };
}
