// Config fields that name a URL Pano will later fetch (the API channel's callback_url). A private
// or loopback host typed there is refused when the channel is saved, so the admin hears of it
// beside the field instead of from every failed reply; the fetcher still checks each send
// (a public name may resolve to a private address later).
import type { ChannelKind } from "./channel.ts";
import { isPrivateLiteralHost } from "../net/outside-fetch.ts";

/** The first such field whose URL names a private, loopback or metadata host literally; null if none. */
export function privateUrlField(kind: ChannelKind, config: Record<string, unknown>, allowPrivate: boolean): string | null {
  if (allowPrivate) return null;
  for (const field of kind.outsideUrlFields ?? []) {
    const value = config[field];
    if (typeof value !== "string" || !URL.canParse(value)) continue; // the schema speaks of malformed URLs
    if (isPrivateLiteralHost(new URL(value))) return field;
  }
  return null;
}
