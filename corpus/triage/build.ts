// Builds train.jsonl and heldout.jsonl from the hand-written messages in hand/*.txt.
// Line format there: three letters, a space, the message exactly as a customer typed it:
//   intent S|P|C|O (support_request, product_question, complaint, other), urgent 0|1,
//   channel z|f|e (zalo, facebook, email). Lines starting with # are comments.
// About 30% of the hand-written messages (chosen by a hash of their folded text) are held out;
// only training lines get systematic variants (diacritics stripped, teencode), so no held-out
// message or variant of it is ever seen in training.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { foldVietnamese } from "../../src/domain/contact.ts";
import { hashString } from "../../src/domain/triage/features.ts";
import type { CorpusLine } from "../../src/domain/triage/corpus.ts";
import { NEAR_DUPLICATE, nearDuplicateGroups, similarity, wordSet } from "../../src/domain/triage/near-duplicate.ts";

const DIR = import.meta.dir;
const HELDOUT_PERCENT = 30;
const INTENT = { S: "support_request", P: "product_question", C: "complaint", O: "other" } as const;
const CHANNEL = { z: "zalo", f: "facebook", e: "email" } as const;

/** A whole-word pattern; \b is ASCII-only and would miss "được" or "ạ". */
const word = (w: string) => new RegExp(`(?<![\\p{L}\\p{N}])${w}(?![\\p{L}\\p{N}])`, "giu");

/** How customers shorten words when typing fast; applied whole-word, first spelling wins. */
const TEENCODE: [RegExp, string[]][] = [
  [word("không"), ["ko", "k", "hok", "khum"]], [word("được"), ["đc", "dc", "dk"]], [word("sản phẩm"), ["sp"]],
  [word("điện thoại"), ["đt", "dt"]], [word("mình"), ["mk", "mik"]], [word("em"), ["e"]], [word("vậy"), ["v", "z"]],
  [word("rồi"), ["r", "rùi"]], [word("với"), ["vs"]], [word("gì"), ["j"]], [word("chuyển khoản"), ["ck"]],
  [word("tài khoản"), ["tk"]], [word("nhắn tin"), ["nt", "ib"]], [word("trả lời"), ["rep"]], [word("cũng"), ["cx"]],
  [word("đơn hàng"), ["đh", "đơn"]], [word("số điện thoại"), ["sđt"]], [word("hôm nay"), ["hnay"]], [word("trước"), ["trc"]],
  [word("nhiều"), ["nhìu"]], [word("biết"), ["bít"]], [word("thôi"), ["thui"]], [word("luôn"), ["lun"]], [word("quá"), ["wá", "qá"]],
  [word("bạn"), ["bn", "b"]], [word("nhé"), ["nha", "nhe"]], [word("ạ"), ["ak", "a"]], [word("shop"), ["sop", "sốp"]],
];

export const corpusKey = (text: string) => foldVietnamese(text).replace(/[^\p{L}\p{N}]+/gu, " ").trim();

function teencode(text: string, salt: number): string | null {
  let out = text;
  TEENCODE.forEach(([re, subs], i) => {
    out = out.replace(re, () => subs[(salt + i) % subs.length]);
  });
  return out === text ? null : out;
}

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
    const h = hashString(line.text);
    const folded = foldVietnamese(line.text);
    const short = teencode(line.text, h);
    const pick = h % 2 === 0 && folded !== line.text.toLowerCase() ? { text: folded, variant: "folded" }
      : short ? { text: h % 3 === 0 ? foldVietnamese(short) : short, variant: h % 3 === 0 ? "teencode+folded" : "teencode" }
      : folded !== line.text.toLowerCase() ? { text: folded, variant: "folded" } : null;
    // a variant that collides with a held-out message would leak it: skip those
    if (!pick || heldoutKeys.has(corpusKey(pick.text)) || trainTexts.has(pick.text.toLowerCase())) continue;
    const set = wordSet(pick.text);
    if (heldoutSets.some((h) => similarity(h, set) >= NEAR_DUPLICATE)) continue;
    trainTexts.add(pick.text.toLowerCase());
    variants.push({ ...line, ...pick });
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
