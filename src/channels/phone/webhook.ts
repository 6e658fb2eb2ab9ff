// POST /webhooks/phone/<webhook_token>/events: the token finds the channel (unknown: 404); a generic
// PBX's delivery must carry a good signature (else 401, nothing stored); a call on a number that is
// not one of the channel's is acknowledged and logged, not stored.
import type { Channel, ChannelLookup, WebhookRequest, WebhookVerdict } from "../channel.ts";
import type { PhoneConfig } from "./config.ts";
import { signatureMatches, genericCallSchema, shopSide } from "./generic.ts";
import { stringeeEventSchema, stringeeShopNumber } from "./stringee.ts";
import { shopNumber } from "./config.ts";

export const EVENTS_PATH = "/:token/events";

const reject = (status: 400 | 401 | 404, code: string, message: string): WebhookVerdict => ({ kind: "reject", status, code, message });

export function phoneWebhook(req: WebhookRequest, channels: ChannelLookup): WebhookVerdict {
  const m = /^\/([A-Za-z0-9_-]{16,64})\/events$/.exec(req.path);
  const channel = m ? (channels.byExternalKey("phone", m[1]) as Channel<PhoneConfig> | undefined) : undefined;
  if (!channel || req.method !== "POST") return reject(404, "not_found", "No phone channel has this webhook address");
  const config = channel.config;
  if (config.provider === "generic" && !signatureMatches(req.raw, req.headers.get("x-pano-signature"), config.signing_secret ?? "")) {
    return reject(401, "bad_signature", "X-Pano-Signature does not match the body");
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(req.raw));
  } catch {
    return reject(400, "bad_json", "The body is not JSON");
  }
  const numbers = config.numbers.map(shopNumber);
  if (config.provider === "generic") {
    const call = genericCallSchema.safeParse(body);
    if (!call.success) return reject(400, "bad_call", `Not a call event: ${call.error.issues[0]?.path.join(".")} ${call.error.issues[0]?.message}`);
    const ours = shopNumber(shopSide(call.data));
    return numbers.includes(ours) ? accept(channel, call.data) : { kind: "accept", deliveries: [], unknownKeys: [ours] };
  }
  const event = stringeeEventSchema.safeParse(body);
  // Stringee posts room and other events to the same project URL: acknowledged, nothing to store.
  if (!event.success) return { kind: "accept", deliveries: [], unknownKeys: [] };
  const ours = stringeeShopNumber(event.data, numbers);
  return ours ? accept(channel, event.data) : { kind: "accept", deliveries: [], unknownKeys: [`${event.data.from.number}->${event.data.to.number}`] };
}

const accept = (channel: Channel, payload: unknown): WebhookVerdict => ({ kind: "accept", deliveries: [{ channel, payload }], unknownKeys: [] });
