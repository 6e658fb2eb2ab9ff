// An operator pins the Graph API version Pano calls (Meta retires old versions on a schedule);
// a single Page can pin its own.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { startFacebookStory, psidOf, HOUR, type FacebookStory } from "./sim/facebook-pano.ts";

let s: FacebookStory;
beforeAll(async () => {
  s = await startFacebookStory({ env: { PANO_FACEBOOK_GRAPH_VERSION: "v24.0" } });
});
afterAll(async () => {
  await s.stop();
});

test("PANO_FACEBOOK_GRAPH_VERSION is used for profiles and sends; a channel's graph_version wins over it", async () => {
  const psid = psidOf(1);
  s.sim.addProfile(psid, "Minh", "Trần");
  const conv = await s.customerWroteAgo(psid, HOUR);
  await eventually(() => s.sim.requests.some((r) => r.path === `/v24.0/${psid}`), 3000, "the profile lookup");
  const first = await s.reply(conv, "Dạ shop chào anh");
  await s.settled(conv, first.id, ["sent"]);
  expect(s.sim.sendCalls().at(-1)?.path).toBe(`/v24.0/${s.page.pageId}/messages`);

  await s.pano.json(`/api/v1/channels/${s.channelId}`, { method: "PATCH", json: { config: { graph_version: "v25.0" } } });
  const second = await s.reply(conv, "Anh cần tư vấn mẫu nào ạ?");
  await s.settled(conv, second.id, ["sent"]);
  expect(s.sim.sendCalls().at(-1)?.path).toBe(`/v25.0/${s.page.pageId}/messages`);
});
