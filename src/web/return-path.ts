// Where Pano may send a browser back to (login's `next`, the language switch's Referer): only a
// path on Pano's own origin. The check runs on what a browser makes of the text, not on the text:
// browsers drop tabs and newlines from a URL and read "\" as "/", so "/<tab>/evil.example" is
// "//evil.example" to them, and "/.//evil.example" normalises to the same.
export function sameOriginPath(raw: string | null | undefined, origin: string, fallback = "/"): string {
  if (!raw) return fallback;
  let url: URL;
  try {
    url = new URL(raw.replace(/[\t\n\r]/g, ""), origin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(origin).origin) return fallback;
  // Built from the parsed URL, so it is percent-encoded: no newline can reach a Location header.
  const path = url.pathname + url.search + url.hash;
  return path.startsWith("/") && !path.startsWith("//") ? path : fallback;
}
