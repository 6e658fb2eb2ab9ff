// The second held-out set: messages written apart from the training corpus, in the styles it
// lacked when issue 21 measured it (no diacritics, teencode, typos, English mixed in, very short,
// long emails, several questions in one, sarcasm, voice-to-text). Never trained or tuned on:
// training refuses any line that is (nearly) one of these, and the executable does not embed it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCorpus, type CorpusLine } from "./corpus.ts";
import { NEAR_DUPLICATE, similarity, wordSet } from "./near-duplicate.ts";

export const HELDOUT_STYLES_PATH = join(import.meta.dir, "../../../corpus/triage/heldout-styles.jsonl");

export const heldoutStylesCorpus = (): CorpusLine[] => parseCorpus(readFileSync(HELDOUT_STYLES_PATH, "utf8"));

/** Training lines that are, or nearly are, a held-out-styles message: must be none. */
export function leaksIntoTraining(training: { text: string }[], heldout = heldoutStylesCorpus()): string[] {
  const sets = heldout.map((h) => wordSet(h.text));
  return training.flatMap((t) => {
    const s = wordSet(t.text);
    const i = sets.findIndex((h) => similarity(s, h) >= NEAR_DUPLICATE);
    return i < 0 ? [] : [`${t.text}  ~  ${heldout[i].text}`];
  });
}
