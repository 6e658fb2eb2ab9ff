// `docker stop` sends SIGTERM: Pano stops taking new requests, lets the ones in flight finish
// their commit, stops Litestream after the last commit, and exits 0. Nothing acknowledged is
// lost, locally or in the replica, and no client sees an error for a request Pano accepted.
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { runPano, sqliteStory, startPano, tempDir, type PanoProcess } from "./support/pano.ts";
import { burst, ids, inspectDataDir, missingFrom } from "./support/replication.ts";

let pano: PanoProcess | undefined;
afterAll(async () => void (await pano?.kill()));

sqliteStory("SIGTERM mid-burst drains requests in flight, stores and replicates every acknowledged message, exits 0", async () => {
  const replica = join(tempDir("pano-replica-"), "replica");
  const env = { PANO_REPLICA_URL: `file://${replica}` };
  pano = await startPano({ env });
  const victim = pano;
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });

  let signalled = false;
  const { acked, otherAnswers } = await burst(victim, ch.id, ids("drain", 4000), 64, (acked) => {
    if (signalled || acked.size < 1000) return;
    signalled = true;
    victim.proc.kill("SIGTERM");
  });
  expect(await victim.proc.exited).toBe(0);
  pano = undefined;
  expect(acked.size).toBeGreaterThanOrEqual(1000);
  // Clients were either answered 2xx or could not connect: no 5xx for accepted requests.
  expect([...otherAnswers.keys()]).toEqual([]);
  const logs = victim.logs();
  expect(logs).toContain('"msg":"shutting down","signal":"SIGTERM"');
  expect(logs).toContain('"msg":"stopped"');
  expect(logs.indexOf('"msg":"stopped"')).toBeGreaterThan(logs.indexOf("shutting down"));

  const local = inspectDataDir(victim.dataDir);
  expect(local.integrity).toBe("ok");
  expect(missingFrom(local.ids, acked)).toEqual([]);

  // Litestream was stopped after the last commit, so the replica has everything too.
  const dir = join(tempDir(), "restored");
  expect((await runPano(["restore", "--to", dir], env)).code).toBe(0);
  expect(missingFrom(inspectDataDir(dir).ids, acked)).toEqual([]);
}, 60_000);

// Litestream connects to the database only at its first tick, one sync interval after start; a
// stop before that used to leave the replica without the last commits (or without any backup).
sqliteStory("a Pano stopped right after it started still leaves its commits in the replica", async () => {
  const replica = join(tempDir("pano-replica-"), "replica");
  const env = { PANO_REPLICA_URL: `file://${replica}`, PANO_REPLICA_SYNC_INTERVAL: "1s" };
  pano = await startPano({ env });
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });
  const r = await pano.api(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "kh-1", external_message_id: "early-1", text: "Shop mở cửa chưa ạ?" } });
  expect(r.status).toBe(202);
  expect(await pano.stop()).toBe(0);
  pano = undefined;

  const dir = join(tempDir(), "restored");
  const restored = await runPano(["restore", "--to", dir], env);
  expect(restored.stderr).not.toContain("no backup");
  expect(restored.code).toBe(0);
  expect([...inspectDataDir(dir).ids]).toEqual(["early-1"]);
}, 30_000);
