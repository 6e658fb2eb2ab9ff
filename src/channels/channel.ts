// The one interface every channel implements. The core reaches channels only through the
// registry (src/channels/registry.ts), so adding a channel is a folder plus one line there.
import type { z } from "zod";
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { ChannelType, InboundEvent, OutboundMessage, SendResult, ContactRef } from "../domain/message.ts";
import type { FetchOutside } from "../net/outside-fetch.ts";
import type { BusinessHours } from "../domain/sla.ts";
import type { CustomerTranscripts } from "../store/customer-transcript.ts";
import type { OutboundSurvey } from "../domain/csat.ts";

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
  /** The URL past /webhooks/<type>: "" there, "/<token>/events" on a path the kind declared in `webhookPaths`. */
  path: string;
}

/** Finds channels by the provider's own id for them (Page id, OA id). */
export interface ChannelLookup {
  byExternalKey(type: ChannelType, key: string): Channel | undefined;
  ofType(type: ChannelType): Channel[];
}

export type WebhookVerdict =
  /** Handshakes (Facebook's GET): answer directly. */
  | { kind: "reply"; status: number; body: string; contentType?: string }
  | { kind: "reject"; status: 400 | 401 | 403 | 404; code: string; message: string }
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
  /**
   * PANO_PUBLIC_URL, and every installed kind's own settings (kind.settings) by name, as the
   * operator set them or the kind's defaults: rt.urls.zaloApi, rt.urls.facebookGraphVersion.
   */
  urls: ChannelUrls;
  log(level: "debug" | "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>): void;
  /** Persist a config change (e.g. rotated tokens) in one transaction; resolves after commit. */
  updateConfig(channelId: number, patch: Record<string, unknown>): Promise<void>;
  setStatus(channelId: number, status: ChannelStatus, detail: string | null): Promise<void>;
  /**
   * Hand an outbound message to another channel for delivery (a website chat mails a visitor who
   * left through its email channel): that channel sends it as its own, and answers that come back
   * through it join the message's conversation. Pano always provides it; a test's hand-made runtime may not.
   */
  relay?(viaChannelId: number, msg: OutboundMessage): Promise<SendResult>;
  /** Hand events to the one ingest path (pollers use this). Resolves after commit. */
  ingest(events: InboundEvent[]): Promise<void>;
  /** Current channel row (config may have changed since start, e.g. refreshed tokens). */
  current(channelId: number): Channel | undefined;
  /**
   * Runs `fn` while nothing else, in this Pano instance or another on the same database, runs one
   * for this channel; `current` is re-read from the database first (another instance may have
   * changed the channel meanwhile). For what must happen once across instances: spending Zalo's
   * single-use refresh token. Pano always provides it; a test's hand-made runtime may not.
   */
  exclusive?<T>(channelId: number, fn: () => Promise<T>): Promise<T>;
  /** Poller state that must survive restarts (IMAP UIDVALIDITY/last UID). */
  state: {
    get(channelId: number, key: string): string | null;
    set(channelId: number, key: string, value: string): Promise<void>;
  };
  dataDir: string;
}

/**
 * A connection test's outcome. The settings page says "Connection works: <detail>" (or failed),
 * unless the kind has a sentence of its own for it: `say`, a key of its messages.
 */
export interface ConnectionTest {
  ok: boolean;
  detail: string;
  say?: { key: string; vars?: Record<string, string | number> };
}

/** Why an agent cannot send right now, known before they type (24 h window, unfollowed...). */
export interface ComposerVerdict {
  canSend: boolean;
  code?: string;
  /** Reason key in the message catalogue, with values. */
  reason?: { vi: string; en: string };
  /** Character limit of one message on this channel (the composer counts). */
  limit?: number;
  /**
   * A path of the kind's own web routes the composer posts its fields to as the agent types (htmx,
   * ?conversation=<id>); the HTML answer is shown beside the counter (an SMS's parts and encoding).
   */
  meter?: string;
}

