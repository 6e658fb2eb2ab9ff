// Replication to S3-compatible storage (an s3rver started here): an admin can bring back the
// inbox as it was at a chosen moment, and a Litestream process that dies is brought back by Pano.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eventually, runPano, sqliteStory, startPano, tempDir, type PanoProcess } from "./support/pano.ts";
import { startS3, type S3Server } from "./support/s3.ts";
import { burst, ids, inspectDataDir, missingFrom } from "./support/replication.ts";

let s3: S3Server;
let pano: PanoProcess | undefined;
beforeAll(async () => void (s3 = await startS3()));
afterAll(async () => {
  await pano?.stop();
  await s3.stop();
});

async function restoreInto(env: Record<string, string>, ...flags: string[]) {
  const dir = join(tempDir(), "restored");
  const r = await runPano(["restore", "--to", dir, ...flags], env);
  if (r.code !== 0) throw new Error(`pano restore ${flags.join(" ")} exited ${r.code}: ${r.stderr}`);
  return { dir, ...inspectDataDir(dir) };
}

sqliteStory("point-in-time restore from S3 returns the inbox as it was; a killed Litestream is restarted and loses nothing", async () => {
  const env = { ...s3.env("shop-hoa-mai"), PANO_REPLICA_SYNC_INTERVAL: "100ms" };
  pano = await startPano({ env });
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });

  const morning = await burst(pano, ch.id, ids("morning", 300), 16);
  expect(morning.acked.size).toBe(300);
  await eventually(async () => missingFrom((await restoreInto(env)).ids, morning.acked).length === 0, 15_000, "the morning in the replica");

  // S3 keeps times to the second: the chosen moment stands clear of both batches.
  await Bun.sleep(1100);
  const moment = new Date();
  await Bun.sleep(1100);

  const before = await pano.json("/api/v1/ops/replication");
  expect(before.status).toBe("running");
  process.kill(before.pid, "SIGKILL");
  const after = await eventually(async () => {
    const s = await pano!.json("/api/v1/ops/replication");
    return s.restarts === 1 && s.status === "running" && s.pid !== before.pid ? s : null;
  }, 10_000, "Litestream restarted");
  expect(after.last_exit_code).not.toBe(0);
  expect(await (await fetch(`${pano.url}/metrics`)).text()).toContain("pano_replication_restarts 1");
  expect(pano.logs()).toContain("litestream exited; restarting");

  const afternoon = await burst(pano, ch.id, ids("afternoon", 300), 16);
  expect(afternoon.acked.size).toBe(300);
  const dataDir = pano.dataDir;
  expect(await pano.stop()).toBe(0);
  pano = undefined;

  const latest = await restoreInto(env);
  expect(latest.integrity).toBe("ok");
  expect(missingFrom(latest.ids, [...morning.acked, ...afternoon.acked])).toEqual([]);
  expect(readFileSync(join(latest.dir, "secret.key"), "utf8")).toBe(readFileSync(join(dataDir, "secret.key"), "utf8"));

  const asOfMoment = await restoreInto(env, "--timestamp", moment.toISOString());
  expect(asOfMoment.integrity).toBe("ok");
  expect(missingFrom(asOfMoment.ids, morning.acked)).toEqual([]);
  expect([...asOfMoment.ids].filter((id) => id.startsWith("afternoon-"))).toEqual([]);
}, 90_000);
