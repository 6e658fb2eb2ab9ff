// The "test connection" button: the channel kind's own testConnection, run on the values in the
// form (saved or not). The API channel has none of its own, so its callback URL gets a signed ping.
import type { Pano } from "../../../pano.ts";
import type { Channel } from "../../../channels/channel.ts";
import type { Translate } from "../../../../views/i18n/index.ts";
import { channelKind } from "../../../channels/registry.ts";
import { signBody } from "../../../channels/api/index.ts";

export interface TestOutcome {
  ok: boolean;
  message: string;
}

export async function testChannel(pano: Pano, channel: Channel, t: Translate): Promise<TestOutcome> {
  const kind = channelKind(channel.type);
  if (kind.testConnection) {
    try {
      const r = await kind.testConnection(channel, pano.runtime);
      return { ok: r.ok, message: t(r.ok ? "settings.channels.test_ok" : "settings.channels.test_failed", { detail: r.detail }) };
    } catch (err) {
      return { ok: false, message: t("settings.channels.test_failed", { detail: String((err as Error)?.message ?? err) }) };
    }
  }
  if (channel.type === "api") return pingCallback(pano, channel as Channel<{ callback_url?: string | null; callback_secret?: string | null }>, t);
  return { ok: false, message: t("settings.channels.test_unavailable") };
}

/** Like a webhook provider's "ping" event: same signature scheme as real replies, nothing stored. */
async function pingCallback(pano: Pano, ch: Channel<{ callback_url?: string | null; callback_secret?: string | null }>, t: Translate): Promise<TestOutcome> {
  const url = ch.config.callback_url;
  if (!url) return { ok: true, message: t("settings.channels.api_no_callback") };
  const body = JSON.stringify({ event: "ping", channel_id: ch.id ? String(ch.id) : null, created_at: new Date().toISOString() });
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Pano" };
  if (ch.config.callback_secret) headers["x-pano-signature"] = signBody(body, ch.config.callback_secret);
  try {
    const res = await pano.runtime.fetchOutside(url, { method: "POST", headers, body, timeoutMs: 10_000, keepBody: false });
    return res.ok
      ? { ok: true, message: t("settings.channels.api_callback_ok", { status: res.status }) }
      : { ok: false, message: t("settings.channels.api_callback_failed", { status: res.status }) };
  } catch (err) {
    return { ok: false, message: t("settings.channels.api_callback_unreachable", { detail: String((err as Error)?.message ?? err) }) };
  }
}
