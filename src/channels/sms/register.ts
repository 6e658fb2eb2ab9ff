// Pano tells the gateway where to post its events whenever the channel (re)starts: on save, and on
// every start of Pano (the phone may have been reset). Until the gateway takes them the channel
// shows why, and Pano tries again with growing pauses (30 s up to 15 min). A deleted channel's
// webhooks are taken off the phone.
import type { Channel, ChannelRuntime, ConnectionTest } from "../channel.ts";
import type { SmsConfig } from "./config.ts";
import { registerWebhooks, unregisterWebhooks, type Registration } from "./gateway.ts";
import { speaker } from "../texts.ts";
import { smsTexts } from "./texts.ts";

const say = speaker(smsTexts);
const FIRST_RETRY_MS = 30_000;
const LAST_RETRY_MS = 15 * 60_000;

const failureKey = (r: Extract<Registration, { ok: false }>) => `test.${r.code}` as const;

export function keepWebhooksRegistered(channel: Channel<SmsConfig>, rt: ChannelRuntime): () => Promise<void> {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pause = FIRST_RETRY_MS;
  const attempt = async () => {
    if (stopped) return;
    const current = (rt.current(channel.id) as Channel<SmsConfig> | undefined) ?? channel;
    const r = await registerWebhooks(current, rt);
    if (stopped) return;
    if (r.ok) {
      rt.log("info", "sms: webhooks registered with the gateway", { channel_id: channel.id, count: r.count });
      if (current.status === "error") await rt.setStatus(channel.id, "active", null);
      return;
    }
    const detail = say("register.failed", { reason: say.in("en")(failureKey(r), r.vars) }).en;
    rt.log("warn", "sms: the gateway did not take Pano's webhooks", { channel_id: channel.id, code: r.code });
    await rt.setStatus(channel.id, r.code === "bad_credentials" ? "needs_reconnect" : "error", detail);
    timer = setTimeout(() => void attempt().catch(() => {}), pause);
    pause = Math.min(pause * 2, LAST_RETRY_MS);
  };
  void attempt().catch((err) => rt.log("error", "sms: registering webhooks crashed", { channel_id: channel.id, error: String(err) }));
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    // Stopped because the channel was deleted: the phone should stop posting to an address that is gone.
    // Not awaited: a phone out of reach must not hold up the deletion.
    if (!rt.current(channel.id)) void unregisterWebhooks(channel, rt).catch(() => {});
  };
}

/** The settings page's test: reachable, credentials taken, webhooks taken, each said exactly. */
export async function testGateway(channel: Channel<SmsConfig>, rt: ChannelRuntime): Promise<ConnectionTest> {
  const r = await registerWebhooks(channel, rt);
  // An unsaved channel's token is thrown away by the save that follows: leave nothing behind on the phone.
  if (r.ok && !channel.id) await unregisterWebhooks(channel, rt);
  if (r.ok) return { ok: true, detail: `${r.count} webhooks registered`, say: { key: "test.ok", vars: { n: r.count } } };
  return { ok: false, detail: say.in("en")(failureKey(r), r.vars), say: { key: failureKey(r), vars: r.vars } };
}
