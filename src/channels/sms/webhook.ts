// /webhooks/sms/<webhook_token>/events: the token finds the channel (unknown: 404). An Android
// gateway POSTs signed events: a bad signature or a timestamp outside the window is 401 and nothing
// is stored. eSMS GETs its delivery reports there unsigned: the secret token is what vouches for them.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Channel, ChannelLookup, WebhookRequest, WebhookVerdict } from "../channel.ts";
import type { SmsConfig } from "./config.ts";
import { gatewaySignatureOk } from "./gateway.ts";

export const EVENTS_PATH = "/:token/events";

const reject = (status: 400 | 401 | 404, code: string, message: string): WebhookVerdict => ({ kind: "reject", status, code, message });

const gatewayEventSchema = z.object({
  event: z.string().max(50),
  id: z.string().max(200).optional().nullable(),
  deviceId: z.string().max(200).optional().nullable(),
  payload: z.record(z.string(), z.unknown()),
});
export type GatewayEvent = z.infer<typeof gatewayEventSchema>;

/** What parse() gets: the gateway's event and the digest of the signed body it came in (the dedupe key). */
export type SmsDelivery = { gateway: GatewayEvent; digest: string } | { esms: Record<string, string> };

export function smsWebhook(req: WebhookRequest, channels: ChannelLookup): WebhookVerdict {
  const m = /^\/([A-Za-z0-9_-]{16,64})\/events$/.exec(req.path);
  const channel = m ? (channels.byExternalKey("sms", m[1]) as Channel<SmsConfig> | undefined) : undefined;
  if (!channel) return reject(404, "not_found", "No SMS channel has this webhook address");
  if (channel.config.provider === "esms") {
    // eSMS calls back with GET; a POST form is read the same way.
    const query = req.method === "GET" ? req.query : new URLSearchParams(new TextDecoder().decode(req.raw));
    if (!query.get("SMSID") && !query.get("RequestId")) return reject(400, "bad_report", "A delivery report names SMSID or RequestId");
    return accept(channel, { esms: Object.fromEntries(query) });
  }
  if (req.method !== "POST") return reject(404, "not_found", "The SMS gateway posts its events");
  const verdict = gatewaySignatureOk(req.raw, req.headers.get("x-timestamp"), req.headers.get("x-signature"), channel.config.signing_key ?? "", Date.now());
  if (verdict === "bad_signature") return reject(401, "bad_signature", "X-Signature does not match the body and X-Timestamp");
  if (verdict === "stale") return reject(401, "stale_timestamp", "X-Timestamp is more than 5 minutes from now");
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(req.raw));
  } catch {
    return reject(400, "bad_json", "The body is not JSON");
  }
  const event = gatewayEventSchema.safeParse(body);
  if (!event.success) return reject(400, "bad_event", `Not a gateway event: ${event.error.issues[0]?.path.join(".")} ${event.error.issues[0]?.message}`);
  // The gateway's messageId is derived from the text and is not unique; the signed body is this delivery.
  const digest = createHash("sha256").update(req.raw).digest("hex").slice(0, 32);
  return accept(channel, { gateway: event.data, digest });
}

const accept = (channel: Channel, payload: SmsDelivery): WebhookVerdict => ({ kind: "accept", deliveries: [{ channel, payload }], unknownKeys: [] });
