// The promise to an admin whose VPS dies at a sales peak: Litestream keeps a file:// replica
// current while 10,000 messages arrive; the replica the crash leaves behind is a consistent
// database, and once Pano is back on its disk the replica catches up with every acknowledged message.
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { runPano, sqliteStory, startPano, tempDir, type PanoProcess } from "./support/pano.ts";
import { burst, ids, inspectDataDir, missingFrom } from "./support/replication.ts";

let pano: PanoProcess | undefined;
afterAll(async () => void (await pano?.stop()));

sqliteStory("10,000 messages under load reach a file:// replica; after kill -9 a new machine restores every acknowledged one", async () => {
  const replica = join(tempDir("pano-replica-"), "replica");
  const env = { PANO_REPLICA_URL: `file://${replica}`, PANO_REPLICA_SYNC_INTERVAL: "100ms" };
  pano = await startPano({ env });
  const { dataDir } = pano;
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Flash sale 11.11" } });
  const state = await pano.json("/api/v1/ops/replication");
  expect(state).toMatchObject({ enabled: true, replica: `file://${replica}`, status: "running" });

  // The machine dies (Pano and Litestream at once) after 8,000 answers, with requests in flight.
  const victim = pano;
  let killed = false;
  const { acked, sent } = await burst(victim, ch.id, ids("sale", 10_000), 64, (acked) => {
    if (killed || acked.size < 8_000) return;
    killed = true;
    process.kill(state.pid, "SIGKILL");
    victim.proc.kill(9);
  });
  await victim.proc.exited;
  expect(killed).toBe(true);
  expect(acked.size).toBeGreaterThanOrEqual(8_000);

  // What the crash left in the replica restores into an empty dir as a sound database holding
  // only messages that were really sent.
  const atCrash = join(tempDir(), "at-crash");
  const first = await runPano(["restore", "--to", atCrash], env);
  expect(first.stderr).not.toContain("error");
  expect(first.code).toBe(0);
  const crashCopy = inspectDataDir(atCrash);
  console.log(`replica at the crash: ${crashCopy.ids.size} of ${acked.size} acknowledged`);
  expect(crashCopy.integrity).toBe("ok");
  expect(crashCopy.duplicates).toBe(0);
  expect(missingFrom(sent, [...crashCopy.ids].filter((id) => id.startsWith("sale-")))).toEqual([]);

  // Pano comes back on its own disk; Litestream catches the replica up, and a clean stop
  // syncs the last commits before it exits.
  pano = await startPano({ dataDir, env });
  expect(await pano.stop()).toBe(0);
  pano = undefined;

  const newMachine = join(tempDir(), "new-vps");
  const second = await runPano(["restore", "--to", newMachine], env);
  expect(second.code).toBe(0);
  expect(second.stdout).toContain("integrity_check ok");
  const restored = inspectDataDir(newMachine);
  expect(restored.integrity).toBe("ok");
  expect(restored.duplicates).toBe(0);
  expect(missingFrom(restored.ids, acked)).toEqual([]);
}, 90_000);
