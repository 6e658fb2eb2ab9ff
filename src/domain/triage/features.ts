// What the triage model sees of a message: hashed word uni/bi-grams of the diacritic-folded text
// (with teencode spelled out), extra features for words typed with diacritics, char n-grams of
// long words (English, run-together words) and a few punctuation/emoji cues.
import { foldVietnamese } from "../contact.ts";

/** Long emails are judged on their beginning: the ask is there, quoted history is below. */
export const MAX_CHARS = 2000;
const MAX_TOKENS = 300;

/** Teencode and shop shorthand (already folded) -> the words they stand for, so "ko dc" ~ "khong duoc". */
// Without a prototype: a customer's word is looked up here, and "constructor" is a word too.
const SHORTHAND: Record<string, string> = Object.setPrototypeOf({
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
}, null);

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

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units, continued from `h`: over a string's parts in turn it is the hash of their concatenation. */
function fnv(h: number, s: string, from = 0, to = s.length): number {
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

/** FNV-1a over UTF-16 code units: cheap, stable across runs and platforms. */
export function hashString(s: string): number {
  return fnv(FNV_OFFSET, s) >>> 0;
}

/**
 * Where the features of a message go, each given in parts whose concatenation is the feature:
 * featureStrings joins them, featureBuckets hashes them as they come, so a message's hundred or
 * so feature strings are not built (nor collected) when only their buckets are wanted.
 */
interface FeatureSink {
  parts(a: string, b?: string, c?: string, d?: string): void;
  /** `prefix` followed by s[from, to). */
  slice(prefix: string, s: string, from: number, to: number): void;
}

/** Vietnamese syllables are short: their char n-grams only add noise (measured by cross-validation).
 *  Long tokens are English words, run-together words or codes, where n-grams catch variants. */
const CHAR_GRAM_MIN_LENGTH = 7;

function charGrams(word: string, prefix: string, out: FeatureSink): void {
  if (word.length < CHAR_GRAM_MIN_LENGTH) return;
  const w = `<${word}>`;
  for (let n = 3; n <= 4; n++) for (let i = 0; i + n <= w.length; i++) out.slice(prefix, w, i, i + n);
}

function walkFeatures(text: string, out: FeatureSink): void {
  const { folded, marked } = tokenize(text);
  for (let i = 0; i < folded.length; i++) {
    const t = folded[i];
    out.parts("u", t);
    if (i + 1 < folded.length) out.parts("b", t, " ", folded[i + 1]);
    charGrams(t, "c", out);
    const m = marked[i];
    if (m) {
      out.parts("o", m);
      const next = marked[i + 1] ?? folded[i + 1];
      if (next !== undefined) out.parts("p", m, " ", next);
      charGrams(m, "d", out);
    }
  }
  // by distinct words, so that repeating one word does not make a message look long
  const distinct = new Set(folded).size;
  if (distinct) out.parts("len", String(Math.min(4, Math.floor(Math.log2(distinct)))));
  const head = text.slice(0, MAX_CHARS);
  if (head.includes("!!")) out.parts("!!");
  if (head.includes("?")) out.parts("?");
  if (ANGRY.test(head)) out.parts(":angry");
  if (SAD.test(head)) out.parts(":sad");
  if (HAPPY.test(head)) out.parts(":happy");
}

/** The feature strings of a message (exported for tests and for explaining a decision). */
export function featureStrings(text: string): string[] {
  const out: string[] = [];
  walkFeatures(text, {
    parts: (a, b = "", c = "", d = "") => void out.push(a + b + c + d),
    slice: (prefix, s, from, to) => void out.push(prefix + s.slice(from, to)),
  });
  return out;
}

// Hashes of the message being bucketed: reused, grown when a message has more features.
let scratch = new Uint32Array(1024);
let count = 0;
const push = (h: number) => {
  if (count === scratch.length) {
    const bigger = new Uint32Array(scratch.length * 2);
    bigger.set(scratch);
    scratch = bigger;
  }
  scratch[count++] = h >>> 0;
};
const HASHING: FeatureSink = {
  parts(a, b, c, d) {
    let h = fnv(FNV_OFFSET, a);
    if (b !== undefined) h = fnv(h, b);
    if (c !== undefined) h = fnv(h, c);
    if (d !== undefined) h = fnv(h, d);
    push(h);
  },
  slice(prefix, s, from, to) {
    push(fnv(fnv(FNV_OFFSET, prefix), s, from, to));
  },
};

/** Hashed bucket indices of a message's distinct features, ascending: a word said 300 times
 *  ("ha ha ha…") says no more than said once. */
export function featureBuckets(text: string, buckets: number): Uint32Array {
  count = 0;
  walkFeatures(text, HASHING);
  const mask = buckets - 1;
  const all = scratch.subarray(0, count);
  for (let i = 0; i < count; i++) all[i] &= mask;
  all.sort();
  let n = 0;
  for (let i = 0; i < count; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i];
  return scratch.slice(0, n);
}
