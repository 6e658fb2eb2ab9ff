// Text from outside that Pano stores and shows as a name.

// NUL, and the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they make
// a name render as something else ("gnp.exe" shown reversed) and can spill into the text around it.
// U+200E/U+200F (LRM/RLM) stay: they are plain direction marks legitimately typed in Arabic or
// Hebrew names, change no character's order and cannot flip the surrounding text.
const HIDDEN_CONTROL = /[\u0000\u202A-\u202E\u2066-\u2069]/g;

/** A person's, team's or channel's name as stored: without NUL and bidi overrides, trimmed; null when nothing is left. */
export function cleanName(name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  const clean = name.replace(HIDDEN_CONTROL, "").trim();
  return clean || null;
}

/** An http(s) URL, or null: an avatar must never be a javascript:, data: or file: URL. */
export function webUrlOrNull(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}
