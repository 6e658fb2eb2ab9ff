// GET: Meta's subscription handshake. POST: signed deliveries, verified on the raw bytes, then
// split by Page id (entry[].id) so one batch can carry several Pages of the same app.
import type { Channel, ChannelLookup, WebhookRequest, WebhookVerdict } from "../channel.ts";
import type { FacebookConfig } from "./config.ts";
import { matchingSecret, knownVerifyToken } from "./signature.ts";

export interface FacebookEntry {
  id: string;
  time?: number;
  messaging?: unknown[];
  standby?: unknown[];
}

/** What parse() receives for one channel: the entries of one delivery addressed to its Page. */
export interface FacebookPayload {
  entries: FacebookEntry[];
}

const pages = (channels: ChannelLookup) => channels.ofType("facebook") as Channel<FacebookConfig>[];

function handshake(req: WebhookRequest, channels: ChannelLookup): WebhookVerdict {
  const mode = req.query.get("hub.mode");
  const token = req.query.get("hub.verify_token");
  const challenge = req.query.get("hub.challenge");
  if (mode !== "subscribe" || !token || challenge === null) {
    return { kind: "reject", status: 403, code: "forbidden", message: "Not a valid subscription request" };
  }
  const known = knownVerifyToken(token, pages(channels).map((c) => c.config.verify_token));
  if (!known) return { kind: "reject", status: 403, code: "forbidden", message: "The verify token matches no Facebook channel" };
  return { kind: "reply", status: 200, body: challenge, contentType: "text/plain" };
}

function delivery(req: WebhookRequest, channels: ChannelLookup): WebhookVerdict {
  const all = pages(channels);
  const secret = matchingSecret(req.raw, req.headers.get("x-hub-signature-256"), new Set(all.map((c) => c.config.app_secret)));
  if (!secret) return { kind: "reject", status: 401, code: "unauthorized", message: "Missing or invalid X-Hub-Signature-256" };
  let body: { object?: unknown; entry?: unknown };
  try {
    body = JSON.parse(new TextDecoder().decode(req.raw));
  } catch {
    return { kind: "reject", status: 400, code: "bad_request", message: "The body is not valid JSON" };
  }
  if (!body || typeof body !== "object" || !Array.isArray(body.entry)) {
    return { kind: "reject", status: 400, code: "bad_request", message: "Expected {\"object\":\"page\",\"entry\":[...]}" };
  }
  // Instagram and other objects share the URL shape; they are not a Page's Messenger inbox.
  if (body.object !== "page") return { kind: "accept", deliveries: [], unknownKeys: [`object:${String(body.object)}`] };
  const grouped = new Map<number, { channel: Channel; payload: FacebookPayload }>();
  const unknownKeys: string[] = [];
  for (const e of body.entry as FacebookEntry[]) {
    const pageId = e && typeof e === "object" ? String(e.id ?? "") : "";
    const ch = pageId ? (channels.byExternalKey("facebook", pageId) as Channel<FacebookConfig> | undefined) : undefined;
    // A Page connected through another app must not accept events signed with this app's secret.
    if (!ch || ch.config.app_secret !== secret) {
      unknownKeys.push(pageId || "(no page id)");
      continue;
    }
    const g = grouped.get(ch.id) ?? { channel: ch as Channel, payload: { entries: [] as FacebookEntry[] } };
    g.payload.entries.push(e);
    grouped.set(ch.id, g);
  }
  return { kind: "accept", deliveries: [...grouped.values()], unknownKeys };
}

export function facebookWebhook(req: WebhookRequest, channels: ChannelLookup): WebhookVerdict {
  return req.method === "GET" ? handshake(req, channels) : delivery(req, channels);
}
