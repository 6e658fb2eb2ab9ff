// A Zalo follower's profile (display name, avatar, the phone once they shared it) comes from
// user detail, after the message is stored. When Zalo cannot answer yet, the fetch fails loudly,
// so Pano's enrichment sweep asks again later instead of leaving the contact named by its id for
// good. Driven through the Zalo channel's own fetchProfile against the simulator over HTTP.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { zaloChannel } from "../src/channels/zalo/index.ts";
import type { Channel, ChannelRuntime } from "../src/channels/channel.ts";
import { createOutsideFetch } from "../src/net/outside-fetch.ts";
import type { ZaloConfig } from "../src/channels/zalo/config.ts";
import { startZaloSim } from "./sim/zalo.ts";

let sim: Awaited<ReturnType<typeof startZaloSim>>;
let rt: ChannelRuntime;
let channel: Channel<ZaloConfig>;

beforeAll(async () => {
  sim = await startZaloSim({ echoes: false });
  channel = { id: 1, type: "zalo", name: "OA Hoa Mai", status: "active", config: sim.channelConfig() as ZaloConfig };
  rt = {
    fetchOutside: createOutsideFetch({ allowPrivate: true, maxBytes: 1 << 20 }), // the simulators are on 127.0.0.1
    http: fetch, now: () => new Date(), dataDir: "/nonexistent",
    urls: { facebookGraph: "", zaloApi: sim.url, zaloOauth: sim.url, publicUrl: "https://pano.shop.vn" },
    log: () => {}, setStatus: async () => {}, ingest: async () => {},
    updateConfig: async (_id, patch) => void (channel = { ...channel, config: { ...channel.config, ...patch } as ZaloConfig }),
    current: () => channel, state: { get: () => null, set: async () => {} },
  };
});
afterAll(async () => {
  await sim.stop();
});

test("a follower Zalo does not know yet fails the fetch (to be retried), then gives name, avatar and shared phone", async () => {
  const userId = "5100000000000000777";
  await expect(zaloChannel.fetchProfile!(userId, channel, rt)).rejects.toThrow("-201");
  sim.addUser(userId, { display_name: "Phạm Thu Trang", phone: "84912345678" });
  const p = await zaloChannel.fetchProfile!(userId, channel, rt);
  expect(p).toEqual({ name: "Phạm Thu Trang", avatarUrl: sim.user(userId)!.avatar, phone: "84912345678" });
});
