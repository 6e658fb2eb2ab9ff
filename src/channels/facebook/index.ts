// Facebook Messenger: one channel per Page. Webhooks in (signed, batched, routed by Page id),
// Send API out (window rule, parts, attachments), profiles after commit.
import type { ChannelKind, Channel } from "../channel.ts";
import { facebookConfigSchema, FACEBOOK_SECRET_FIELDS, TEXT_LIMIT, type FacebookConfig } from "./config.ts";
import { facebookWebhook } from "./webhook.ts";
import { parseFacebook } from "./parse.ts";
import { sendFacebook } from "./send.ts";
import { fetchFacebookProfile } from "./profile.ts";
import { decideWindow } from "./window.ts";
import { graphCall, graphUrl } from "./graph.ts";

export const facebookChannel: ChannelKind<FacebookConfig> = {
  type: "facebook",
  configSchema: facebookConfigSchema,
  secretFields: FACEBOOK_SECRET_FIELDS,
  externalKey: (config) => config.page_id,
  webhook: facebookWebhook,
  parse: parseFacebook,
  send: sendFacebook,
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
