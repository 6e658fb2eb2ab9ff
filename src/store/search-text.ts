// What a message is found by, as text: shared by the writers that index inline and the search
// thread (search-index-worker.ts), which must not load the store's connections to compute it.
import { foldVietnamese, phoneNumbersIn } from "../domain/contact.ts";

/**
 * What a message is found by: its text (for email, the new part without the quoted history), its
 * subject, and any phone number it spells out in groups, also as one number.
 */
export function messageSearchText(text: string, meta: string | null): string {
  const phones = phoneNumbersIn(text);
  return foldVietnamese([subjectOf(meta), text, ...phones].filter(Boolean).join("\n"));
}

/** An email's subject from a message's meta JSON ("" when it has none): indexed, and shown by search. */
export function subjectOf(meta: string | null): string {
  if (!meta?.includes('"subject"')) return "";
  try {
    const s = (JSON.parse(meta) as { subject?: unknown }).subject;
    return typeof s === "string" ? s : "";
  } catch {
    return "";
  }
}
