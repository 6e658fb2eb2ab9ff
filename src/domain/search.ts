// Search queries: what a person typed -> terms over folded text -> a safe FTS5 MATCH expression,
// and the snippet that marks where a result matched. Plain TypeScript, no SQL runs here.
import { foldVietnamese } from "./contact.ts";

/** Longer queries are refused with a reason, not cut: nobody types 500 characters to find a chat. */
export const MAX_QUERY_CHARS = 500;
const MAX_TERMS = 16;
const WORD = /[\p{L}\p{N}]+/gu;

/** One thing to find: a word, or several words in this order (a quoted phrase, an email, "0912.345.678"). */
export interface Term {
  words: string[];
  /** The last word may be the start of a longer one (as-you-type, names, phone fragments). */
  prefix: boolean;
  /** Another way the same thing may be written (a number as typed, beside its canonical digits). */
  or?: Term;
  /** Marked inside a word too (a phone fragment found through the number's indexed tails). */
  inside?: boolean;
}

export type ParsedQuery = { ok: true; terms: Term[] } | { ok: false; reason: "too_long" | "empty" };

const wordsOf = (s: string) => s.match(WORD) ?? [];

/** A number as people write it (+84 912 345 678, 0912.345.678): its canonical digits, else null. */
function phoneDigits(raw: string): string | null {
  if (!/^[\d\s.()+-]+$/.test(raw)) return null;
  let d = raw.replace(/\D/g, "");
  if (d.length < 3) return null;
  if (raw.trim().startsWith("+84") || (d.startsWith("84") && d.length >= 11)) d = "0" + d.slice(2);
  return d;
}

/**
 * Folded with the same function as the indexed text (NFC or NFD, with or without marks, đ -> d,
 * any case), so both sides meet. Quotes make phrases; an unbalanced quote is only a separator.
 * Punctuation and FTS5 syntax (*, ^, :, NEAR, AND, parentheses) never reach the expression as
 * syntax: every word is re-quoted by `matchExpression`.
 */
export function parseQuery(raw: string, opts: { prefixAll?: boolean } = {}): ParsedQuery {
  if (raw.length > MAX_QUERY_CHARS) return { ok: false, reason: "too_long" };
  const folded = foldVietnamese(raw.normalize("NFC"));
  const terms: Term[] = [];
  const phone = phoneDigits(folded);
  if (phone) {
    const typed = wordsOf(folded);
    const asTyped = typed.join(" ") !== phone ? { words: typed, prefix: true } : undefined;
    return { ok: true, terms: [{ words: [phone], prefix: true, or: asTyped }] };
  }
  const parts = folded.split('"');
  // Parts at odd positions were inside a pair of quotes; a final odd part had no closing quote.
  parts.forEach((part, i) => {
    const quoted = i % 2 === 1 && i < parts.length - 1;
    if (quoted) {
      const words = wordsOf(part);
      if (words.length) terms.push({ words, prefix: false });
      return;
    }
    for (const chunk of part.split(/\s+/)) {
      const words = wordsOf(chunk);
      if (words.length) terms.push({ words, prefix: !!opts.prefixAll || /^\d+$/.test(words[words.length - 1]) });
    }
  });
  if (!terms.length) return { ok: false, reason: "empty" };
  // As-you-type: the last unquoted word is a prefix ("nguyen th" finds "Nguyễn Thị").
  const last = terms[terms.length - 1];
  if (!folded.trimEnd().endsWith('"')) last.prefix = true;
  return { ok: true, terms: terms.slice(0, MAX_TERMS) };
}

/**
 * FTS5 syntax built from words only, each in double quotes: `"don" AND "hang"*`, `"ao khoac"`.
 * `completions` may name every indexed word a prefix term's last word starts (looked up by the
 * store): the term then reads `("xanh" OR "xanhs")`, which finds the same messages but lets FTS5
 * walk them newest first instead of merging every match of the prefix before the first row.
 */
export function matchExpression(terms: Term[], completions?: (t: Term) => string[] | null): string {
  const quote = (words: string[]) => `"${words.join(" ").replace(/"/g, '""')}"`;
  const one = (t: Term) => {
    const ends = t.prefix ? completions?.(t) : null;
    if (!ends) return quote(t.words) + (t.prefix ? "*" : "");
    const alts = (ends.length ? ends : [t.words[t.words.length - 1]]).map((w) => quote([...t.words.slice(0, -1), w]));
    return alts.length === 1 ? alts[0] : `(${alts.join(" OR ")})`;
  };
  return terms.map((t) => (t.or ? `(${one(t)} OR ${one(t.or)})` : one(t))).join(" AND ");
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Folds text one character at a time, remembering where each folded character came from. */
function foldWithOffsets(text: string): { folded: string; origin: number[] } {
  let folded = "";
  const origin: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = foldVietnamese(ch);
    for (let k = 0; k < f.length; k++) origin.push(i);
    folded += f;
    i += ch.length;
  }
  origin.push(i);
  return { folded, origin };
}

function termPattern(t: Term): RegExp {
  const body = t.words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^\\p{L}\\p{N}]+");
  return new RegExp(`${t.inside ? "" : "(?<![\\p{L}\\p{N}])"}${body}${t.prefix ? "" : "(?![\\p{L}\\p{N}])"}`, "gu");
}

/**
 * Up to `width` characters of `text` around the first match, HTML-escaped, each match wrapped in
 * <mark>. Matching runs on the folded text; offsets map back to the original, so "don hang" marks
 * "Đơn hàng" as the customer wrote it. Text that matched through another field starts at its head.
 */
export function markSnippet(original: string, terms: Term[], width = 160): string {
  const text = original.normalize("NFC").replace(/\s+/g, " ").trim();
  const { folded, origin } = foldWithOffsets(text);
  const ranges: [number, number][] = [];
  for (const t of terms.flatMap((t) => (t.or ? [t, t.or] : [t]))) {
    for (const m of folded.matchAll(termPattern(t))) {
      let end = m.index + m[0].length;
      // A prefix marks the whole word it starts.
      if (t.prefix) while (end < folded.length && /[\p{L}\p{N}]/u.test(folded[end])) end++;
      ranges.push([origin[m.index], origin[end]]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const first = ranges[0]?.[0] ?? 0;
  let start = Math.max(0, first - Math.floor(width / 3));
  if (start > 0) {
    const space = text.indexOf(" ", start);
    if (space >= 0 && space < first) start = space + 1;
  }
  const stop = Math.min(text.length, start + width);
  let out = start > 0 ? "…" : "";
  let at = start;
  for (const [a, b] of ranges) {
    if (a < at || a >= stop) continue;
    out += escapeHtml(text.slice(at, a)) + "<mark>" + escapeHtml(text.slice(a, Math.min(b, stop))) + "</mark>";
    at = Math.min(b, stop);
  }
  out += escapeHtml(text.slice(at, stop));
  return stop < text.length ? out + "…" : out;
}
