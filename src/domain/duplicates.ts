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
  email: string | null;
  avatar_url: string | null;
  attributes: string | null;
}

/**
 * The name-plus-detail keys of a profile with a comparable name, one per second detail it has: two
 * profiles sharing any key are the same name with one shared detail, found by an exact (indexed)
 * match instead of comparing every namesake. Each key comes with what the pair would be told.
 */
export function nameDetailKeys(name: string | null, c: NameCandidate): { key: string; detail: SharedDetail }[] {
  if (!name) return [];
  const out: { key: string; detail: SharedDetail }[] = [];
  if (c.avatar_url) out.push({ key: `${name}\u0001avatar\u0001${c.avatar_url}`, detail: { name, avatar: true } });
  const domain = companyDomain(c.email);
  if (domain) out.push({ key: `${name}\u0001domain\u0001${domain}`, detail: { name, domain } });
  for (const [key, value] of attributeMap(c.attributes)) out.push({ key: `${name}\u0001attr\u0001${key}\u0001${value}`, detail: { name, attribute: { key, value } } });
  return out;
}

/** A pair is kept once, the lower id first. */
export const pairOf = (x: number, y: number): [number, number] => (x < y ? [x, y] : [y, x]);
