// Near-duplicates: two messages that say the same in nearly the same words once diacritics and
// teencode are folded away ("cảm ơn shop" ~ "cam on shop nhe"). The corpus keeps them on the
// same side of the train/held-out split, so the held-out score measures generalisation.
import { tokenize } from "./features.ts";

/** Jaccard similarity of word sets at or above this counts as the same message. */
export const NEAR_DUPLICATE = 0.7;

export function wordSet(text: string): Set<string> {
  return new Set(tokenize(text).folded);
}

export function similarity(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const w of small) if (large.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Groups messages that are near-duplicates of each other, directly or through a chain. */
export function nearDuplicateGroups(texts: string[], threshold = NEAR_DUPLICATE): number[] {
  const sets = texts.map(wordSet);
  const parent = texts.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      // sizes too far apart can never reach the threshold: skip the set walk
      const lo = Math.min(sets[i].size, sets[j].size), hi = Math.max(sets[i].size, sets[j].size);
      if (hi && lo / hi < threshold) continue;
      if (similarity(sets[i], sets[j]) >= threshold) parent[root(j)] = root(i);
    }
  }
  return texts.map((_, i) => root(i));
}
