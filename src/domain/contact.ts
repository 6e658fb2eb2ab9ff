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

/** Merging keeps the survivor's values and fills its gaps from the other. */
export function mergeFields<T extends Record<string, unknown>>(survivor: T, other: T): T {
  const out: Record<string, unknown> = { ...survivor };
  for (const [k, v] of Object.entries(other)) {
    if (out[k] === null || out[k] === undefined || out[k] === "") out[k] = v;
  }
  return out as T;
}
