// When two customer profiles are probably one person (docs/customer-history.md, "Suggested duplicates"):
//   phone  the same phone number once normalised (0912 345 678, +84912345678 and 84912345678 are one);
//   email  the same address, whatever its case;
//   name   the same name once folded (no marks, đ -> d, case, punctuation and word order ignored:
//          "Nguyễn Văn An", "nguyen van an" and "An Nguyễn Văn") AND one more shared detail: the same
//          avatar picture, the same company email domain (not a public mailbox such as gmail.com), or
//          the same value of one attribute that looks like an identifier (6+ characters with a digit:
//          a customer code, an order number, a tax code; "Hà Nội" is shared by too many to count).
// A name alone never suggests a merge: many customers are called Nguyễn Văn An.
import { foldVietnamese, normaliseEmail, normalisePhone } from "./contact.ts";

export type DuplicateReason = "phone" | "email" | "name";
export const REASON_RANK: Record<DuplicateReason, number> = { phone: 0, email: 1, name: 2 };

/** What a pair shares, shown beside it: the phone, the email, or the name plus the other detail. */
export type SharedDetail =
  | { phone: string }
  | { email: string }
  | { name: string; avatar?: true; domain?: string; attribute?: { key: string; value: string } };

export interface MatchKeys {
  phone: string | null;
  email: string | null;
  name: string | null;
}

/** A name worth comparing: at least two words, or one of 6+ letters ("An" or "Chị" alone says nothing). */
export function nameKey(name: string | null | undefined): string | null {
  if (!name) return null;
  const words = foldVietnamese(name.normalize("NFC")).replace(/[^\p{L}\p{N}]+/gu, " ").trim().split(" ").filter(Boolean);
  if (!words.length || (words.length < 2 && words[0].length < 6)) return null;
  return words.sort().join(" ");
}

export function matchKeys(c: { phone: string | null; email: string | null; name: string | null }): MatchKeys {
  return { phone: normalisePhone(c.phone), email: normaliseEmail(c.email), name: nameKey(c.name) };
}

const PUBLIC_MAIL = new Set([
  "gmail.com", "googlemail.com", "yahoo.com", "yahoo.com.vn", "ymail.com", "hotmail.com", "outlook.com", "outlook.com.vn",
  "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "zoho.com", "gmx.com",
  "mail.com", "yandex.com", "qq.com", "163.com", "fpt.vn", "vnn.vn", "viettel.vn",
]);

/** The company part of an email address, or null for a public mailbox. */
export function companyDomain(email: string | null | undefined): string | null {
  const e = normaliseEmail(email);
  const domain = e?.split("@")[1] ?? null;
  return domain && !PUBLIC_MAIL.has(domain) ? domain : null;
}

const identifierLike = (v: string) => v.length >= 6 && /\d/.test(v);

function attributeMap(json: string | null): Map<string, string> {
  const out = new Map<string, string>();
  let obj: unknown;
  try {
    obj = JSON.parse(json ?? "{}");
  } catch {
    return out;
  }
  if (!obj || typeof obj !== "object") return out;
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (typeof v !== "string" && typeof v !== "number") continue;
    const value = foldVietnamese(String(v)).replace(/\s+/g, " ").trim();
    if (identifierLike(value)) out.set(foldVietnamese(k).trim(), value);
  }
  return out;
}

export interface NameCandidate {
  name: string | null;
  email: string | null;
  avatar_url: string | null;
  attributes: string | null;
}

/** One profile's details a same-name partner is compared on, read once however many partners it has. */
export function nameDetails(c: NameCandidate): { avatar: string | null; domain: string | null; attributes: Map<string, string> } {
  return { avatar: c.avatar_url, domain: companyDomain(c.email), attributes: attributeMap(c.attributes) };
}

/** The second detail two profiles with the same name key share, or null: then they are not suggested. */
export function nameMatch(key: string, a: ReturnType<typeof nameDetails>, b: NameCandidate): SharedDetail | null {
  if (a.avatar && a.avatar === b.avatar_url) return { name: key, avatar: true };
  if (a.domain && b.email && a.domain === companyDomain(b.email)) return { name: key, domain: a.domain };
  if (!a.attributes.size || !b.attributes || b.attributes === "{}") return null;
  const theirs = attributeMap(b.attributes);
  for (const [k, v] of a.attributes) {
    if (theirs.get(k) === v) return { name: key, attribute: { key: k, value: v } };
  }
  return null;
}

/** A pair is kept once, the lower id first. */
export const pairOf = (x: number, y: number): [number, number] => (x < y ? [x, y] : [y, x]);