/** Operator settings a kind reads through rt.urls, keyed by the names the kinds declare. */
export type ChannelUrls = { publicUrl: string } & Record<string, string>;

/** A value the operator may set for a kind (a provider's base URL): src/config.ts reads `env`. */
export interface ChannelSetting {
  /** The environment variable, e.g. PANO_ZALO_API_URL (docs/interface.md names are a contract). */
  env: string;
  default: string;
}

/**
 * What a kind says, in one language. The core shows `name` in lists (inbox, filters, reports),
 * `title` on Settings › Channels, `fields[key]` beside each config field; `messages` are the
 * kind's own sentences, looked up as "<type>.<key>" (facebook.window.outside_window).
 */
export interface ChannelTexts {
  name: string;
  title: string;
  fields: Record<string, string>;
  messages?: Record<string, string>;
}

/** A link on a saved channel's settings page ("Connect with Zalo"). Labels are keys of the kind's messages. */
export interface SettingsLink {
  href: string;
  label: string;
  hint?: string;
}

/** An address the admin pastes into the provider's console, shown on the channel's settings page. */
export interface SettingsEndpoint {
  /** A key of the kind's messages. */
  label: string;
  path: string;
}

/**
 * How the settings form shows a config field that its schema alone cannot say (keyed by dotted path):
 * "list": an array of strings, one per line; "channel": the id of one saved channel of `type`;
 * "generated": a value Pano makes when the channel is created (the schema's default), never typed
 * by the admin: "hidden" is never shown (a signing key), "readonly" is shown but not edited (a public token).
 */
export type FormFieldHint =
  | { kind: "list" }
  | { kind: "channel"; type: ChannelType }
  /** A team's id: the form offers a choice among the teams. */
  | { kind: "team" }
  | { kind: "generated"; show: "hidden" | "readonly" };

/** A line the admin pastes elsewhere (a widget's snippet), shown with a copy button. `label` is a key of the kind's messages. */
export interface SettingsSnippet {
  label: string;
  code: string;
}

type Role = "admin" | "supervisor" | "agent";

/** An agent as a switchboard knows them: phoneUserId (their Stringee user or extension) when set, else their email. */
export interface SwitchboardAgent {
  id: number;
  email: string;
  phoneUserId: string | null;
}

/** What a kind's own HTTP routes may use: passed in by the core, so a channel folder never imports web/. */
export interface ChannelHttp {
  publicUrl: string;
  runtime: ChannelRuntime;
  channel(id: number): Channel | undefined;
  saveChannel(id: number, patch: { config?: Record<string, unknown>; status?: ChannelStatus; statusDetail?: string | null }): Promise<void>;
  /** Restarts a channel's long-lived tasks after its config changed. */
  restartChannel(id: number): Promise<void>;
  log: ChannelRuntime["log"];
  /** Browser routes: a signed-in user (session cookie, CSRF on writes) with one of these roles, else the login page or 403. */
  signedIn(...roles: Role[]): MiddlewareHandler;
  /** API routes (already behind token auth): the token's user has one of these roles (admin also needs the token's admin scope). */
  requireRole(...roles: Role[]): MiddlewareHandler;
  /** The signed-in user's language, after signedIn() or on an API route. */
  language(c: Context): "vi" | "en";
  /** The caller's address for per-address limits, as the core's own limits see it (honours PANO_TRUST_PROXY). */
  clientAddress(c: Context): string;
  /** What a customer may read of their own conversations on a channel (public messages only, never notes). */
  customerTranscripts: CustomerTranscripts;
  /** The channel a provider's callback names by its external key (a webhook token in the URL). */
  channelByKey(type: ChannelType, key: string): Channel | undefined;
  /** A team's business hours (Settings > Teams), parsed; null when the team keeps none or does not exist. */
  businessHours(teamId: number): BusinessHours | null;
  /** Every saved channel of a type (a kind choosing which of its channels places a call). */
  channelsOfType(type: ChannelType): Channel[];
  /**
   * Who should speak with the customer who has this phone now (a switchboard's sticky routing): the
   * owner of their latest unresolved conversation and that conversation's team, online agents only.
   */
  agentsForPhone(phone: string): { owner: SwitchboardAgent | null; team: SwitchboardAgent[] };
  /** After signedIn()/on an API route: the calling user. */
  caller(c: Context): SwitchboardAgent;
  /**
   * The customer behind this channel identity is typing (a website visitor's widget says so): the
   * agents who see their latest conversation there are told at once; nothing is stored.
   */
  customerTyping(channelId: number, contactExternalId: string): void;
  /**
   * A customer rates the survey sent to them on this channel identity (a website visitor's stars), or
   * adds a comment with the same rating; "not_found" when the survey is not theirs or never went out.
   */
  answerSurvey(channelId: number, externalId: string, surveyId: number, rating: number, comment: string | null): Promise<"ok" | "not_found">;
  /** A customer the caller may see (a merged one answers as its survivor), else null: 404 to them. */
  visibleContact(c: Context, id: number): { id: number; name: string | null; phone: string | null } | null;
}

