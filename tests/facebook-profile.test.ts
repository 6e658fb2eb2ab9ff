// A Messenger customer's first and last name and picture come from the User Profile API after
// their message is stored. When Meta cannot answer yet, the fetch fails loudly, so Pano's
// enrichment sweep asks again later instead of leaving the contact named by its PSID for good.
// Driven through the Facebook channel's own fetchProfile against the simulator over HTTP.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { facebookChannel } from "../src/channels/facebook/index.ts";
import type { Channel, ChannelRuntime } from "../src/channels/channel.ts";
import type { FacebookConfig } from "../src/channels/facebook/config.ts";
import { startFacebookSim, customerMessage, type FacebookSim } from "./sim/facebook.ts";
import { psidOf } from "./sim/facebook-pano.ts";

const page = { pageId: "100000000000654", appSecret: "app-secret-for-profiles", pageToken: "EAAG-profiles-token-0001" };
let sim: FacebookSim;
let rt: ChannelRuntime;
const channel: Channel<FacebookConfig> = {
  id: 1, type: "facebook", name: "Shop Hoa Mai", status: "active",
  config: { page_id: page.pageId, page_access_token: page.pageToken, app_secret: page.appSecret, verify_token: "verify-token-0001", allow_human_agent_tag: false },
};

beforeAll(async () => {
  sim = await startFacebookSim({ ...page, echoes: false });
  rt = {
    http: fetch, now: () => new Date(), dataDir: "/nonexistent",
    urls: { facebookGraph: sim.url, zaloApi: "", zaloOauth: "", publicUrl: "https://pano.shop.vn" },
    log: () => {}, updateConfig: async () => {}, setStatus: async () => {}, ingest: async () => {},
    current: () => channel, state: { get: () => null, set: async () => {} },
  };
});
afterAll(async () => {
  await sim.stop();
});

test("a profile Meta will not give yet fails the fetch (to be retried); once it can, name and picture come back", async () => {
  const psid = psidOf(31);
  sim.addProfile(psid, "Thảo", "Nguyễn Phương");
  // Meta answers a profile only for someone who has messaged the Page.
  await expect(facebookChannel.fetchProfile!(psid, channel, rt)).rejects.toThrow("profile fetch failed");
  sim.prepare([{ pageId: page.pageId, events: [customerMessage(page.pageId, psid, "Shop ơi")] }]);
  const p = await facebookChannel.fetchProfile!(psid, channel, rt);
  expect(p).toEqual({ name: "Thảo Nguyễn Phương", avatarUrl: `${sim.url}/files/ao-dai.png` });
});
