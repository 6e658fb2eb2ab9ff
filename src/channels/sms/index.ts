// SMS: the Vietnamese customer who never installed anything. Two providers: an Android phone running
// SMS Gateway for Android (two-way: customers' texts arrive as messages on their profile, matched by
// phone; replies go out through the phone) and eSMS.vn brandname (outbound customer care with
// delivery reports). Either starts conversations with a customer's mobile number (outreach.ts).
import type { ChannelKind } from "../channel.ts";
import type { SendResult } from "../../domain/message.ts";
import { mobilePhone, phoneE164 } from "../../domain/contact.ts";
import { smsCount } from "../../domain/sms.ts";
import { smsConfigSchema, smsEventsUrl, type SmsConfig } from "./config.ts";
import { smsTexts } from "./texts.ts";
import { smsWebhook, EVENTS_PATH, type SmsDelivery } from "./webhook.ts";
import { parseSms } from "./parse.ts";
import { sendViaGateway } from "./gateway.ts";
import { sendViaEsms, testEsms } from "./esms.ts";
import { keepWebhooksRegistered, testGateway } from "./register.ts";
import { meterRoutes } from "./meter.ts";
import { smsOutreach } from "./outreach.ts";
import { smsSurvey, smsAsksSurveys } from "./survey.ts";
import { MAX_SEGMENTS, SMS_CHAR_LIMIT } from "./limits.ts";
import { speaker } from "../texts.ts";

const say = speaker(smsTexts);

function refused(code: string, key: Parameters<typeof say>[0], vars?: Record<string, string | number>): SendResult {
  const s = say(key, vars);
  return { ok: false, kind: "failed", code, reason: s.en, reasonVi: s.vi };
}

export const smsChannel: ChannelKind<SmsConfig> = {
  type: "sms",
  texts: smsTexts,
  icon: `<symbol id="sms" viewBox="0 0 24 24"><rect x="6" y="2" width="12" height="20" rx="2"/><path d="M9 8h6M9 11h4"/><path d="M11 18h2"/></symbol>`,
  configSchema: smsConfigSchema,
  formFields: { webhook_token: { kind: "generated", show: "hidden" } },
  secretFields: ["password", "signing_key", "api_key", "secret_key", "webhook_token"],
  // The gateway's password goes to its address; typing another address asks for the password again.
  secretDestinations: { password: ["base_url", "username"] },
  settingsSnippets: (channel, publicUrl) => [{ label: "events_url", code: smsEventsUrl(publicUrl, channel.config.webhook_token) }],
  externalKey: (config) => config.webhook_token,
  webhook: smsWebhook,
  webhookPaths: [EVENTS_PATH],
  settings: { esmsApi: { env: "PANO_ESMS_API_URL", default: "https://rest.esms.vn" } },
  routes: [{ area: "web", path: "/sms", app: meterRoutes }],

  parse: (payload, channel, skip) => parseSms(payload as SmsDelivery, channel.id, new Date(), skip),

  // Replies of any length up to ten parts; the meter beside the composer counts parts as the agent types.
  composer: () => ({ canSend: true, limit: SMS_CHAR_LIMIT, meter: "/sms/meter" }),

  async send(msg, channel, rt) {
    // The number they texted from, else the one on their profile; never a provider call for a bad one.
    const raw = msg.contact.externalId || msg.contact.phone || "";
    const phone = mobilePhone(msg.contact.externalId) ?? mobilePhone(msg.contact.phone);
    if (!phone) return refused("invalid_phone", "send.invalid_phone", { phone: raw || "—" });
    if (msg.attachments.length) return refused("sms_no_files", "send.no_files");
    const text = msg.text.trim();
    if (!text) return refused("empty", "send.empty");
    const n = smsCount(text).segments;
    if (n > MAX_SEGMENTS) return refused("too_long", "send.too_long", { n, max: MAX_SEGMENTS });
    return channel.config.provider === "esms"
      ? sendViaEsms(text, phone, msg.messageId, channel, rt)
      : sendViaGateway(text, phoneE164(phone), msg.messageId, channel, rt);
  },

  // Surveys through the gateway only: a brandname cannot be answered (survey.ts).
  sendSurvey: (msg, channel, rt) => smsSurvey(smsChannel.send)(msg, channel, rt),
  asksSurveys: smsAsksSurveys,

  start: (channel, rt) => (channel.config.provider === "android_gateway" ? keepWebhooksRegistered(channel, rt) : async () => {}),

  testConnection: (channel, rt) => (channel.config.provider === "esms" ? testEsms(channel, rt) : testGateway(channel, rt)),

  outreach: smsOutreach,
};
