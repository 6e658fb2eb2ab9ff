// A Messenger customer's first and last name and picture come from the User Profile API after
// their message is stored. When Meta cannot answer yet, the fetch fails loudly, so Pano's
// enrichment sweep asks again later instead of leaving the contact named by its PSID for good.
// Driven through the Facebook channel's own fetchProfile against the simulator over HTTP.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { facebookChannel } from "../src/channels/facebook/index.ts";
import { customerMessage } from "./sim/facebook.ts";
import { psidOf } from "./sim/facebook-pano.ts";
import { startDirectPage, type DirectPage } from "./sim/facebook-direct.ts";

let d: DirectPage;
beforeAll(async () => void (d = await startDirectPage({ pageId: "100000000000654", appSecret: "app-secret-for-profiles", pageToken: "EAAG-profiles-token-0001" })));
afterAll(async () => await d?.sim.stop());

test("a profile Meta will not give yet fails the fetch (to be retried); once it can, name and picture come back", async () => {
  const psid = psidOf(31);
  d.sim.addProfile(psid, "Thảo", "Nguyễn Phương");
  // Meta answers a profile only for someone who has messaged the Page.
  await expect(facebookChannel.fetchProfile!(psid, d.channel, d.rt)).rejects.toThrow("profile fetch failed");
  d.sim.prepare([{ pageId: d.page.pageId, events: [customerMessage(d.page.pageId, psid, "Shop ơi")] }]);
  const p = await facebookChannel.fetchProfile!(psid, d.channel, d.rt);
  expect(p).toEqual({ name: "Thảo Nguyễn Phương", avatarUrl: `${d.sim.url}/files/ao-dai.png` });
});
