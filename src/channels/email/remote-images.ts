// Showing an email's remote images, on an agent's request: the sanitizer (sanitize-html) is
// loaded then, not with every Pano that starts.
type Sanitize = typeof import("./sanitize.ts");
let sanitize: Sanitize | undefined;

export async function loadRemoteImages(): Promise<void> {
  sanitize ??= await import("./sanitize.ts");
}

/** The stored safe HTML with its parked remote images put back (after loadRemoteImages). */
export function withRemoteImages(safeHtml: string): string {
  if (!sanitize) throw new Error("withRemoteImages before loadRemoteImages");
  return sanitize.withRemoteImages(safeHtml);
}
