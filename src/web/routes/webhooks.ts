// Provider webhooks: verify on the raw bytes, parse, store durably, then answer 200.
// Nothing slow runs before the answer; nothing is acknowledged that is not committed.
// Each kind with a `webhook` gets its own /webhooks/<type> (mounted by the route table, src/web/routes.ts).
import { Hono } from "hono";
import type { Pano } from "../../pano.ts";
import type { ChannelKind, WebhookVerdict } from "../../channels/channel.ts";
import type { ChannelType, InboundEvent } from "../../domain/message.ts";
import type { Server } from "bun";
import { readCappedRequest } from "../../net/capped-body.ts";
import { errorBody, toErrorResponse } from "../errors.ts";
import { RateLimiter } from "../auth.ts";
import { clientIpOf } from "../client-ip.ts";
import { clipped } from "../../log.ts";

// Signed deliveries are never throttled (providers burst at sales peaks); an address that keeps
// sending unsigned or forged ones is, so a flood of junk cannot keep the verifier busy.
const REJECTS_PER_MINUTE = 30;
const UNKNOWN_KEYS_LOGGED = 5;

// Webhooks sit before the page middleware (no CSP: answers are tiny text for providers); the one
// header kept stops a browser sniffing an echoed handshake challenge as a page.
const NOSNIFF = { "x-content-type-options": "nosniff" } as const;

// Every acknowledgement is the same: its init is built once, not per delivery of a peak.
const ACKNOWLEDGED = { status: 200, headers: { "content-type": "text/plain; charset=UTF-8", ...NOSNIFF } } as const;

export const webhookPath = (type: ChannelType) => `/webhooks/${type}`;

/** One limiter for every webhook URL: an address sending junk to one is the same address at another. */
export function webhookRejects(): RateLimiter {
  return new RateLimiter(REJECTS_PER_MINUTE, 60_000);
}

/** Anything else under /webhooks: a type without webhooks, or none installed. */
export function noWebhook() {
  const app = new Hono();
  app.all("*", (c) => c.json(errorBody("not_found", "No webhook for this channel type"), 404, NOSNIFF));
  return app;
}

/** A request to a webhook URL, answered without the web framework (see `webhookRoute`). */
export type WebhookHandler = (req: Request, server?: Server<unknown>) => Promise<Response>;

const json = (body: unknown, status: number, headers?: Record<string, string>) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...NOSNIFF, ...headers } });

/** A delivery no channel this instance knows could verify or take (a refusal for its signature, or events for an unknown page). */
const namesUnknownChannel = (v: WebhookVerdict) =>
  v.kind === "reject" ? v.status === 401 : v.kind === "accept" && (v.unknownKeys.length > 0 || !!v.unverified);

