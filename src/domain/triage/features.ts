// What the triage model sees of a message: hashed word uni/bi-grams of the diacritic-folded text
// (with teencode spelled out), extra features for words typed with diacritics, char n-grams of
// long words (English, run-together words) and a few punctuation/emoji cues.
import { foldVietnamese } from "../contact.ts";

/** Long emails are judged on their beginning: the ask is there, quoted history is below. */
export const MAX_CHARS = 2000;
const MAX_TOKENS = 300;

/** Teencode and shop shorthand (already folded) -> the words they stand for, so "ko dc" ~ "khong duoc". */
const SHORTHAND: Record<string, string> = {
  k: "khong", ko: "khong", kh: "khong", khg: "khong", kg: "khong", hok: "khong", hem: "khong", hk: "khong", khum: "khong", kô: "khong", hông: "khong",
  dc: "duoc", dk: "duoc", dugc: "duoc",
  sp: "san pham", sanpham: "san pham", spham: "san pham",
  đc: "duoc", đk: "duoc", đt: "dien thoai", đth: "dien thoai", đh: "don hang", đơnhàng: "don hang",
  dt: "dien thoai", dth: "dien thoai", dthoai: "dien thoai", sdt: "so dien thoai",
  dh: "don hang", donhang: "don hang",
  ib: "inbox", ibx: "inbox", inb: "inbox",
  ad: "admin", add: "admin", shp: "shop", sop: "shop", sh0p: "shop",
  e: "em", mk: "minh", mik: "minh", mjk: "minh", mh: "minh", mn: "moi nguoi",
  r: "roi", rui: "roi", roy: "roi", vs: "voi", j: "gi", gj: "gi", z: "vay", v: "vay", dz: "vay",
  nc: "noi chuyen", nt: "nhan tin", tn: "tin nhan", ntin: "nhan tin", rep: "tra loi", tl: "tra loi", trl: "tra loi",
  tk: "tai khoan", stk: "so tai khoan", ck: "chuyen khoan", ckhoan: "chuyen khoan",
  ns: "noi", bjo: "bao gio", bgio: "bao gio", ntn: "nhu the nao", cx: "cung", cg: "cung", cug: "cung",
  nhiu: "nhieu", nhìu: "nhieu", wa: "qua", oke: "ok", okie: "ok", oki: "ok", okela: "ok", okay: "ok", uk: "ok", uh: "ok",
  tks: "cam on", thanks: "cam on", thank: "cam on", thx: "cam on", camon: "cam on", cmon: "cam on", ty: "cam on",
  hnay: "hom nay", hqua: "hom qua", trc: "truoc", lm: "lam", lun: "luon", thui: "thoi", ng: "nguoi", kq: "ket qua",
  sl: "so luong", gh: "giao hang", hag: "hang", hg: "hang", bnhieu: "bao nhieu", bnh: "bao nhieu",
  ak: "a", ah: "a", ạk: "a", nha: "nhe", nhaa: "nhe", nhé: "nhe", pls: "please", plz: "please",
  refund: "hoan tien", bhanh: "bao hanh", baohanh: "bao hanh", sip: "ship", shiper: "shipper",
};

const ANGRY = /[😡😠🤬😤👎💢]/u;
const SAD = /[😭😢😞😔🥺]/u;
const HAPPY = /[😍🥰😊😁😄❤️👍🙏🌹]/u;

export interface Tokens {
  /** folded words with shorthand spelled out: "khong", "duoc", "san", "pham" */
  folded: string[];
  /** words whose original spelling carried diacritics ("không"), in the same positions or null */
  marked: (string | null)[];
}

export function tokenize(text: string): Tokens {
  const lower = text.slice(0, MAX_CHARS).normalize("NFC").toLowerCase();
  const words = lower.match(/[\p{L}\p{N}]+/gu) ?? [];
  const folded: string[] = [];
  const marked: (string | null)[] = [];
  for (const w of words) {
    if (folded.length >= MAX_TOKENS) break;
    const f = foldVietnamese(w);
    const shape = /\d/.test(f) ? f.replace(/\d+/g, "0") : f;
    // by the typed spelling: "ạ" folds to "a" but is not shorthand for anything
    const expanded = SHORTHAND[w] ?? (shape !== f ? SHORTHAND[shape] : undefined);
    if (expanded) {
      for (const part of expanded.split(" ")) folded.push(part), marked.push(null);
    } else {
      folded.push(shape);
      marked.push(f !== w ? w : null);
    }
  }
  return { folded, marked };
}

/** FNV-1a over UTF-16 code units: cheap, stable across runs and platforms. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Vietnamese syllables are short: their char n-grams only add noise (measured by cross-validation).
 *  Long tokens are English words, run-together words or codes, where n-grams catch variants. */
const CHAR_GRAM_MIN_LENGTH = 7;

function charGrams(word: string, prefix: string, out: string[]): void {
  if (word.length < CHAR_GRAM_MIN_LENGTH) return;
  const w = `<${word}>`;
  for (let n = 3; n <= 4; n++) for (let i = 0; i + n <= w.length; i++) out.push(prefix + w.slice(i, i + n));
}

/** The feature strings of a message (exported for tests and for explaining a decision). */
export function featureStrings(text: string): string[] {
  const { folded, marked } = tokenize(text);
  const out: string[] = [];
  for (let i = 0; i < folded.length; i++) {
    const t = folded[i];
    out.push("u" + t);
    if (i + 1 < folded.length) out.push("b" + t + " " + folded[i + 1]);
    charGrams(t, "c", out);
    const m = marked[i];
    if (m) {
      out.push("o" + m);
      const next = marked[i + 1] ?? folded[i + 1];
      if (next !== undefined) out.push("p" + m + " " + next);
      charGrams(m, "d", out);
    }
  }
  // by distinct words, so that repeating one word does not make a message look long
  const distinct = new Set(folded).size;
  if (distinct) out.push("len" + Math.min(4, Math.floor(Math.log2(distinct))));
  const head = text.slice(0, MAX_CHARS);
  if (head.includes("!!")) out.push("!!");
  if (head.includes("?")) out.push("?");
  if (ANGRY.test(head)) out.push(":angry");
  if (SAD.test(head)) out.push(":sad");
  if (HAPPY.test(head)) out.push(":happy");
  return out;
}

/** Hashed bucket indices of a message's distinct features, ascending: a word said 300 times
 *  ("ha ha ha…") says no more than said once. */
export function featureBuckets(text: string, buckets: number): Uint32Array {
  const strs = featureStrings(text);
  const mask = buckets - 1;
  const all = new Uint32Array(strs.length);
  for (let i = 0; i < strs.length; i++) all[i] = hashString(strs[i]) & mask;
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i];
  return all.subarray(0, n);
}
