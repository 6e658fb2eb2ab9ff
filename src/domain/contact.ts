// Contacts: one customer, many channel identities; search that ignores Vietnamese diacritics.

/** "Nguyễn Thị Hồng" -> "nguyen thi hong": what customers and agents type without diacritics. */
export function foldVietnamese(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase();
}

/** Vietnamese numbers are written +84 9x, 84 9x or 09x: one canonical form for matching. */
export function normalisePhone(phone: string | undefined | null): string | null {
  if (!phone) return null;
  let digits = phone.replace(/[^\d+]/g, "");
  if (digits.startsWith("+")) digits = digits.slice(1);
  if (digits.startsWith("84") && digits.length >= 11) digits = "0" + digits.slice(2);
  return digits.length >= 8 ? digits : null;
}

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
