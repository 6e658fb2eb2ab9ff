// A real Pano wired to the Facebook simulator with one connected Page: what every Facebook story
// starts from. The Page's secrets are random per run, so no story can pass on a leftover value.
import { randomBytes } from "node:crypto";
import { startPano, eventually, type PanoProcess } from "../support/pano.ts";
import { startFacebookSim, type FacebookSim } from "./facebook.ts";

export interface FacebookStory {
  pano: PanoProcess;
  sim: FacebookSim;
  channelId: string;
  page: { pageId: string; appSecret: string; pageToken: string; verifyToken: string };
  /** The conversation (and contact) Pano holds for a customer's PSID, once it exists. */
  conversationOf(psid: string): Promise<{ conversationId: string; contactId: string }>;
  messages(conversationId: string): Promise<any[]>;
  /** The customer wrote at `ago` ms in the past, as Meta's timestamp says. */
  customerWroteAgo(psid: string, ago: number, text?: string): Promise<string>;
  reply(conversationId: string, text: string): Promise<any>;
  /** The Send API calls the simulator received for one customer, oldest first. */
  sendsTo(psid: string): { path: string; query: Record<string, string>; body: any }[];
  /** Polls until the message reaches one of the statuses. */
  settled(conversationId: string, messageId: string, statuses: string[], ms?: number): Promise<any>;
  stop(): Promise<void>;
}

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

export const psidOf = (n: number) => String(7_000_000_000_000_000 + n);

export async function startFacebookStory(o: { env?: Record<string, string>; humanAgentTag?: boolean; echoes?: boolean; dataDir?: string } = {}): Promise<FacebookStory> {
  const page = {
    pageId: String(100_000_000_000_000 + Math.floor(Math.random() * 1e9)),
    appSecret: randomBytes(16).toString("hex"),
    pageToken: `EAAG${randomBytes(24).toString("base64url")}`,
    verifyToken: `verify-${randomBytes(8).toString("hex")}`,
  };
  const sim = await startFacebookSim({ ...page, echoes: o.echoes });
  const pano = await startPano({ dataDir: o.dataDir, env: { PANO_FACEBOOK_GRAPH_URL: sim.url, PANO_RETRY_BASE_MS: "50", ...o.env } });
  sim.setPano(pano.url);
  const channel = await pano.json("/api/v1/channels", {
    method: "POST",
    json: {
      type: "facebook", name: "Shop Hoa Mai",
      config: { page_id: page.pageId, page_access_token: page.pageToken, app_secret: page.appSecret, verify_token: page.verifyToken, allow_human_agent_tag: o.humanAgentTag ?? false },
    },
  });

  const story: FacebookStory = {
    pano, sim, channelId: channel.id, page,
    async conversationOf(psid) {
      return eventually(async () => {
        const contacts = (await pano.json(`/api/v1/contacts?q=${psid}`)).data as any[];
        const c = contacts.find((x) => x.identities.some((i: any) => i.external_id === psid && i.channel_id === channel.id));
        return c?.conversation_ids.length ? { conversationId: c.conversation_ids[0] as string, contactId: c.id as string } : null;
      }, 5000, `a conversation for ${psid}`);
    },
    async messages(conversationId) {
      return (await pano.json(`/api/v1/conversations/${conversationId}/messages?limit=100`)).data;
    },
    async customerWroteAgo(psid, ago, text = "Shop ơi, còn hàng không ạ?") {
      const { delivery } = await sim.customerSays(psid, text, { timestamp: Date.now() - ago });
      if (delivery.status !== 200) throw new Error(`delivery refused: ${delivery.status} ${delivery.answer}`);
      return (await story.conversationOf(psid)).conversationId;
    },
    sendsTo: (psid) => sim.sendCalls().filter((r) => r.body?.recipient?.id === psid),
    reply: (conversationId, text) => pano.json(`/api/v1/conversations/${conversationId}/messages`, { method: "POST", json: { text } }),
    async settled(conversationId, messageId, statuses, ms = 8000) {
      return eventually(async () => {
        const m = (await story.messages(conversationId)).find((x) => x.id === messageId);
        return m && statuses.includes(m.status) ? m : null;
      }, ms, `message ${messageId} to be ${statuses.join(" or ")}`);
    },
    async stop() {
      await pano.stop();
      await sim.stop();
    },
  };
  return story;
}
