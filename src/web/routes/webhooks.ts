// Provider webhooks: verify on the raw bytes, parse, store durably, then answer 200.
// Nothing slow runs before the answer; nothing is acknowledged that is not committed.
import { Hono } from "hono";
import type { Pano } from "../../pano.ts";
import { hasChannelKind, channelKind } from "../../channels/registry.ts";
import type { InboundEvent } from "../../domain/message.ts";
import { errorBody } from "../errors.ts";
import { RateLimiter } from "../auth.ts";
import { clientIp } from "../client-ip.ts";

// Signed deliveries are never throttled (providers burst at sales peaks); an address that keeps
// sending unsigned or forged ones is, so a flood of junk cannot keep the verifier busy.
const REJECTS_PER_MINUTE = 30;

export function webhookRoutes(pano: Pano) {
  const app = new Hono();
  const rejects = new RateLimiter(REJECTS_PER_MINUTE, 60_000);

  app.on(["GET", "POST"], "/:type", async (c) => {
    const type = c.req.param("type");
    const kind = hasChannelKind(type) ? channelKind(type) : null;
    if (!kind?.webhook) return c.json(errorBody("not_found", "No webhook for this channel type"), 404);
    const started = performance.now();
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (raw.byteLength > pano.config.maxBodyBytes) return c.json(errorBody("payload_too_large", "Webhook body over the limit"), 413);
    // The query string matters only to a provider's GET handshake: parsed only if asked for.
    let query: URLSearchParams | undefined;
    const verdict = kind.webhook(
      { method: c.req.method, raw, headers: c.req.raw.headers, get query() { return (query ??= new URL(c.req.url).searchParams); } },
      pano.channels,
    );
    if (verdict.kind === "reply") return c.body(verdict.body, verdict.status as never, { "content-type": verdict.contentType ?? "text/plain" });
    if (verdict.kind === "reject") {
      // Looked up only here: the address costs a call per request and only rejects are limited.
      const ip = clientIp(c, pano.config.trustProxy);
      // A throttled address hears 429 and stops filling the log; its valid deliveries still pass.
      if (rejects.exhausted(ip)) {
        pano.metrics.inc("pano_webhook_rejected_total", "Webhook deliveries refused", { channel: type, reason: "rate_limited" });
        return c.json(errorBody("rate_limited", "Too many rejected deliveries from this address; try again in a minute"), 429, { "retry-after": "60" });
      }
      rejects.allow(ip);
      pano.metrics.inc("pano_webhook_rejected_total", "Webhook deliveries refused", { channel: type, reason: verdict.code });
      pano.log("warn", "webhook rejected", { channel: type, code: verdict.code, status: verdict.status });
      return c.json(errorBody(verdict.code, verdict.message), verdict.status);
    }
    for (const key of verdict.unknownKeys) {
      pano.metrics.inc("pano_webhook_unknown_total", "Webhook events for no configured channel", { channel: type });
      pano.log("warn", "webhook for unknown channel; acknowledged, not stored", { channel: type, key });
    }
    const events: InboundEvent[] = [];
    for (const d of verdict.deliveries) {
      if (d.channel.status === "paused") continue;
      try {
        events.push(...kind.parse(d.payload, d.channel));
      } catch (err) {
        pano.log("error", "webhook payload could not be parsed", { channel: type, channel_id: d.channel.id, error: String(err) });
        return c.json(errorBody("bad_request", "The payload could not be parsed"), 400);
      }
    }
    await pano.ingest.submit(events);
    pano.metrics.observe("pano_webhook_ack_seconds", "Time from webhook arrival to durable acknowledgement", (performance.now() - started) / 1000, { channel: type });
    return c.text("EVENT_RECEIVED", 200);
  });

  return app;
}
