// The Facebook channel's own functions (send, fetchProfile) pointed at the simulator without a
// running Pano: for stories about exactly what goes over the wire to Meta.
import type { Channel, ChannelRuntime } from "../../src/channels/channel.ts";
import { createOutsideFetch } from "../../src/net/outside-fetch.ts";
import type { FacebookConfig } from "../../src/channels/facebook/config.ts";
import { startFacebookSim, type FacebookSim } from "./facebook.ts";

export interface DirectPage {
  sim: FacebookSim;
  channel: Channel<FacebookConfig>;
  rt: ChannelRuntime;
  page: { pageId: string; appSecret: string; pageToken: string };
}

export async function startDirectPage(page: DirectPage["page"]): Promise<DirectPage> {
  const sim = await startFacebookSim({ ...page, echoes: false });
  const channel: Channel<FacebookConfig> = {
    id: 1, type: "facebook", name: "Shop Hoa Mai", status: "active",
    config: { page_id: page.pageId, page_access_token: page.pageToken, app_secret: page.appSecret, verify_token: "verify-token-0001", allow_human_agent_tag: false },
  };
  const rt: ChannelRuntime = {
    fetchOutside: createOutsideFetch({ allowPrivate: true, maxBytes: 1 << 20 }), // the simulators are on 127.0.0.1
    http: fetch, now: () => new Date(), dataDir: "/nonexistent",
    urls: { facebookGraph: sim.url, zaloApi: "", zaloOauth: "", publicUrl: "https://pano.shop.vn" },
    log: () => {}, updateConfig: async () => {}, setStatus: async () => {}, ingest: async () => {},
    current: () => channel, state: { get: () => null, set: async () => {} },
  };
  return { sim, channel, rt, page };
}
