// A busy shop's WAL is copied into the database file by a thread of its own: the thread that
// answers webhooks never stops to checkpoint, and the WAL does not grow without end.
import { afterAll, expect, test } from "bun:test";
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { eventually, sqliteStory, startPano, tempDir, type PanoProcess } from "./support/pano.ts";

let pano: PanoProcess | undefined;
afterAll(async () => void (await pano?.stop()));

const metric = async (p: PanoProcess, name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(await (await fetch(`${p.url}/metrics`)).text())?.[1] ?? NaN);

sqliteStory("messages stored at a peak reach the database file through the checkpoint thread, and the WAL starts over", async () => {
  const dataDir = tempDir();
  const running = (pano = await startPano({ dataDir }));
  const ch = await running.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });
  const dbSize = () => statSync(join(dataDir, "pano.db")).size;
  const before = dbSize();
  const long = "Shop ơi, đơn hàng của mình giao chưa ạ? Mình cần gấp trước thứ 6, cảm ơn shop nhiều nha. ".repeat(8);
  // About 1,500 pages of WAL: more than SQLite's own checkpoint threshold (1,000).
  for (let round = 0; round < 10; round++) {
    await Promise.all(Array.from({ length: 100 }, (_, i) => running.json(`/api/v1/channels/${ch.id}/inbound`, {
      method: "POST",
      json: { external_contact_id: `kh-${i % 37}`, external_message_id: `m-${round}-${i}`, text: `${long} #${round * 100 + i}` },
    })));
  }
  await eventually(async () => (await metric(running, "pano_checkpoints_total")) >= 1, 15_000, "the checkpoint thread to copy pages");
  // The pages are in the database file itself, not only in the WAL.
  await eventually(() => dbSize() > before + 1024 * 1024, 15_000, "the database file to grow");
  // Once everything is copied, the next commit writes the WAL from its start again: the WAL
  // header's checkpoint sequence number (bytes 12-15) counts those restarts.
  const restarts = () => {
    const fd = openSync(join(dataDir, "pano.db-wal"), "r");
    try {
      const header = Buffer.alloc(16);
      readSync(fd, header, 0, 16, 0);
      return header.readUInt32BE(12);
    } finally {
      closeSync(fd);
    }
  };
  const seen = restarts();
  let lastWrite = 0;
  let n = 0;
  await eventually(async () => {
    // A quiet shop: a message now and then, time for the thread to catch up in between.
    if (Date.now() - lastWrite > 300) {
      lastWrite = Date.now();
      await running.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "kh-x", external_message_id: `later-${n++}`, text: "thêm một tin" } });
    }
    return restarts() > seen;
  }, 30_000, "the WAL to be written again from its start");
  expect(await metric(running, "pano_checkpoints_total")).toBeGreaterThanOrEqual(1);
  expect(await running.stop()).toBe(0);
  pano = undefined;
}, 120_000);