/**
 * HTTP routes a kind brings (OAuth callbacks, a widget's files, a switchboard's answer URL): a Hono
 * sub-app the core mounts at `path`, at the site root ("web": behind the page middleware, no
 * session unless the routes ask for one) or under /api/v1 ("api": behind token auth).
 */
export interface ChannelRoutes {
  /** "provider": a provider's callbacks that answer with data (a switchboard's answer URL), mounted beside the webhooks. */
  area: "web" | "api" | "provider";
  path: string;
  app(http: ChannelHttp): Hono<any>;
  /**
   * Routes under `path` that take a multipart upload (POST) of up to `files` files: they get room for
   * that many PANO_MAX_ATTACHMENT_BYTES beyond the general body limit (the kind's own cap applies after).
   */
  uploads?: readonly { path: string; files: number }[];
}

/** Who is typing where, for ChannelKind.typing: the conversation's customer on this channel and the agent's shown name. */
export interface TypingAgent {
  conversationId: number;
  contactExternalId: string;
  agentName: string | null;
}

/**
 * A customer an agent (or the API, or a routing rule) wants to reach first on a channel, as the
 * core knows them: ChannelKind.outreach decides from this alone, so the core never names kinds.
 */
export interface OutreachTarget {
  contact: { id: number; name: string | null; email: string | null; phone: string | null; attributes: Record<string, unknown> };
  /** Their id on this channel (Zalo user id, PSID, visitor session, mail address) when they have one. */
  externalId: string | null;
  /** Their latest message on this channel, for window rules; null when they never wrote here. */
  lastInboundAt: Date | null;
  /** Whether they follow this channel (Zalo), null when unknown. */
  contactFollows: boolean | null;
  now: Date;
}

/**
 * What the first message is made of, so the composer asks for just that: "text"; "mail" (a subject
 * and a text); "template" (one of the channel's templates with its params); "call" (nothing to
 * type: the agent's phone rings, then the customer's).
 */
export type OutreachForm = "text" | "mail" | "template" | "call";

export type OutreachVerdict =
  | { ok: true; form: OutreachForm }
  /** Why this channel cannot reach the customer now; `code` is the API's 422 error code. */
  | { ok: false; code: string; reason: { vi: string; en: string } };

/** A template the channel's provider approved (a ZNS template), with its params' rules. */
export interface MessageTemplate {
  id: string;
  name: string;
  /** The provider's word: "ENABLE" is usable; anything else is shown and refused. */
  status: string;
  usable: boolean;
  /** The body with <param> placeholders (or a description of it), for the preview. */
  preview: string;
  /** The provider's own rendering of the template, when it has one. */
  previewUrl?: string;
  params: TemplateParam[];
  /** What one send costs, when the provider says (VND). */
  price?: string;
}

export interface TemplateParam {
  name: string;
  type: "text" | "number" | "date" | "currency" | "phone" | "code" | "url";
  required: boolean;
  maxLength: number | null;
  minLength: number;
}

