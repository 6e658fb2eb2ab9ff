// Builds train.jsonl and heldout.jsonl from the hand-written messages in hand/*.txt.
// Line format there: three letters, a space, the message exactly as a customer typed it:
//   intent S|P|C|O (support_request, product_question, complaint, other), urgent 0|1,
//   channel z|f|e (zalo, facebook, email). Lines starting with # are comments.
// About 30% of the hand-written messages (chosen by a hash of their folded text) are held out;
// only training lines get systematic variants (src/domain/triage/augment.ts), so no held-out
// message or variant of it is ever seen in training.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { foldVietnamese } from "../../src/domain/contact.ts";
import { hashString } from "../../src/domain/triage/features.ts";
import { variantsOf } from "../../src/domain/triage/augment.ts";
import { messageGroup } from "../../src/domain/triage/train.ts";
import type { CorpusLine } from "../../src/domain/triage/corpus.ts";
import { NEAR_DUPLICATE, nearDuplicateGroups, similarity, wordSet } from "../../src/domain/triage/near-duplicate.ts";

const DIR = import.meta.dir;
const HELDOUT_PERCENT = 30;
const INTENT = { S: "support_request", P: "product_question", C: "complaint", O: "other" } as const;
const CHANNEL = { z: "zalo", f: "facebook", e: "email" } as const;

export const corpusKey = (text: string) => foldVietnamese(text).replace(/[^\p{L}\p{N}]+/gu, " ").trim();

function readHand(): (CorpusLine & { file: string })[] {
  const lines: (CorpusLine & { file: string })[] = [];
  for (const file of readdirSync(join(DIR, "hand")).filter((f) => f.endsWith(".txt")).sort()) {
    readFileSync(join(DIR, "hand", file), "utf8").split("\n").forEach((raw, i) => {
      if (!raw.trim() || raw.startsWith("#")) return;
      const m = /^([SPCO])([01])([zfe]) (.+)$/.exec(raw);
      if (!m) throw new Error(`${file}:${i + 1}: not "<S|P|C|O><0|1><z|f|e> text": ${raw}`);
      const text = m[4].replace(/\\n/g, "\n");
      lines.push({ text, intent: INTENT[m[1] as keyof typeof INTENT], urgent: m[2] === "1", channel: CHANNEL[m[3] as keyof typeof CHANNEL], file });
    });
  }
  return lines;
}

export function buildCorpus(): { train: CorpusLine[]; heldout: CorpusLine[]; hand: number; duplicates: string[] } {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const train: CorpusLine[] = [];
  const heldout: CorpusLine[] = [];
  const unique: CorpusLine[] = [];
  for (const { file, ...line } of readHand()) {
    const key = corpusKey(line.text);
    if (seen.has(key)) {
      duplicates.push(`${file}: ${line.text}`);
      continue;
    }
    seen.add(key);
    unique.push(line);
  }
  // the split is by group of near-duplicates, so no held-out message has a twin in training
  const groups = nearDuplicateGroups(unique.map((l) => l.text));
  unique.forEach((line, i) => {
    if (hashString(corpusKey(unique[groups[i]].text)) % 100 < HELDOUT_PERCENT) heldout.push(line);
    else train.push(line);
  });
  const heldoutSets = heldout.map((l) => wordSet(l.text));
  const heldoutKeys = new Set(heldout.map((l) => corpusKey(l.text)));
  const trainTexts = new Set(train.map((l) => l.text.toLowerCase()));
  const variants: CorpusLine[] = [];
  for (const line of train) {
    const of = messageGroup(line.text);
    for (const pick of variantsOf(line.text, hashString(line.text))) {
      // a variant that collides with a held-out message would leak it: skip those
      if (heldoutKeys.has(corpusKey(pick.text)) || trainTexts.has(pick.text.toLowerCase())) continue;
      const set = wordSet(pick.text);
      if (heldoutSets.some((h) => similarity(h, set) >= NEAR_DUPLICATE)) continue;
      trainTexts.add(pick.text.toLowerCase());
      variants.push({ ...line, ...pick, of });
    }
  }
  return { train: [...train, ...variants], heldout, hand: unique.length + duplicates.length, duplicates };
}

export function writeCorpus(): { train: number; heldout: number; hand: number; duplicates: string[] } {
  const { train, heldout, hand, duplicates } = buildCorpus();
  const jsonl = (ls: CorpusLine[]) => ls.map((l) => JSON.stringify(l)).join("\n") + "\n";
  writeFileSync(join(DIR, "train.jsonl"), jsonl(train));
  writeFileSync(join(DIR, "heldout.jsonl"), jsonl(heldout));
  return { train: train.length, heldout: heldout.length, hand, duplicates };
}

if (import.meta.main) {
  const r = writeCorpus();
  for (const d of r.duplicates) console.warn(`duplicate (dropped): ${d}`);
  console.log(`corpus/triage: ${r.hand} hand-written, ${r.train} train lines (with variants), ${r.heldout} held out`);
}