/** The path as the app's router gives it to routes: percent-escapes decoded where they decode. */
function decodedPath(path: string): string {
  if (!path.includes("%")) return path;
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/**
 * GET and POST /webhooks/<type> for one kind with a `webhook`: plain Request in, Response out, so
 * the server can route the hottest URL natively (Bun's own router, commands/serve.ts) and skip the
 * framework's router and context on every delivery of a sales peak.
 */
export function webhookHandler(pano: Pano, kind: ChannelKind & Required<Pick<ChannelKind, "webhook">>, rejects: RateLimiter): WebhookHandler {
  const type = kind.type;
  const base = webhookPath(type);
  const answer = async (req: Request, server?: Server<unknown>): Promise<Response> => {
    const started = performance.now();
    const raw = await readCappedRequest(req, pano.config.maxBodyBytes);
    if (!raw) return json(errorBody("payload_too_large", "Webhook body over the limit"), 413);
    // The URL is parsed only when the path past /webhooks/<type> or the query is needed.
    let url: URL | undefined;
    const parsedUrl = () => (url ??= new URL(req.url));
    const request = {
      method: req.method,
      raw,
      headers: req.headers,
      get path() { return decodedPath(parsedUrl().pathname).slice(base.length).replace(/\/$/, ""); },
      get query() { return parsedUrl().searchParams; },
    };
    let verdict = kind.webhook(request, pano.channels);
    // Another instance may have connected this channel a moment ago: look again before refusing.
    if (namesUnknownChannel(verdict) && (await pano.channelsCaughtUp())) verdict = kind.webhook(request, pano.channels);
    if (verdict.kind === "reply") return new Response(verdict.body, { status: verdict.status, headers: { "content-type": verdict.contentType ?? "text/plain", ...NOSNIFF } });
    // Rejected deliveries, and acknowledged ones nothing could verify (an unknown OA), are limited.
    if (verdict.kind === "reject" || verdict.unverified) {
      // Looked up only here: the address costs a call per request and signed deliveries never pay it.
      const ip = clientIpOf(req, server, pano.config.trustProxy);
      // A throttled address hears 429 and stops filling the log; its valid deliveries still pass.
      if (rejects.exhausted(ip)) {
        pano.metrics.inc("pano_webhook_rejected_total", "Webhook deliveries refused", { channel: type, reason: "rate_limited" });
        return json(errorBody("rate_limited", "Too many rejected deliveries from this address; try again in a minute"), 429, { "retry-after": "60" });
      }
      rejects.allow(ip);
    }
    if (verdict.kind === "reject") {
      pano.metrics.inc("pano_webhook_rejected_total", "Webhook deliveries refused", { channel: type, reason: verdict.code });
      pano.log("warn", "webhook rejected", { channel: type, code: verdict.code, status: verdict.status });
      return json(errorBody(verdict.code, verdict.message), verdict.status);
    }
    if (verdict.unknownKeys.length) {
      pano.metrics.inc("pano_webhook_unknown_total", "Webhook events for no configured channel", { channel: type }, verdict.unknownKeys.length);
      // Ids come from the sender: each is cut short, and one request writes a few lines at most.
      for (const key of verdict.unknownKeys.slice(0, UNKNOWN_KEYS_LOGGED)) {
        pano.log("warn", "webhook for unknown channel; acknowledged, not stored", { channel: type, key: clipped(key) });
      }
      if (verdict.unknownKeys.length > UNKNOWN_KEYS_LOGGED) {
        pano.log("warn", "webhook for unknown channel; more keys not logged", { channel: type, count: verdict.unknownKeys.length - UNKNOWN_KEYS_LOGGED });
      }
    }
    // A verified event Pano cannot read is skipped and logged, never a reason to refuse the rest:
    // a refusal makes the provider redeliver the whole batch until it gives up on all of it.
    const events: InboundEvent[] = [];
    for (const d of verdict.deliveries) {
      if (d.channel.status === "paused") continue;
      const skip = (problem: string, event: unknown) => {
        pano.metrics.inc("pano_webhook_skipped_total", "Verified webhook events that could not be read", { channel: type });
        pano.log("warn", "webhook event partly unreadable", { channel: type, channel_id: d.channel.id, problem: clipped(problem, 200), event: clipped(JSON.stringify(event) ?? "", 200) });
      };
      try {
        events.push(...kind.parse(d.payload, d.channel, skip));
      } catch (err) {
        skip(String(err), d.payload);
      }
    }
    await pano.ingest.submit(events);
    pano.metrics.observe("pano_webhook_ack_seconds", "Time from webhook arrival to durable acknowledgement", (performance.now() - started) / 1000, { channel: type });
    return new Response("EVENT_RECEIVED", ACKNOWLEDGED);
  };
  // What the app's error handler answers for a throw (storage unavailable: 503 with Retry-After).
  const log = (msg: string, f: Record<string, unknown>) => pano.log("error", msg, f);
  return (req, server) => answer(req, server).catch((err) => toErrorResponse({ json }, err, log));
}

/** GET and POST /webhooks/<type> (and the kind's extra paths) in the app, for every caller of app.fetch. */
export function webhookRoute(handler: WebhookHandler, kind: ChannelKind) {
  const app = new Hono();
  app.on(["GET", "POST"], ["/", ...(kind.webhookPaths ?? [])], (c) => handler(c.req.raw, (c.env as { server?: Server<unknown> } | undefined)?.server));
  return app;
}
