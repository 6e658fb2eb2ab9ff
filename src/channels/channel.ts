// The one interface every channel implements. The core reaches channels only through the
// registry (src/channels/registry.ts), so adding a channel is a folder plus one line there.
import type { z } from "zod";
import type { ChannelType, InboundEvent, OutboundMessage, SendResult, ContactRef } from "../domain/message.ts";
import type { FetchOutside } from "../net/outside-fetch.ts";

export type ChannelStatus = "active" | "needs_reconnect" | "error" | "paused";

/** A configured channel as the adapters see it; `config` holds decrypted secrets. */
export interface Channel<C = Record<string, unknown>> {
  id: number;
  type: ChannelType;
  name: string;
  status: ChannelStatus;
  config: C;
}

export interface WebhookRequest {
  method: string;
  raw: Uint8Array;
  headers: Headers;
  query: URLSearchParams;
}

/** Finds channels by the provider's own id for them (Page id, OA id). */
export interface ChannelLookup {
  byExternalKey(type: ChannelType, key: string): Channel | undefined;
  ofType(type: ChannelType): Channel[];
}

export type WebhookVerdict =
  /** Handshakes (Facebook's GET): answer directly. */
  | { kind: "reply"; status: number; body: string; contentType?: string }
  | { kind: "reject"; status: 400 | 401 | 403; code: string; message: string }
  /**
   * Verified deliveries grouped by channel; keys that match no channel are logged, not stored.
   * `unverified`: nothing in the request could be checked (no secret for an unknown OA), so it
   * counts against the sender's address like a rejected one.
   */
  | { kind: "accept"; deliveries: { channel: Channel; payload: unknown }[]; unknownKeys: string[]; unverified?: boolean };

/** Told of an event (or part of one) in a verified delivery that parse() could not read: that is dropped, the rest kept. */
export type SkipEvent = (problem: string, event: unknown) => void;

/** Services a channel may use at run time; passed in so tests control time and HTTP. */
export interface ChannelRuntime {
  /** For the operator-set provider bases (rt.urls) only. */
  http: typeof fetch;
  /** For any URL that came from outside (attachments, callbacks): http(s) to public addresses, bounded. */
  fetchOutside: FetchOutside;
  now(): Date;
  /** facebookGraphVersion: PANO_FACEBOOK_GRAPH_VERSION, used when a channel pins none. */
  urls: { facebookGraph: string; facebookGraphVersion?: string; zaloApi: string; zaloOauth: string; publicUrl: string };
  log(level: "debug" | "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>): void;
  /** Persist a config change (e.g. rotated tokens) in one transaction; resolves after commit. */
  updateConfig(channelId: number, patch: Record<string, unknown>): Promise<void>;
  setStatus(channelId: number, status: ChannelStatus, detail: string | null): Promise<void>;
  /** Hand events to the one ingest path (pollers use this). Resolves after commit. */
  ingest(events: InboundEvent[]): Promise<void>;
  /** Current channel row (config may have changed since start, e.g. refreshed tokens). */
  current(channelId: number): Channel | undefined;
  /** Poller state that must survive restarts (IMAP UIDVALIDITY/last UID). */
  state: {
    get(channelId: number, key: string): string | null;
    set(channelId: number, key: string, value: string): Promise<void>;
  };
  dataDir: string;
}

/** Why an agent cannot send right now, known before they type (24 h window, unfollowed...). */
export interface ComposerVerdict {
  canSend: boolean;
  code?: string;
  /** Reason key in the message catalogue, with values. */
  reason?: { vi: string; en: string };
  /** Character limit of one message on this channel (the composer counts). */
  limit?: number;
}

export interface ChannelKind<C = any> {
  type: ChannelType;
  /** Validates admin input; the channel decides which fields are secrets. */
  configSchema: z.ZodType<C>;
  secretFields: readonly string[];
  /** Config fields holding a URL Pano will fetch (a callback): a private or loopback host is refused when saved. */
  outsideUrlFields?: readonly string[];
  /** Secret -> the fields saying where it is sent: a blank secret keeps the saved one only while these are unchanged. */
  secretDestinations?: Readonly<Record<string, readonly string[]>>;
  /** Provider's id for this channel (page_id, oa_id) used for webhook routing; null if none. */
  externalKey(config: C): string | null;
  /** Webhook handling: verify on the raw bytes and route to channels. No storage here. */
  webhook?(req: WebhookRequest, channels: ChannelLookup): WebhookVerdict;
  /** Pure: a verified payload for this channel -> normalised events; what it cannot read is dropped and told to `skip`. */
  parse(payload: unknown, channel: Channel<C>, skip?: SkipEvent): InboundEvent[];
  send(msg: OutboundMessage, channel: Channel<C>, rt: ChannelRuntime): Promise<SendResult>;
  /** Long-lived tasks (IMAP poller, token refresh). Returns a stop function. */
  start?(channel: Channel<C>, rt: ChannelRuntime): () => Promise<void>;
  fetchProfile?(contactExternalId: string, channel: Channel<C>, rt: ChannelRuntime): Promise<Partial<ContactRef> | null>;
  composer?(ctx: { lastInboundAt: Date | null; now: Date; contactFollows: boolean | null }, channel: Channel<C>): ComposerVerdict;
  /** Settings' "test connection" button. */
  testConnection?(channel: Channel<C>, rt: ChannelRuntime): Promise<{ ok: boolean; detail: string }>;
}
