// Phone: a virtual switchboard (tổng đài ảo). Calls land as one timeline item each on the customer's
// profile beside their chats. Stringee posts its call events and asks the answer URL where to
// connect a caller; any other PBX posts signed generic events. Pano never "sends" text here: a call
// out is a click-to-call (callout.ts).
import type { ChannelKind } from "../channel.ts";
import { phoneConfigSchema, type PhoneConfig } from "./config.ts";
import { phoneTexts } from "./texts.ts";
import { phoneWebhook, EVENTS_PATH } from "./webhook.ts";
import { genericCallEvent, type GenericCall } from "./generic.ts";
import { stringeeCallEvent, type StringeeEvent } from "./stringee.ts";
import { shopNumber } from "./config.ts";
import { switchboardRoutes } from "./routes.ts";
import { clickToCallRoutes, clickToCallPageRoutes, placesCalls } from "./call-routes.ts";
import { recordingRequest } from "./recording.ts";
import { phoneOutreach, placeOutreachCall } from "./outreach.ts";

/** The addresses the admin pastes into the switchboard's console. */
export const phoneUrls = (publicUrl: string, token: string) => {
  const base = `${publicUrl.replace(/\/$/, "")}/webhooks/phone/${token}`;
  return { events: `${base}/events`, answer: `${base}/answer` };
};

export const phoneChannel: ChannelKind<PhoneConfig> = {
  type: "phone",
  texts: phoneTexts,
  icon: `<symbol id="phone" viewBox="0 0 24 24"><path d="M6 3h3l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v3a2 2 0 0 1-2 2A16 16 0 0 1 4 5a2 2 0 0 1 2-2z"/></symbol>`,
  configSchema: phoneConfigSchema,
  formFields: {
    numbers: { kind: "list" },
    webhook_token: { kind: "generated", show: "hidden" },
  },
  settingsSnippets: (channel, publicUrl) => {
    const urls = phoneUrls(publicUrl, channel.config.webhook_token);
    return channel.config.provider === "stringee"
      ? [{ label: "events_url", code: urls.events }, { label: "answer_url", code: urls.answer }]
      : [{ label: "events_url", code: urls.events }];
  },
  secretFields: ["api_key_secret", "signing_secret", "webhook_token"],
  // The token routes events to this channel; the secret key signs Stringee calls and the signing secret checks a PBX's.
  externalKey: (config) => config.webhook_token,
  webhook: phoneWebhook,
  webhookPaths: [EVENTS_PATH],
  routes: [
    { area: "provider", path: "/webhooks/phone", app: switchboardRoutes },
    { area: "api", path: "/contacts", app: clickToCallRoutes },
    { area: "web", path: "/contacts", app: clickToCallPageRoutes },
  ],
  settings: { stringeeApi: { env: "PANO_STRINGEE_API_URL", default: "https://api.stringee.com" } },

  parse(payload, channel, skip) {
    if (channel.config.provider === "generic") return [genericCallEvent(payload as GenericCall, channel.id)];
    const e = stringeeCallEvent(payload as StringeeEvent, channel.config.numbers.map(shopNumber), channel.id);
    if (!e) skip?.("no customer number or a call state Pano does not track", payload);
    return e ? [e] : [];
  },

  placesCalls,

  // Stringee keeps a recorded call behind its REST API (signed like a callout); another PBX names its file's URL.
  recording: (call, channel, rt) => recordingRequest(call, channel, rt),

  // A phone conversation takes notes and calls, not typed replies.
  composer: () => ({ canSend: false, code: "phone_no_text", reason: { vi: "Kênh tổng đài không gửi tin nhắn chữ: hãy gọi cho khách.", en: "A switchboard does not send text: call the customer." } }),
  // Text never goes out here; a call an agent started from a profile (outreach) is placed now.
  async send(msg, channel, rt) {
    const asked = msg.meta?.callout as { agent_user?: string } | undefined;
    if (asked?.agent_user && msg.contact.phone) return placeOutreachCall(channel, asked.agent_user, msg.contact.phone, rt);
    return { ok: false, kind: "failed", code: "phone_no_text", reason: "A switchboard does not send text messages", reasonVi: "Kênh tổng đài không gửi tin nhắn chữ" };
  },
  outreach: phoneOutreach,
};
