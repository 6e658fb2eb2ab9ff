// Stories of durability without the JavaScript thread waiting for the disk: the connection commits
// without flushing, the WAL is flushed on a pool thread, and nobody hears "stored" before that flush.
import { expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { flushWalOffThread, openStore } from "../src/store/db.ts";
import { WalSync } from "../src/store/wal-sync.ts";
import { Writer, StoreUnavailable } from "../src/store/writer.ts";
import { tempDir } from "./support/pano.ts";

/** A real fsync, held until the story lets it finish, so what happens meanwhile can be seen. */
class HeldFlush extends WalSync {
  held: (() => void)[] = [];
  failNext?: Error;
  private started: (() => void)[] = [];
  protected override flush(fd: number, done: (err: NodeJS.ErrnoException | null) => void) {
    const fail = this.failNext;
    this.failNext = undefined;
    super.flush(fd, (err) => this.held.push(() => done(fail ?? err)));
    for (const s of this.started.splice(0)) s();
  }
  /** Resolves once a flush has begun. */
  begun(): Promise<void> {
    return new Promise((r) => this.started.push(r));
  }
  async finishOne(): Promise<void> {
    while (!this.held.length) await new Promise((r) => setTimeout(r, 1));
    this.held.shift()!();
  }
}

function setup() {
  const store = openStore(tempDir());
  store.sqlite.exec("CREATE TABLE t (k TEXT PRIMARY KEY)");
  expect(flushWalOffThread(store, "FULL")).toBeInstanceOf(WalSync);
  const sync = new HeldFlush(`${store.path}-wal`);
  const events: string[] = [];
  const writer = new Writer(store.sqlite, { windowMs: 0, max: 500, afterCommit: (e) => events.push(...e.map((x) => x.type)), walSync: sync });
  const insert = (k: string) => writer.submit((tx) => {
    tx.db.query("INSERT INTO t (k) VALUES (?)").run(k);
    tx.emit({ type: "outbox.queued", messageId: 1 });
    return k;
  });
  // Another connection sees what is committed, flushed or not.
  const reader = new Database(store.path, { readonly: true });
  const committed = () => reader.query<{ k: string }, []>("SELECT k FROM t ORDER BY k").all().map((r) => r.k);
  return { store, writer, sync, events, insert, committed };
}

test("a write is answered only after the WAL holding it is flushed; its events wait for the flush too", async () => {
  const { writer, sync, events, insert, committed } = setup();
  let answered = false;
  const begun = sync.begun();
  const first = insert("a").then((k) => ((answered = true), k));
  await begun;
  // Committed (another connection reads it), its flush under way: nobody has been told yet.
  expect(committed()).toEqual(["a"]);
  expect(answered).toBe(false);
  expect(events).toEqual([]);
  await sync.finishOne();
  expect(await first).toBe("a");
  expect(events).toEqual(["outbox.queued"]);
  expect(writer.stats.batches).toBe(1);
});

test("batches committed while a flush runs wait for the next flush, which covers them all at once", async () => {
  const { sync, insert, committed } = setup();
  const order: string[] = [];
  const begun = sync.begun();
  const a = insert("a").then(() => order.push("a"));
  await begun;
  // The thread is free: two more batches commit during the first flush.
  const b = insert("b").then(() => order.push("b"));
  await new Promise((r) => setImmediate(r));
  const c = insert("c").then(() => order.push("c"));
  await new Promise((r) => setImmediate(r));
  expect(committed()).toEqual(["a", "b", "c"]);
  const second = sync.begun();
  await sync.finishOne();
  await a;
  expect(order).toEqual(["a"]);
  await second;
  await sync.finishOne();
  await Promise.all([b, c]);
  expect(order).toEqual(["a", "b", "c"]);
  expect(sync.flushes).toBe(2);
});

test("a failed flush is a storage failure for the writes it held: their callers hear so, nothing is reported stored", async () => {
  const { sync, insert } = setup();
  sync.failNext = Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" });
  const begun = sync.begun();
  const write = insert("a");
  await begun;
  await sync.finishOne();
  const err = await write.catch((e) => e);
  expect(err).toBeInstanceOf(StoreUnavailable);
  expect(String(err.message)).toContain("EIO");
});

test("closing the writer flushes on the spot: what was committed is answered without waiting for a pool thread", async () => {
  const store = openStore(tempDir());
  store.sqlite.exec("CREATE TABLE t (k TEXT PRIMARY KEY)");
  const sync = flushWalOffThread(store, "FULL")!;
  const writer = new Writer(store.sqlite, { windowMs: 1000, max: 500, afterCommit: () => {}, walSync: sync });
  let answered = false;
  const write = writer.submit((tx) => tx.db.query("INSERT INTO t (k) VALUES ('z')").run()).then(() => (answered = true));
  writer.close();
  // Settled within close(): the promise's reaction is all that is left to run.
  await Promise.resolve();
  await Promise.resolve();
  expect(answered).toBe(true);
  expect(sync.flushes).toBe(0);
  await write;
  expect(store.sqlite.query<{ n: number }, []>("SELECT count(*) AS n FROM t").get()!.n).toBe(1);
});

test("NORMAL chosen by the operator, or a database not in WAL mode: SQLite keeps its own flushing", () => {
  const store = openStore(tempDir(), { synchronous: "NORMAL" });
  expect(flushWalOffThread(store, "NORMAL")).toBeUndefined();
  const mem = { sqlite: new Database(":memory:"), path: ":memory:", close() {} };
  expect(flushWalOffThread(mem, "FULL")).toBeUndefined();
  expect(mem.sqlite.query<{ synchronous: number }, []>("PRAGMA synchronous").get()!.synchronous).toBe(2);
});