/** What the agent, the API or a rule asks to send first (fields by form: text; subject+text; template). */
export interface OutreachRequest {
  text?: string;
  subject?: string;
  templateId?: string;
  templateData?: Record<string, string>;
  authoredBy: "agent" | "automation";
  /** The agent who asked (a call rings their phone first); null for automation. */
  agent: SwitchboardAgent | null;
}

/** The first message, ready for the outbox (one path out): the core stores it and its outbox row. */
export interface FirstMessage {
  /** What the timeline shows. */
  text: string;
  /** The new conversation's subject (a mail). */
  subject?: string;
  /** Their id on this channel, recorded when they had none (a mail address, a phone number). */
  externalId: string;
  /** Kept on the message and handed back to send() as OutboundMessage.meta (a template and its data). */
  meta?: Record<string, unknown>;
  /** A conversation of its own even when the customer has one open here (a new mail thread). */
  newThread?: boolean;
}

/** Starting a conversation on a kind (POST /api/v1/conversations, "New message" on a profile, a rule's action). */
export interface ChannelOutreach<C = any> {
  /** Whether the channel can reach this customer now, and what the first message is made of; asked before the agent types. */
  check(target: OutreachTarget, channel: Channel<C>, rt: ChannelRuntime): OutreachVerdict;
  /** The first message for this request, or why not (the API's 422, a field's own words). */
  compose(target: OutreachTarget, req: OutreachRequest, channel: Channel<C>, rt: ChannelRuntime): FirstMessage | Extract<OutreachVerdict, { ok: false }>;
  /** The channel's templates, as last synced (form "template"); also offered in a conversation the composer cannot answer in text. */
  templates?(channel: Channel<C>, rt: ChannelRuntime): MessageTemplate[];
  /** Fetches the templates again from the provider (the settings page's "sync" button, and every few hours). */
  syncTemplates?(channel: Channel<C>, rt: ChannelRuntime): Promise<{ ok: true; count: number } | { ok: false; reason: string }>;
  /** Figures the admin sees on the channel's settings page (a daily quota left, recent failures); keys of the kind's messages. */
  usage?(channel: Channel<C>, rt: ChannelRuntime): { label: string; value: string }[];
}

