// Contacts: one customer, many channel identities; search that ignores Vietnamese diacritics.

/** The rule itself: decomposed, marks dropped (đ -> d), composed again. */
function withoutDiacriticsByRule(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .normalize("NFC");
}

// Folding runs for every message stored (its search text) and every word triage reads; two Unicode
// normalisations a call were ~3% of a webhook's CPU. What each Latin letter folds to is taken once
// from the rule, so the result is the rule's, letter for letter; a text with anything else in it
// (emoji, other scripts) takes the rule whole.
const LATIN_END = 0x250;
const EXTENDED = 0x1e00; // Latin Extended Additional: Vietnamese's letters with two marks
const foldedChar = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => withoutDiacriticsByRule(String.fromCharCode(from + i)));
const LATIN_FOLD = foldedChar(0, LATIN_END);
const EXTENDED_FOLD = foldedChar(EXTENDED, EXTENDED + 0x100);

/** "Nguyễn Thị Hồng" -> "Nguyen Thi Hong": the same letters without their marks (đ -> d), case kept. */
export function withoutDiacritics(text: string): string {
  let out = "";
  let kept = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    let folded: string;
    if (c < LATIN_END) folded = LATIN_FOLD[c];
    else if (c >= 0x300 && c <= 0x36f) folded = ""; // a mark typed apart from its letter
    else if (c >= EXTENDED && c < EXTENDED + 0x100) folded = EXTENDED_FOLD[c - EXTENDED];
    else return withoutDiacriticsByRule(text);
    out += text.slice(kept, i) + folded;
    kept = i + 1;
  }
  return kept ? out + text.slice(kept) : text;
}

/** "Nguyễn Thị Hồng" -> "nguyen thi hong": what customers and agents type without diacritics. */
export function foldVietnamese(text: string): string {
  return withoutDiacritics(text).toLowerCase();
}

/**
 * Vietnamese numbers are written 0912 345 678, 0912.345.678, +84 912 345 678, 84912345678,
 * 0084 912..., even +84 (0) 912...: one canonical form (0912345678) for matching.
 */
export function normalisePhone(phone: string | undefined | null): string | null {
  if (!phone) return null;
  let digits = phone.replace(/[^\d+]/g, "");
  if (digits.startsWith("+")) digits = digits.slice(1);
  else if (digits.startsWith("0084")) digits = digits.slice(2);
  if (digits.startsWith("84") && digits.length >= 11) digits = "0" + digits.slice(2).replace(/^0/, "");
  return digits.length >= 8 ? digits : null;
}

/**
 * A Vietnamese mobile number that can receive an SMS, in the canonical form (0912345678), or null:
 * ten digits on a mobile prefix (03, 05, 07, 08, 09) once normalised, and nothing but digits,
 * spaces, dots, dashes, brackets and one leading + around them.
 */
export function mobilePhone(phone: string | undefined | null): string | null {
  if (!phone || !/^[\s(]*\+?[\d\s().\-]*$/.test(phone)) return null;
  const n = normalisePhone(phone);
  return n && /^0[35789]\d{8}$/.test(n) ? n : null;
}

/** 0912345678 -> +84912345678: what providers that dial E.164 take. */
export const phoneE164 = (canonical: string) => (canonical.startsWith("0") ? `+84${canonical.slice(1)}` : `+${canonical}`);

export function normaliseEmail(email: string | undefined | null): string | null {
  if (!email) return null;
  const e = email.trim().toLowerCase();
  return /^[^@\s]+@[^@\s]+$/.test(e) ? e : null;
}

/** Text indexed for search: name, email, phone and identities, folded. */
export function searchText(parts: (string | null | undefined)[]): string {
  return foldVietnamese(parts.filter(Boolean).join(" "));
}

/**
 * The tails of a phone number ("0912345678" -> "912345678" ... "678"): full-text search matches
 * word prefixes, and agents type the last digits a customer reads out as often as the first ones.
 */
export function phoneTails(phone: string | null | undefined): string[] {
  if (!phone) return [];
  const out: string[] = [];
  for (let i = 1; i <= phone.length - 3; i++) out.push(phone.slice(i));
  return out;
}

/**
 * Phone numbers written in groups inside a text ("0912 345 678", "+84.912.345.678"), joined into
 * their canonical digits: someone searching "0912345678" should find the message that spells it out.
 */
export function phoneNumbersIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\+?\d{2,4}(?:[ .-]\d{2,4}){1,4}/g)) {
    const phone = normalisePhone(m[0]);
    if (phone && phone.length <= 12 && /[ .-]/.test(m[0])) out.push(phone);
  }
  return out;
}

/** Attribute values worth finding a customer by (strings and numbers; not keys or nested data). */
export function attributeWords(attributes: string | Record<string, unknown> | null | undefined): string[] {
  let obj: unknown = attributes;
  if (typeof attributes === "string") {
    try {
      obj = JSON.parse(attributes);
    } catch {
      return [];
    }
  }
  if (!obj || typeof obj !== "object") return [];
  return Object.values(obj as Record<string, unknown>).filter((v) => typeof v === "string" || typeof v === "number").map(String);
}

/** Merging keeps the survivor's values and fills its gaps from the other. */
export function mergeFields<T extends Record<string, unknown>>(survivor: T, other: T): T {
  const out: Record<string, unknown> = { ...survivor };
  for (const [k, v] of Object.entries(other)) {
    if (out[k] === null || out[k] === undefined || out[k] === "") out[k] = v;
  }
  return out as T;
}
