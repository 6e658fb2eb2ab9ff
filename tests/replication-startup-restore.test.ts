// The "new VPS" story: the old machine is gone; the admin starts Pano on a new one with an empty
// data dir and the same replica settings. Pano restores before it serves: conversations, the
// customer's photo, the sealed Page secrets (the Page's signed webhooks are accepted again) and the
// Web Push keys.
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { eventually, sqliteStory, startPano, tempDir, type PanoProcess } from "./support/pano.ts";
import { startFacebookStory, psidOf, type FacebookStory } from "./sim/facebook-pano.ts";

let story: FacebookStory | undefined;
let newVps: PanoProcess | undefined;
afterAll(async () => {
  await newVps?.stop();
  await story?.stop();
});

sqliteStory("an empty data dir with a replica configured is restored before serving, attachments and secrets included", async () => {
  const replica = join(tempDir("pano-replica-"), "replica");
  const env = { PANO_REPLICA_URL: `file://${replica}`, PANO_REPLICA_SYNC_INTERVAL: "100ms" };
  story = await startFacebookStory({ env });
  const { sim, pano } = story;
  const photo = new Uint8Array(4096).map((_, i) => (i * 13) % 256);
  const url = sim.addFile("ao-dai-xanh.jpg", photo, "image/jpeg");
  await sim.customerSays(psidOf(1), "Mẫu này còn size M không shop?", { attachments: [{ type: "image", url }] });
  const conv = (await story.conversationOf(psidOf(1))).conversationId;
  await eventually(async () => (await story!.messages(conv))[0]?.attachments[0]?.url?.startsWith(`${pano.url}/files/`), 5000, "the photo stored");
  expect(await pano.stop()).toBe(0); // SIGTERM: the last commits and files reach the replica

  // A new machine: nothing but the replica settings and an empty volume (lost+found is fine).
  const dataDir = join(tempDir(), "data");
  mkdirSync(join(dataDir, "lost+found"), { recursive: true });
  newVps = await startPano({ dataDir, env: { ...env, PANO_FACEBOOK_GRAPH_URL: sim.url } });
  expect(newVps.logs()).toContain("startup restore: the data dir has no database and a replica is configured");
  expect(newVps.logs()).toMatch(/startup restore: done.*"source":"litestream"/);
  expect(readdirSync(join(dataDir, "attachments")).length).toBeGreaterThan(0);

  const [msg] = (await newVps.json(`/api/v1/conversations/${conv}/messages`)).data;
  expect(msg.text).toBe("Mẫu này còn size M không shop?");
  const served = await fetch(msg.attachments[0].url.replace(pano.url, newVps.url));
  expect(new Uint8Array(await served.arrayBuffer())).toEqual(photo);

  // The Page's app secret was sealed with the old machine's key: the new one opens it.
  sim.setPano(newVps.url);
  const next = await sim.customerSays(psidOf(1), "Shop ơi?");
  expect(next.delivery.status).toBe(200);
  await eventually(async () => (await newVps!.json(`/api/v1/conversations/${conv}/messages`)).data.length === 2, 5000, "the new message");
  expect(existsSync(join(dataDir, "secret.key"))).toBe(true);
  // The Web Push keys came along: agents' phones keep getting pushes from the new machine.
  expect(readFileSync(join(dataDir, "vapid.json"), "utf8")).toBe(readFileSync(join(pano.dataDir, "vapid.json"), "utf8"));
}, 60_000);

sqliteStory("a replica that holds nothing yet is not an error: Pano starts with an empty database and says so", async () => {
  const env = { PANO_REPLICA_URL: `file://${join(tempDir("pano-replica-"), "never-used")}` };
  const fresh = await startPano({ env });
  try {
    expect(fresh.logs()).toContain("startup restore: the replica holds no backup yet; starting with an empty database");
    expect((await fresh.json("/api/v1/ops/replication")).status).toBe("running");
  } finally {
    await fresh.stop();
  }
}, 30_000);
