// @mentions in private notes: "@Nguyễn Văn An" names a teammate, "@Kho hàng" a team. Agents type
// names with or without diacritics and in any case, so names are compared folded (foldVietnamese).
import { foldVietnamese } from "./contact.ts";

export interface Mentionable {
  kind: "user" | "team";
  id: number;
  name: string;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * Who a note names: at each "@", the longest candidate name that follows it as whole words. Two
 * people with the same name are both named (the autocomplete shows their emails to tell them apart).
 */
export function findMentions(text: string, candidates: Mentionable[]): Mentionable[] {
  const found = new Map<string, Mentionable>();
  for (const span of mentionSpans(text, candidates)) for (const h of span.named) found.set(`${h.kind}:${h.id}`, h);
  return [...found.values()];
}

/** Where each mention stands in the text's composed form (NFC; [start, end) from the "@"), and whom it names. */
export function mentionSpans<T extends Mentionable>(text: string, candidates: T[]): { start: number; end: number; named: T[] }[] {
  if (!text.includes("@") || !candidates.length) return [];
  const composed = text.normalize("NFC");
  const folded = foldVietnamese(composed);
  // Folding a composed Vietnamese letter gives one letter, so positions carry over; anything else has none.
  if (folded.length !== composed.length) return [];
  const names = candidates.map((c) => ({ c, f: foldVietnamese(c.name.trim()) })).filter((x) => x.f.length > 0);
  const spans: { start: number; end: number; named: T[] }[] = [];
  for (let at = folded.indexOf("@"); at >= 0; at = folded.indexOf("@", at + 1)) {
    // An email address (an@shop.vn) is not a mention.
    if (at > 0 && WORD_CHAR.test(folded[at - 1]!)) continue;
    let best = 0;
    let named: T[] = [];
    for (const { c, f } of names) {
      if (f.length < best || !folded.startsWith(f, at + 1)) continue;
      const next = folded[at + 1 + f.length];
      if (next !== undefined && WORD_CHAR.test(next)) continue;
      if (f.length > best) [best, named] = [f.length, []];
      named.push(c);
    }
    if (named.length) spans.push({ start: at, end: at + 1 + best, named });
  }
  return spans;
}

/** Autocomplete: candidates whose name (or a word of it) starts with what was typed after "@", folded. */
export function matchMentionables<T extends Mentionable>(typed: string, candidates: T[], limit = 8): T[] {
  const q = foldVietnamese(typed.trim());
  const scored = candidates
    .map((c) => {
      const f = foldVietnamese(c.name);
      const rank = !q ? 1 : f.startsWith(q) ? 0 : f.split(/\s+/).some((w) => w.startsWith(q)) ? 1 : f.includes(q) ? 2 : -1;
      return { c, rank };
    })
    .filter((x) => x.rank >= 0);
  return scored.sort((a, b) => a.rank - b.rank || a.c.name.localeCompare(b.c.name, "vi")).slice(0, limit).map((x) => x.c);
}
