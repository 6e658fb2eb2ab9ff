// Website live chat: a shop pastes one line into its site; visitors chat with the same agents in
// the same inbox. The visitor side (widget.js, the chat frame, its small API) is this folder's own
// routes; a reply goes out through the outbox like any channel's and reaches the open widget live.
import type { ChannelKind, ChannelHttp, Channel } from "../channel.ts";
import { webChatConfigSchema, type WebChatConfig } from "./config.ts";
import { webChatTexts } from "./texts.ts";
import { visitorRoutes } from "./routes.ts";
import { notify } from "./live.ts";
import { parseVisitorPayload, type VisitorPayload } from "./inbound.ts";
import { mailVisitorWhoLeft } from "./offline.ts";
import { sendWebChatSurvey } from "./survey.ts";
import { webChatOutreach } from "./outreach.ts";

/** The one line a shop pastes into its pages (channels.md, web_chat: Embed). */
export const snippet = (publicUrl: string, token: string) =>
  `<script src="${publicUrl.replace(/\/$/, "")}/widget.js" data-pano-token="${token}" async></script>`;

function routesFor(http: ChannelHttp) {
  return visitorRoutes({
    publicUrl: http.publicUrl,
    runtime: http.runtime,
    // The widget token is the kind's external key: the core's channel directory finds it in memory.
    byWidgetToken: (token) => {
      const ch = http.channelByKey("web_chat", token);
      return ch && ch.status !== "paused" ? (ch as Channel<WebChatConfig>) : undefined;
    },
    transcript: http.customerTranscripts.transcript,
    answerSurvey: http.answerSurvey,
    hasIdentity: http.customerTranscripts.hasIdentity,
    clientAddress: http.clientAddress,
    customerTyping: http.customerTyping,
    businessHours: http.businessHours,
  });
}

export const webChatChannel: ChannelKind<WebChatConfig> = {
  type: "web_chat",
  texts: webChatTexts,
  icon: `<symbol id="web_chat" viewBox="0 0 24 24"><path d="M4 5h16v11H9l-5 4z"/><path d="M8 10h8M8 13h5"/></symbol>`,
  // A visitor's message may carry one file (FILE_LIMIT, checked by the route after the body limit).
  routes: [{ area: "web", path: "/", app: routesFor, uploads: [{ path: "/chat/api/messages", files: 1 }] }],
  configSchema: webChatConfigSchema,
  formFields: {
    allowed_origins: { kind: "list" },
    offline_email_channel_id: { kind: "channel", type: "email" },
    hours_team_id: { kind: "team" },
    widget_token: { kind: "generated", show: "readonly" },
    session_key: { kind: "generated", show: "hidden" },
  },
  settingsSnippets: (channel, publicUrl) => [{ label: "snippet", code: snippet(publicUrl, channel.config.widget_token) }],
  // The chat frame itself, opened as Pano's own origin (which the frame always allows).
  settingsPreview: (channel, publicUrl) => ({
    path: `/chat/frame?token=${encodeURIComponent(channel.config.widget_token)}&origin=${encodeURIComponent(new URL(publicUrl).origin)}`,
    title: "preview",
  }),
  // session_key signs visitors' sessions; widget_token is public and shown with the snippet.
  secretFields: ["identity_secret", "session_key"],
  publicFields: ["widget_token"],
  externalKey: (config) => config.widget_token,

  // The visitor's page, where they came from and their browser, as their latest message carried them (inbound.ts).
  customerContext(meta) {
    const v = (meta.visitor ?? {}) as Record<string, unknown>;
    return (["page", "referrer", "browser", "email", "phone"] as const)
      .filter((k) => typeof v[k] === "string" && v[k])
      .map((k) => ({ label: `context.${k}`, value: String(v[k]).slice(0, 500) }));
  },

  parse: (payload, channel) => parseVisitorPayload(payload as VisitorPayload, channel),

  // The widget is Pano's own: "sending" is telling the visitor's open widgets, which fetch the
  // reply themselves. A visitor with no widget open reads it when they come back, and if they gave
  // an email, gets it by mail through the offline email channel (offline.ts).
  async send(msg, channel, rt) {
    const open = notify(channel.id, msg.contact.externalId, "changed");
    const done = { ok: true as const, externalId: `wc-${msg.messageId}` };
    if (open) return done;
    const mailed = await mailVisitorWhoLeft(msg, channel, rt);
    // A mail server that is down is tried again (the same Message-ID: one mail); a refusal only loses the mail.
    return mailed?.ok === false && mailed.kind === "retry" ? mailed : done;
  },

  outreach: webChatOutreach,

  sendSurvey: sendWebChatSurvey,

  // An agent typing in the inbox: the visitor's open widgets show "<name> is typing…" for a few seconds.
  typing(who, channel) {
    notify(channel.id, who.contactExternalId, "typing", JSON.stringify({ name: who.agentName ?? "" }));
  },
};
