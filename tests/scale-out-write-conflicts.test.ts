// Two Pano instances on one PostgreSQL can take the same rows in opposite orders (an agent's
// reply through A while B marks the previous one sent). PostgreSQL then makes one transaction
// give way (deadlock_detected, serialization_failure). The writer runs that batch again, every
// job in it, so the agent hears "sent", not 503; what the failed try wrote is gone, so nothing is
// stored twice. The conflict here is raised by the server itself on the batch's first try, so the
// story does not depend on two transactions meeting at the right instant.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPostgres, type PostgresCluster } from "./support/postgres.ts";
import { tempDir } from "./support/pano.ts";
import { openStore, type Store } from "../src/store/db.ts";
import { Writer } from "../src/store/writer.ts";

let cluster: PostgresCluster;
let store: Store;

beforeAll(async () => {
  cluster = await startPostgres();
  store = openStore(tempDir(), { databaseUrl: await cluster.createDatabase() });
}, 120_000);

afterAll(async () => {
  store?.close();
  await cluster?.stop();
});

const GIVE_WAY: Record<string, string> = {
  deadlock: "deadlock_detected",
  serialization: "serialization_failure",
};

for (const [kind, code] of Object.entries(GIVE_WAY)) {
  test(`a batch PostgreSQL chose to give way (${kind}) is run again whole: both replies are stored once and neither caller hears 503`, async () => {
    const writer = new Writer(store.sqlite, { windowMs: 20, max: 100, afterCommit: () => {} });
    let tries = 0;
    const action = `reply.${kind}`;
    const write = (text: string) => (tx: Parameters<Parameters<Writer["submit"]>[0]>[0]) =>
      tx.db.query("INSERT INTO audit_log (actor_type, action, data, created_at) VALUES ('user', ?, ?, ?)").run(action, text, tx.now);
    // Two ordinary jobs (neither marked re-runnable), committed in one batch.
    const first = writer.submit((tx) => {
      write("Dạ shop chào anh chị")(tx);
      if (tries++ === 0) tx.db.exec(`DO $$ BEGIN RAISE EXCEPTION 'another instance holds the row' USING ERRCODE = '${code}'; END $$`);
      return "first";
    });
    const second = writer.submit((tx) => (write("Đơn đã được đóng gói")(tx), "second"));
    expect(await Promise.all([first, second])).toEqual(["first", "second"]);
    expect(tries).toBe(2);
    const rows = store.sqlite.query<{ data: string }, [string]>("SELECT data FROM audit_log WHERE action = ? ORDER BY id").all(action);
    expect(rows.map((r) => r.data)).toEqual(["Dạ shop chào anh chị", "Đơn đã được đóng gói"]);
    writer.close();
  });
}

test("a batch that keeps being made to give way fails after a few tries, with the storage error and nothing stored", async () => {
  const writer = new Writer(store.sqlite, { windowMs: 5, max: 100, afterCommit: () => {} });
  let tries = 0;
  const failing = writer.submit((tx) => {
    tries++;
    tx.db.query("INSERT INTO audit_log (actor_type, action, data, created_at) VALUES ('user', 'reply.stuck', '', ?)").run(tx.now);
    tx.db.exec("DO $$ BEGIN RAISE EXCEPTION 'always in the way' USING ERRCODE = 'deadlock_detected'; END $$");
  });
  const err = await failing.then(() => null, (e: Error) => e);
  expect(err?.message).toContain("always in the way");
  expect(tries).toBe(5);
  expect(store.sqlite.query<{ n: number }, []>("SELECT count(*) AS n FROM audit_log WHERE action = 'reply.stuck'").get()?.n).toBe(0);
  writer.close();
});
