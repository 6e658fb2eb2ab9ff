// The API channel's "test connection": like a webhook provider's "ping" event, POSTed to the
// callback URL with the same signature as real replies; nothing is stored.
import type { Channel, ChannelRuntime, ConnectionTest } from "../channel.ts";
import { signBody } from "../../net/signature.ts";

type PingConfig = { callback_url?: string | null; callback_secret?: string | null };

export async function pingCallback(ch: Channel<PingConfig>, rt: ChannelRuntime): Promise<ConnectionTest> {
  const url = ch.config.callback_url;
  if (!url) return { ok: true, detail: "no callback URL", say: { key: "no_callback" } };
  const body = JSON.stringify({ event: "ping", channel_id: ch.id ? String(ch.id) : null, created_at: rt.now().toISOString() });
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Pano" };
  if (ch.config.callback_secret) headers["x-pano-signature"] = signBody(body, ch.config.callback_secret);
  try {
    const res = await rt.fetchOutside(url, { method: "POST", headers, body, timeoutMs: 10_000, keepBody: false });
    return { ok: res.ok, detail: `HTTP ${res.status}`, say: { key: res.ok ? "callback_ok" : "callback_failed", vars: { status: res.status } } };
  } catch (err) {
    const detail = String((err as Error)?.message ?? err);
    return { ok: false, detail, say: { key: "callback_unreachable", vars: { detail } } };
  }
}
