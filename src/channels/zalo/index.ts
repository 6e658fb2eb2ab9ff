// The Zalo Official Account channel (OA Open API v3, OAuth v4): signed webhooks in, consultation
// messages out, tokens refreshed before they expire and after Zalo refuses one.
import type { ChannelKind, Channel, ChannelRuntime, ComposerVerdict } from "../channel.ts";
import { zaloConfigSchema, ZALO_SECRET_FIELDS, expiresAtMs, REFRESH_MARGIN_MS, type ZaloConfig } from "./config.ts";
import { zaloWebhook } from "./webhook.ts";
import { parseZalo } from "./parse.ts";
import { sendZalo, TEXT_LIMIT } from "./send.ts";
import { sendZaloSurvey } from "./survey.ts";
import { zaloProfile } from "./profile.ts";
import { accessToken, ReconnectNeeded } from "./token.ts";
import { callZalo } from "./api.ts";
import { zaloTexts } from "./texts.ts";
import { oauthPages, oauthApi, startPath } from "./oauth-routes.ts";
import { sendZns, startTemplateSync, type ZnsSend } from "./zns.ts";
import { ticker } from "./ticker.ts";
import { speaker } from "../texts.ts";

const say = speaker(zaloTexts);
import { zaloOutreach, WINDOW_MS } from "./outreach.ts";

const isZns = (v: unknown): v is ZnsSend => !!v && typeof v === "object" && typeof (v as ZnsSend).id === "string";

const CHECK_EVERY_MS = 60_000;

/** Keeps the access token fresh: checks every minute and refreshes inside the margin. */
function startRefresher(channel: Channel<ZaloConfig>, rt: ChannelRuntime): () => Promise<void> {
  return ticker(CHECK_EVERY_MS, () => {
    const ch = rt.current(channel.id);
    if (!ch || ch.status !== "active") return;
    const exp = expiresAtMs(ch.config as ZaloConfig);
    if (exp === null || exp - rt.now().getTime() > REFRESH_MARGIN_MS) return;
    return accessToken(channel.id, rt).catch((err) => {
      if (!(err instanceof ReconnectNeeded)) rt.log("warn", "zalo token refresh failed; will retry", { channel_id: channel.id, error: String((err as Error)?.message ?? err) });
    });
  });
}

export const zaloChannel: ChannelKind<ZaloConfig> = {
  type: "zalo",
  texts: zaloTexts,
  icon: `<symbol id="zalo" viewBox="0 0 24 24"><rect x="3" y="3" width="18" height="18" rx="5"/><path d="M8 9h5l-5 6h5M15.5 9v6"/></symbol>`,
  settings: {
    zaloApi: { env: "PANO_ZALO_API_URL", default: "https://openapi.zalo.me" },
    zaloOauth: { env: "PANO_ZALO_OAUTH_URL", default: "https://oauth.zaloapp.com" },
    zaloZns: { env: "PANO_ZALO_ZNS_URL", default: "https://business.openapi.zalo.me" },
  },
  // "Connect with Zalo": the browser's way through Zalo's consent page and back, and the API's.
  routes: [
    { area: "web", path: "/zalo/oauth", app: oauthPages },
    { area: "api", path: "/channels", app: oauthApi },
  ],
  settingsLinks: (channelId) => [{ href: startPath(channelId), label: "connect", hint: "connect_hint" }],
  configSchema: zaloConfigSchema,
  secretFields: ZALO_SECRET_FIELDS,
  externalKey: (cfg) => cfg.oa_id ?? null,
  webhook: zaloWebhook,
  parse: parseZalo,
  // A message made from a ZNS template (outreach, or a closed window's composer) goes by phone number.
  send: (msg, channel, rt) => (isZns(msg.meta?.template) ? sendZns(msg, msg.meta.template, channel, rt) : sendZalo(msg, channel, rt)),
  sendSurvey: sendZaloSurvey,
  outreach: zaloOutreach,
  // The token refresher, and the ZNS templates kept in sync.
  start(channel, rt) {
    const stops = [startRefresher(channel, rt), startTemplateSync(channel, rt)];
    return async () => void (await Promise.all(stops.map((stop) => stop())));
  },
  fetchProfile: (userId, channel, rt) => zaloProfile(userId, channel.id, rt),

  // Says why a text cannot go, not "wait": the composer offers a ZNS template beside it when one can (outreach.ts).
  composer({ lastInboundAt, now, contactFollows }): ComposerVerdict {
    if (contactFollows === false) return { canSend: false, code: "not_follower", reason: say("outreach.not_follower"), limit: TEXT_LIMIT };
    if (lastInboundAt && now.getTime() - lastInboundAt.getTime() > WINDOW_MS) {
      return { canSend: false, code: "outside_window", reason: say("outreach.outside_window"), limit: TEXT_LIMIT };
    }
    return { canSend: true, limit: TEXT_LIMIT };
  },

  async testConnection(channel, rt) {
    const r = await callZalo(rt, channel.id, "/v2.0/oa/getoa");
    if (r.ok) return { ok: true, detail: `Connected to OA ${r.answer.data?.name ?? channel.config.oa_id}` };
    return { ok: false, detail: r.failure?.reason ?? `Zalo ${r.zaloError?.error}: ${r.zaloError?.message ?? ""}` };
  },
};
