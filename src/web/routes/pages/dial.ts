// Whether the inbox offers click-to-call: some saved channel's kind places calls right now.
import type { Pano } from "../../../pano.ts";
import { channelKind, hasChannelKind } from "../../../channels/registry.ts";

export function canPlaceCalls(pano: Pano): boolean {
  return pano.channels.list().some((ch) => hasChannelKind(ch.type) && !!channelKind(ch.type).placesCalls?.(ch));
}
