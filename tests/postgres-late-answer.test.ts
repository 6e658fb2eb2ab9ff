// The PostgreSQL door (src/store/postgres/connection.ts) is synchronous: a call waits for its
// answer, then gives up. A statement that outlives the wait still answers, later. That late answer
// must never be read as the next call's: once it was, every later call on that instance read the
// answer of the call before it. A second instance in bench/postgres then saw no new channel and
// no new token, and refused every delivery.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { PostgresDatabase } from "../src/store/postgres/connection.ts";
import { sharedPostgres } from "./support/postgres.ts";
import { eventually } from "./support/pano.ts";

let db: PostgresDatabase;
let stillSleeping: () => Promise<boolean>;

beforeAll(async () => {
  const cluster = await sharedPostgres();
  const url = await cluster.createDatabase();
  // Calls give up after 300 ms here (60 s in Pano).
  db = new PostgresDatabase(url, 300);
  const name = new URL(url).pathname.slice(1);
  stillSleeping = async () => (await cluster.psql(name, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep%'")).trim() !== "0";
});
afterAll(() => db?.close());

test("a statement that outlives its call's wait answers late, and the next calls still get their own answers", async () => {
  expect(() => db.native("SELECT pg_sleep(1), 'late' AS said")).toThrow(/did not answer within 0.3 s/);
  // The slow statement finishes: its answer now waits in front of the next call's.
  await eventually(async () => !(await stillSleeping()), 10_000, "the slow statement to finish");
  expect(db.native<{ n: number }>("SELECT 42 AS n")).toEqual([{ n: 42 }]);
  expect(db.native<{ said: string }>("SELECT 'on time' AS said")).toEqual([{ said: "on time" }]);
  // The late answer was dropped, and counted.
  expect(db.lateAnswers).toBe(1);
  for (let i = 0; i < 50; i++) expect(db.native<{ i: number }>("SELECT $1::int AS i", [i])).toEqual([{ i }]);
  expect(db.lateAnswers).toBe(1);
});
