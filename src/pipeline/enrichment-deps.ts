// What the after-commit fetchers share: profiles and attachments (enrich.ts), call recordings (call-recordings.ts).
import type { Store } from "../store/db.ts";
import type { Writer } from "../store/writer.ts";
import type { EventBus } from "./events.ts";
import type { ChannelDirectory } from "../store/channels.ts";
import type { ChannelRuntime } from "../channels/channel.ts";
import type { Logger } from "../log.ts";

export interface EnrichmentDeps {
  store: Store;
  writer: Writer;
  events: EventBus;
  channels: ChannelDirectory;
  runtime: ChannelRuntime;
  log: Logger;
  dataDir: string;
  maxBytes: number;
}
