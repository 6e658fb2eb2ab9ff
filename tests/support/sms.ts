// What the SMS stories share: a gateway channel saved through the API, and a customer's SMS
// conversation and its messages as the REST API shows them.
import type { PanoProcess } from "./pano.ts";
import { eventually, startPano } from "./pano.ts";
import { smsGateway } from "../sim/sms-gateway.ts";
import type { esmsApi } from "../sim/esms.ts";

export const GATEWAY_LOGIN = { username: "sms", password: "mat-khau-cong-sms", signingKey: "khoa-ky-webhook-0123456789abcdef" };
export const ESMS_KEYS = { apiKey: "ESMSAPIKEY0001", secretKey: "ESMSSECRET0001", brandnames: ["SHOPXINH"] };

/** Saves an Android gateway channel and waits until Pano has registered its four webhooks. */
export async function gatewayChannel(pano: PanoProcess, gw: ReturnType<typeof smsGateway>, name = "SMS cửa hàng"): Promise<{ id: string; eventsUrl: string }> {
  const ch = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "sms", name, config: { provider: "android_gateway", base_url: gw.url, username: GATEWAY_LOGIN.username, password: GATEWAY_LOGIN.password, signing_key: GATEWAY_LOGIN.signingKey } },
  });
  const hooks = await eventually(() => {
    const mine = [...gw.webhooks.values()].filter((w) => w.url.startsWith(pano.url));
    return mine.length === 4 ? mine : null;
  }, 20_000, "the gateway to hold Pano's four webhooks");
  return { id: ch.id, eventsUrl: hooks[0].url };
}

export interface GatewayStory {
  pano: PanoProcess;
  gw: ReturnType<typeof smsGateway>;
  channel: { id: string; eventsUrl: string };
  stop(): Promise<void>;
}

/** A running Pano with an Android gateway channel whose phone (the simulator) holds Pano's webhooks. */
export async function startGatewayStory(): Promise<GatewayStory> {
  const gw = smsGateway(GATEWAY_LOGIN);
  const pano = await startPano();
  const channel = await gatewayChannel(pano, gw);
  return {
    pano, gw, channel,
    async stop() {
      await pano.stop();
      gw.stop();
    },
  };
}

export async function esmsChannel(pano: PanoProcess, name = "Brandname SHOPXINH"): Promise<{ id: string }> {
  const ch = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "sms", name, config: { provider: "esms", api_key: ESMS_KEYS.apiKey, secret_key: ESMS_KEYS.secretKey, brandname: ESMS_KEYS.brandnames[0] } },
  });
  return { id: ch.id };
}

export function esmsEnv(api: ReturnType<typeof esmsApi>): Record<string, string> {
  return { PANO_ESMS_API_URL: api.url };
}

/** The customer found by phone, and their conversation on this channel with its messages. */
export async function smsThread(pano: PanoProcess, phone: string, channelId: string) {
  const found = await pano.json(`/api/v1/contacts?q=${encodeURIComponent(phone)}`);
  const contact = found.data[0] ? await pano.json(`/api/v1/contacts/${found.data[0].id}`) : null;
  if (!contact) return { contact: null, conversation: null, messages: [] as any[] };
  const convs = await Promise.all(contact.conversation_ids.map((id: string) => pano.json(`/api/v1/conversations/${id}`)));
  const conversation = convs.find((c: any) => c.channel_id === channelId) ?? null;
  const messages: any[] = conversation ? (await pano.json(`/api/v1/conversations/${conversation.id}/messages`)).data : [];
  return { contact, conversation, messages };
}

export async function messageOf(pano: PanoProcess, conversationId: string, messageId: string) {
  const page = await pano.json(`/api/v1/conversations/${conversationId}/messages`);
  return page.data.find((m: any) => m.id === messageId);
}
