// Facebook Messenger: one channel per Page. Webhooks in (signed, batched, routed by Page id),
// Send API out (window rule, parts, attachments), profiles after commit.
import type { ChannelKind, Channel } from "../channel.ts";
import { facebookConfigSchema, FACEBOOK_SECRET_FIELDS, TEXT_LIMIT, type FacebookConfig } from "./config.ts";
import { facebookWebhook } from "./webhook.ts";
import { parseFacebook } from "./parse.ts";
import { sendFacebook } from "./send.ts";
import { sendFacebookSurvey } from "./survey.ts";
import { fetchFacebookProfile } from "./profile.ts";
import { decideWindow } from "./window.ts";
import { graphCall, graphUrl, DEFAULT_GRAPH_VERSION } from "./graph.ts";
import { facebookTexts } from "./texts.ts";
import { facebookOutreach } from "./outreach.ts";

export const facebookChannel: ChannelKind<FacebookConfig> = {
  type: "facebook",
  texts: facebookTexts,
  icon: `<symbol id="facebook" viewBox="0 0 24 24"><path d="M12 3C7 3 3 6.7 3 11.3c0 2.6 1.3 4.9 3.3 6.4V21l3-1.7c.9.3 1.8.4 2.7.4 5 0 9-3.7 9-8.4S17 3 12 3z"/><path d="M7.5 13l3-3 2 2 4-3-3 3-2-2z"/></symbol>`,
  settings: {
    facebookGraph: { env: "PANO_FACEBOOK_GRAPH_URL", default: "https://graph.facebook.com" },
    // Used when a channel pins no graph_version of its own.
    facebookGraphVersion: { env: "PANO_FACEBOOK_GRAPH_VERSION", default: DEFAULT_GRAPH_VERSION },
  },
  configSchema: facebookConfigSchema,
  secretFields: FACEBOOK_SECRET_FIELDS,
  externalKey: (config) => config.page_id,
  webhook: facebookWebhook,
  parse: parseFacebook,
  send: sendFacebook,
  sendSurvey: sendFacebookSurvey,
  outreach: facebookOutreach,
  fetchProfile: fetchFacebookProfile,

  // The agent learns before typing whether Messenger will take a reply, and why not.
  composer(ctx, channel: Channel<FacebookConfig>) {
    const d = decideWindow({ lastInboundAt: ctx.lastInboundAt, now: ctx.now, authoredBy: "agent", humanAgentAllowed: channel.config.allow_human_agent_tag === true });
    if (d.ok) return { canSend: true, limit: TEXT_LIMIT };
    return { canSend: false, code: d.code, reason: { vi: d.reasonVi, en: d.reason }, limit: TEXT_LIMIT };
  },

  async testConnection(channel, rt) {
    try {
      const r = await graphCall<{ id: string; name?: string }>(rt, graphUrl(channel, rt, "me", { fields: "id,name" }));
      if (r.ok) return { ok: r.body.id === channel.config.page_id, detail: r.body.id === channel.config.page_id ? `Connected to ${r.body.name ?? r.body.id}` : `The token belongs to ${r.body.id}, not Page ${channel.config.page_id}` };
      return { ok: false, detail: r.error?.message ?? `HTTP ${r.status}` };
    } catch (err) {
      return { ok: false, detail: String((err as Error).message ?? err) };
    }
  },
};