export interface ChannelKind<C = any> {
  type: ChannelType;
  /** Its words in both languages; the core's catalogue merges them (views/i18n). */
  texts: { vi: ChannelTexts; en: ChannelTexts };
  /** One SVG `<symbol id="<type>" viewBox="0 0 24 24">` for the icon sprite. */
  icon: string;
  /** Operator settings it reads through rt.urls (provider base URLs), by name. */
  settings?: Readonly<Record<string, ChannelSetting>>;
  /** Addresses for the settings page besides the webhook URL (shown when `webhook` is set). */
  endpoints?(channelId: number | null): SettingsEndpoint[];
  /** Links on a saved channel's settings page. */
  settingsLinks?(channelId: number): SettingsLink[];
  /** Form hints for config fields the schema cannot describe alone (lists, other channels, generated values). */
  formFields?: Readonly<Record<string, FormFieldHint>>;
  /** Lines to paste elsewhere, shown with a copy button on a saved channel's settings page. */
  settingsSnippets?(channel: Channel<C>, publicUrl: string): SettingsSnippet[];
  /** A page of Pano's own that shows what customers see, framed live on a saved channel's settings page. */
  settingsPreview?(channel: Channel<C>, publicUrl: string): { path: string; title: string } | null;
  /**
   * What its latest customer message's meta says of the customer's situation now (a website visitor's
   * page, referrer, browser), for the panel beside the conversation. `label` is a key of its messages.
   */
  customerContext?(meta: Record<string, unknown>): { label: string; value: string }[];
  /** Its own HTTP routes, mounted by the core's route table (src/web/routes.ts). */
  routes?: readonly ChannelRoutes[];
  /** Validates admin input; the channel decides which fields are secrets. */
  configSchema: z.ZodType<C>;
  secretFields: readonly string[];
  /** Config fields that are public and returned in the channel object (a widget's token for its snippet). */
  publicFields?: readonly string[];
  /** Config fields holding a URL Pano will fetch (a callback): a private or loopback host is refused when saved. */
  outsideUrlFields?: readonly string[];
  /** Secret -> the fields saying where it is sent: a blank secret keeps the saved one only while these are unchanged. */
  secretDestinations?: Readonly<Record<string, readonly string[]>>;
  /** Provider's id for this channel (page_id, oa_id) used for webhook routing; null if none. */
  externalKey(config: C): string | null;
  /**
   * Webhook handling at /webhooks/<type> (GET and POST): verify on the raw bytes and route to
   * channels. No storage here: the core parses, stores and acknowledges.
   */
  webhook?(req: WebhookRequest, channels: ChannelLookup): WebhookVerdict;
  /**
   * Paths under /webhooks/<type> the webhook serves besides the bare one (Hono patterns), for a kind
   * whose URLs carry a secret per channel (phone: "/:token/events"); anything else there stays 404.
   */
  webhookPaths?: readonly string[];
  /** Pure: a verified payload for this channel -> normalised events; what it cannot read is dropped and told to `skip`. */
  parse(payload: unknown, channel: Channel<C>, skip?: SkipEvent): InboundEvent[];
  send(msg: OutboundMessage, channel: Channel<C>, rt: ChannelRuntime): Promise<SendResult>;
  /**
   * Satisfaction surveys (docs/csat.md): a kind that can ask its customers for a rating opts in with
   * this; the outbox calls it instead of send() for a survey (msg.survey), which it shows its own
   * way (quick replies, links, the widget's stars). Answers come back as a typed digit, or as
   * InboundMessageEvent.surveyAnswer from a button its parse() reads. Kinds without it are never surveyed.
   */
  sendSurvey?(msg: OutboundMessage & { survey: OutboundSurvey }, channel: Channel<C>, rt: ChannelRuntime): Promise<SendResult>;
  /** Whether this channel of the kind can take an answer (an outbound-only brandname SMS cannot); default yes. */
  asksSurveys?(channel: Channel<C>): boolean;
  /** Long-lived tasks (IMAP poller, token refresh). Returns a stop function. */
  start?(channel: Channel<C>, rt: ChannelRuntime): () => Promise<void>;
  fetchProfile?(contactExternalId: string, channel: Channel<C>, rt: ChannelRuntime): Promise<Partial<ContactRef> | null>;
  composer?(ctx: { lastInboundAt: Date | null; now: Date; contactFollows: boolean | null }, channel: Channel<C>): ComposerVerdict;
  /**
   * An agent is typing a reply in one of its conversations (the inbox composer says so every few
   * seconds while they type): a kind that can show it to the customer does (a website chat's widget).
   */
  typing?(who: TypingAgent, channel: Channel<C>, rt: ChannelRuntime): void;
  /**
   * Where a call's recording is fetched (through rt.fetchOutside) and with which headers (a
   * provider's API key, sent only to that URL's origin, not on after a redirect); null when this
   * call has none to fetch. The core stores it like an attachment.
   */
  recording?(call: { callId: string; recordingUrl: string | null }, channel: Channel<C>, rt: ChannelRuntime): { url: string; headers?: Record<string, string> } | null;
  /**
   * Whether this channel places calls to a customer now (an active switchboard): the customer panel
   * and the conversation header then offer "Gọi điện", which posts to the kind's own web route
   * POST /contacts/:id/calls (its answer: a short HTML status line for the agent).
   */
  placesCalls?(channel: Channel<C>): boolean;
  /** Starting a conversation with a customer on this channel; a kind without it cannot start one. */
  outreach?: ChannelOutreach<C>;
  /** Settings' "test connection" button. */
  testConnection?(channel: Channel<C>, rt: ChannelRuntime): Promise<ConnectionTest>;
}
