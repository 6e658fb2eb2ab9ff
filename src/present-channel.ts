// A channel as the API shows it (interface.md, Channels). Apart from present.ts because it asks the
// channel kinds which config fields are public: the ingest thread renders webhook payloads with
// present.ts and must not load every channel kind (and Hono) to do it.
import type { ChannelRecord } from "./store/channels.ts";
import { channelKind, hasChannelKind } from "./channels/registry.ts";
import { iso, sid } from "./present.ts";

export function presentChannel(c: ChannelRecord) {
  // A kind may name config fields that are public (web_chat's widget_token): they join the object.
  const pub = hasChannelKind(c.type) ? (channelKind(c.type).publicFields ?? []) : [];
  const extra = Object.fromEntries(pub.filter((f) => (c.config as Record<string, unknown>)[f] !== undefined).map((f) => [f, (c.config as Record<string, unknown>)[f]]));
  return { id: sid(c.id), type: c.type, name: c.name, status: c.status, status_detail: c.statusDetail, ...extra, created_at: iso(c.createdAt) };
}
