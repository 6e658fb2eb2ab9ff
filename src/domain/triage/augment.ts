// Training-time variants of a hand-written message, in the spellings customers actually type:
// diacritics stripped (all or only some words, as phone keyboards leave them), teencode and shop
// shorthand, and small typos. Pure and deterministic for a given salt, so the corpus rebuilds
// byte for byte. Only training lines get variants; held-out messages never do.
import { foldVietnamese } from "../contact.ts";

/** A whole-word pattern; \b is ASCII-only and would miss "được" or "ạ". */
const word = (w: string) => new RegExp(`(?<![\\p{L}\\p{N}])${w}(?![\\p{L}\\p{N}])`, "giu");

/** How customers shorten words when typing fast; applied whole-word, the spelling picked by the salt. */
const TEENCODE: [RegExp, string[]][] = [
  [word("không"), ["ko", "k", "hok", "khum"]], [word("được"), ["đc", "dc", "dk"]], [word("sản phẩm"), ["sp"]],
  [word("điện thoại"), ["đt", "dt"]], [word("mình"), ["mk", "mik"]], [word("em"), ["e"]], [word("vậy"), ["v", "z"]],
  [word("rồi"), ["r", "rùi"]], [word("với"), ["vs"]], [word("gì"), ["j"]], [word("chuyển khoản"), ["ck"]],
  [word("tài khoản"), ["tk"]], [word("nhắn tin"), ["nt", "ib"]], [word("trả lời"), ["rep"]], [word("cũng"), ["cx"]],
  [word("đơn hàng"), ["đh", "đơn"]], [word("số điện thoại"), ["sđt"]], [word("hôm nay"), ["hnay"]], [word("trước"), ["trc"]],
  [word("nhiều"), ["nhìu"]], [word("biết"), ["bít"]], [word("thôi"), ["thui"]], [word("luôn"), ["lun"]], [word("quá"), ["wá", "qá"]],
  [word("bạn"), ["bn", "b"]], [word("nhé"), ["nha", "nhe"]], [word("ạ"), ["ak", "a"]], [word("shop"), ["sop", "sốp"]],
];

/** More shorthand, for a second variant: other words than the first pass shortens. */
const TEENCODE_MORE: [RegExp, string[]][] = [
  [word("bao nhiêu"), ["bn", "bnhiu", "bao nhiu"]], [word("giao hàng"), ["gh", "ship"]], [word("thanh toán"), ["tt", "thanh toan"]],
  [word("hoàn tiền"), ["refund", "hoàn tiền"]], [word("bảo hành"), ["bh", "bhanh"]], [word("kiểm tra"), ["check", "ktra"]],
  [word("hôm qua"), ["hqua", "hum qua"]], [word("anh"), ["a"]], [word("chị"), ["c", "chế"]], [word("giúp"), ["giùm", "dùm"]],
  [word("shop"), ["sh", "shp"]], [word("nhắn"), ["ib", "inbox"]], [word("cảm ơn"), ["tks", "camon", "thanks"]],
  [word("gấp"), ["gấp", "gap", "urgent"]], [word("ngày"), ["ngay", "ng"]],
  [word("hủy"), ["cancel", "huỷ"]], [word("đổi"), ["doi", "đôi"]], [word("trả lời"), ["reply", "tl"]], [word("hỏi"), ["hoi", "hoỉ"]],
];

function replaceAll(text: string, table: [RegExp, string[]][], salt: number): string {
  let out = text;
  table.forEach(([re, subs], i) => {
    out = out.replace(re, () => subs[(salt + i) % subs.length]);
  });
  return out;
}

/** Shop shorthand and teencode, or null when the message has none of the words. */
export function teencode(text: string, salt: number, more = false): string | null {
  const out = replaceAll(text, more ? TEENCODE_MORE : TEENCODE, salt);
  return out === text ? null : out;
}

/** FNV-1a step, to draw several decisions from one salt without a generator. */
const mix = (h: number, i: number) => Math.imul(h ^ (i + 0x9e3779b9), 0x01000193) >>> 0;

/** Some words lose their diacritics, others keep them: how a phone keyboard in a hurry types. */
function partlyFolded(text: string, salt: number): string {
  let i = 0;
  return text.replace(/[\p{L}]+/gu, (w) => (mix(salt, i++) % 2 ? foldVietnamese(w) : w));
}

/** One or two slips of the finger in words of four letters or more: a letter dropped, doubled,
 *  or swapped with its neighbour. Null when the message has no such word. */
export function typo(text: string, salt: number): string | null {
  const words = [...text.matchAll(/[\p{L}]{4,}/gu)];
  if (!words.length) return null;
  const picks = new Set([mix(salt, 1) % words.length, mix(salt, 2) % words.length]);
  let out = text;
  for (const idx of [...picks].sort((a, b) => b - a)) {
    const m = words[idx];
    const w = m[0];
    const at = 1 + (mix(salt, idx + 3) % (w.length - 2));
    const kind = mix(salt, idx + 7) % 3;
    const slipped = kind === 0 ? w.slice(0, at) + w.slice(at + 1) : kind === 1 ? w.slice(0, at) + w[at] + w.slice(at) : w.slice(0, at - 1) + w[at] + w[at - 1] + w.slice(at + 1);
    out = out.slice(0, m.index!) + slipped + out.slice(m.index! + w.length);
  }
  return out === text ? null : out;
}

/** Voice-to-text: no punctuation, no capitals, one long run of words. */
export const spoken = (text: string): string => text.replace(/[^\p{L}\p{N}\s]+/gu, " ").replace(/\s+/g, " ").trim().toLowerCase();

/** The variants of one training message, each tagged with what was done to it. */
export function variantsOf(text: string, salt: number): { text: string; variant: string }[] {
  const out: { text: string; variant: string }[] = [];
  const folded = foldVietnamese(text);
  const short = teencode(text, salt);
  // the first variant as before: folded, or teencode, or both
  const first = salt % 2 === 0 && folded !== text.toLowerCase() ? { text: folded, variant: "folded" }
    : short ? { text: salt % 3 === 0 ? foldVietnamese(short) : short, variant: salt % 3 === 0 ? "teencode+folded" : "teencode" }
    : folded !== text.toLowerCase() ? { text: folded, variant: "folded" } : null;
  if (first) out.push(first);
  // a second one in the messier styles: more shorthand, some words folded, a typo, maybe spoken
  let messy = teencode(text, salt >>> 3, true) ?? text;
  messy = partlyFolded(messy, salt >>> 5);
  messy = typo(messy, salt >>> 7) ?? messy;
  if (salt % 5 === 0) messy = spoken(messy);
  if (messy !== text && messy !== first?.text) out.push({ text: messy, variant: "messy" });
  return out;
}
