// Stories of the writer that makes thousands of durable messages per second possible.
import { expect, test } from "bun:test";
import { openStore } from "../src/store/db.ts";
import { Writer, StoreUnavailable } from "../src/store/writer.ts";
import { tempDir } from "./support/pano.ts";

function setup() {
  const store = openStore(tempDir());
  store.sqlite.exec("CREATE TABLE t (k TEXT PRIMARY KEY)");
  const events: string[] = [];
  const writer = new Writer(store.sqlite, { windowMs: 2, max: 500, afterCommit: (e) => events.push(...e.map((x) => x.type)) });
  return { store, writer, events };
}

test("writes submitted together are committed in one transaction, and callers hear after commit", async () => {
  const { store, writer, events } = setup();
  const results = await Promise.all(
    Array.from({ length: 300 }, (_, i) =>
      writer.submit((tx) => {
        tx.db.query("INSERT INTO t (k) VALUES (?)").run(`k${i}`);
        tx.emit({ type: "outbox.queued", messageId: i });
        return i;
      }),
    ),
  );
  expect(results).toHaveLength(300);
  expect(writer.stats.batches).toBe(1);
  expect(events).toHaveLength(300);
  expect(store.sqlite.query<{ n: number }, []>("SELECT count(*) AS n FROM t").get()!.n).toBe(300);
});

test("one bad write fails alone; the rest of its batch is stored and its events are not emitted", async () => {
  const { store, writer, events } = setup();
  const outcomes = await Promise.allSettled([
    writer.submit((tx) => tx.db.query("INSERT INTO t (k) VALUES ('a')").run()),
    writer.submit((tx) => {
      tx.db.query("INSERT INTO t (k) VALUES ('b')").run();
      tx.emit({ type: "outbox.queued", messageId: 2 });
      tx.db.query("INSERT INTO t (k) VALUES ('a')").run(); // duplicate key: this job fails
    }),
    writer.submit((tx) => tx.db.query("INSERT INTO t (k) VALUES ('c')").run()),
  ]);
  expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  // Nothing half-written: the failed job's first insert was rolled back with it.
  expect(store.sqlite.query<{ k: string }, []>("SELECT k FROM t ORDER BY k").all().map((r) => r.k)).toEqual(["a", "c"]);
  expect(events).toEqual([]);
});

test("a batch whose commit cannot happen rejects every caller with a storage error", async () => {
  const { store, writer } = setup();
  store.sqlite.exec("PRAGMA query_only = ON"); // stands in for a read-only volume
  const outcomes = await Promise.allSettled([1, 2, 3].map((i) => writer.submit((tx) => tx.db.query("INSERT INTO t (k) VALUES (?)").run(`x${i}`))));
  expect(outcomes.every((o) => o.status === "rejected" && o.reason instanceof StoreUnavailable)).toBe(true);
  store.sqlite.exec("PRAGMA query_only = OFF");
  await writer.submit((tx) => tx.db.query("INSERT INTO t (k) VALUES ('after')").run());
  expect(store.sqlite.query<{ n: number }, []>("SELECT count(*) AS n FROM t").get()!.n).toBe(1);
});

test("a batch of re-runnable writes runs without per-write savepoints, and one bad write among them still fails alone", async () => {
  const { store, writer, events } = setup();
  const runs = { a: 0, bad: 0, c: 0 };
  const rerunnable = { rerunnable: true };
  const outcomes = await Promise.allSettled([
    writer.submit((tx) => { runs.a++; tx.db.query("INSERT INTO t (k) VALUES ('a')").run(); tx.emit({ type: "outbox.queued", messageId: 1 }); }, rerunnable),
    writer.submit((tx) => {
      runs.bad++;
      tx.db.query("INSERT INTO t (k) VALUES ('b')").run();
      tx.emit({ type: "outbox.queued", messageId: 2 });
      tx.db.query("INSERT INTO t (k) VALUES ('a')").run(); // duplicate key: this job fails
    }, rerunnable),
    writer.submit((tx) => { runs.c++; tx.db.query("INSERT INTO t (k) VALUES ('c')").run(); tx.emit({ type: "outbox.queued", messageId: 3 }); }, rerunnable),
  ]);
  expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect(store.sqlite.query<{ k: string }, []>("SELECT k FROM t ORDER BY k").all().map((r) => r.k)).toEqual(["a", "c"]);
  // The batch was undone and run again job by job: each good job's event is emitted once.
  expect(events).toEqual(["outbox.queued", "outbox.queued"]);
  // (c had not run yet when the bad write stopped the first pass.)
  expect(runs).toEqual({ a: 2, bad: 2, c: 1 });
  expect(writer.stats.batches).toBe(1);
  // The clean path: the next batch of re-runnable writes runs each job exactly once.
  await Promise.all(["d", "e"].map((k) => writer.submit((tx) => { runs.a++; tx.db.query("INSERT INTO t (k) VALUES (?)").run(k); }, rerunnable)));
  expect(runs.a).toBe(4);
  expect(store.sqlite.query<{ n: number }, []>("SELECT count(*) AS n FROM t").get()!.n).toBe(4);
});

test("in a batch that mixes other writes with re-runnable ones, a bad re-runnable write still fails alone and the others keep their order", async () => {
  const { store, writer, events } = setup();
  store.sqlite.exec("CREATE TABLE seq (n INTEGER PRIMARY KEY AUTOINCREMENT, k TEXT)");
  const rerunnable = { rerunnable: true };
  const write = (k: string, fail = false) => (tx: Parameters<Parameters<typeof writer.submit>[0]>[0]) => {
    tx.db.query("INSERT INTO seq (k) VALUES (?)").run(k);
    tx.emit({ type: "outbox.queued", messageId: k.charCodeAt(0) });
    if (fail) throw new Error(`${k} refused`);
  };
  const outcomes = await Promise.allSettled([
    writer.submit(write("settings")),
    writer.submit(write("in-1"), rerunnable),
    writer.submit(write("in-2", true), rerunnable),
    writer.submit(write("in-3"), rerunnable),
    writer.submit(write("profile")),
    writer.submit(write("in-4"), rerunnable),
  ]);
  expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
  expect(writer.stats.batches).toBe(1);
  expect(store.sqlite.query<{ k: string }, []>("SELECT k FROM seq ORDER BY n").all().map((r) => r.k)).toEqual(["settings", "in-1", "in-3", "profile", "in-4"]);
  expect(events).toHaveLength(5);
});

test("a before-commit hook marked last runs after every other, even one removed and set again after it", async () => {
  const { writer } = setup();
  const ran: string[] = [];
  const hook = (name: string) => () => void ran.push(name);
  writer.setBeforeCommit("closing", hook("closing"), { last: true });
  writer.setBeforeCommit("deliveries", hook("deliveries"));
  writer.setBeforeCommit("deliveries", undefined);
  writer.setBeforeCommit("deliveries", hook("deliveries"));
  writer.setBeforeCommit("another", hook("another"));
  await writer.submit((tx) => tx.emit({ type: "outbox.queued", messageId: 1 }));
  expect(ran).toEqual(["deliveries", "another", "closing"]);
});
