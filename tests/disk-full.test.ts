// A full disk at a peak must not lose or corrupt anything: Pano answers 503 with a clear
// error (so the provider redelivers later), logs why, and recovers by itself once space returns.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { closeSync, existsSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { basename, join } from "node:path";
import { ON_POSTGRES, runPano, startPano, tempDir, type PanoProcess } from "./support/pano.ts";

const mountPoint = tempDir("pano-tmpfs-");
const mounted = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mountPoint]).exitCode === 0;
let pano: PanoProcess | undefined;

beforeAll(() => {
  if (!mounted) console.warn("disk-full story skipped: cannot mount a tmpfs here (needs root)");
});
const readOnlyPoint = tempDir("pano-rofs-");
afterAll(async () => {
  await pano?.stop();
  if (mounted) for (const p of [mountPoint, readOnlyPoint]) Bun.spawnSync(["umount", "-l", p]);
});

/** Writes zeros until the filesystem refuses: the disk is now full. */
function fillDisk(path: string): void {
  const fd = openSync(path, "w");
  const chunk = new Uint8Array(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
  } finally {
    closeSync(fd);
  }
}

// The data dir's database filling its disk: on PostgreSQL the database server's disk is its own.
test.skipIf(!mounted || ON_POSTGRES)("a full disk turns ingest into 503 with a clear error, then recovers when space returns", async () => {
  const dataDir = join(mountPoint, "data");
  pano = await startPano({ dataDir });
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Shop" } });
  const post = (id: string) =>
    pano!.api(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "kh-1", external_message_id: id, text: `Tin nhắn ${id} `.repeat(40) } });

  const acked = ["before"];
  expect((await post("before")).status).toBe(202);

  const filler = join(mountPoint, "filler");
  fillDisk(filler);
  const refused: Response[] = [];
  for (let i = 0; i < 50 && refused.length === 0; i++) {
    const r = await post(`full-${i}`);
    if (r.status === 503) refused.push(r);
    else if (r.status === 202) acked.push(`full-${i}`); // SQLite may still have free pages for a few rows
    else throw new Error(`unexpected ${r.status}: ${await r.text()}`);
  }
  expect(refused).toHaveLength(1);
  const body = await refused[0].json();
  expect(body.error.code).toBe("unavailable");
  expect(body.error.message).toContain("disk full");
  expect(refused[0].headers.get("retry-after")).toBeTruthy();
  expect(pano.logs()).toContain("storage unavailable");

  rmSync(filler);
  const after = await post("after");
  expect(after.status).toBe(202);
  acked.push("after");
  await pano.stop();
  pano = undefined;

  const db = new Database(join(dataDir, "pano.db"), { readonly: true });
  expect(db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").get()?.integrity_check).toBe("ok");
  const ids = db.query<{ external_id: string }, []>("SELECT external_id FROM messages ORDER BY id").all().map((r) => r.external_id);
  expect(ids).toEqual(acked);
  db.close();
}, 60_000);

// A volume that comes back read-only (a remount after an I/O error, a wrong `:ro` in docker run)
// cannot be made while Pano holds its files open (the kernel refuses: busy), so this is the
// restart case: Pano says what is wrong in one line instead of a SQLite stack trace.
test.skipIf(!mounted)("on a read-only volume pano serve refuses to start with one clear line", async () => {
  expect(Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", readOnlyPoint]).exitCode).toBe(0);
  const dataDir = join(readOnlyPoint, "data");
  expect((await runPano(["user", "create", "--email", "chu@shop.vn", "--password", "mat-khau-du-dai"], { PANO_DATA_DIR: dataDir })).code).toBe(0);
  expect(Bun.spawnSync(["mount", "-o", "remount,ro", readOnlyPoint]).exitCode).toBe(0);

  const serve = await runPano(["serve"], { PANO_DATA_DIR: dataDir, PORT: "0" });
  expect(serve.code).toBe(2);
  expect(serve.stderr.trim()).toBe(`pano: configuration error: the data directory ${dataDir} is on a read-only volume: mount it read-write, owned by the user Pano runs as (uid 10001 in the Docker image)`);
});

// The real-world read-only case: ext4 meets an I/O error and remounts itself read-only
// (errors=remount-ro) under a running Pano. ext4's trigger_fs_error makes that happen on a loop
// device. Writes are refused with a 503 that says why; once the admin has checked the volume and
// started Pano again, every acknowledged message is there, and so is the key that opens the
// channel secrets (written at first start: it must have reached the disk, not only the cache).
const volume = tempDir("pano-ext4-");
const image = join(tempDir("pano-ext4-img-"), "volume.img");
let loop = "";
function attachVolume(): boolean {
  if (!mounted) return false;
  const sh = (cmd: string) => Bun.spawnSync(["sh", "-c", cmd], { stdout: "pipe", stderr: "pipe" });
  if (sh(`truncate -s 32M '${image}' && mkfs.ext4 -q -F '${image}'`).exitCode !== 0) return false;
  const attached = sh(`losetup -f --show '${image}'`);
  loop = attached.stdout.toString().trim();
  if (attached.exitCode !== 0 || !loop) return false;
  return sh(`mount -o errors=remount-ro ${loop} '${volume}'`).exitCode === 0 && existsSync(`/sys/fs/ext4/${basename(loop)}/trigger_fs_error`);
}
const haveVolume = attachVolume();
afterAll(() => {
  if (!loop) return;
  Bun.spawnSync(["umount", "-l", volume]);
  Bun.spawnSync(["losetup", "-d", loop]);
});

test.skipIf(!haveVolume || ON_POSTGRES)("a volume that turns read-only under load answers 503 saying so; after fsck and a restart every acknowledged message is there", async () => {
  const dataDir = join(volume, "data");
  pano = await startPano({ dataDir });
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Shop" } });
  const post = (id: string) => pano!.api(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "kh-2", external_message_id: id, text: `Tin ${id}` } });
  const acked: string[] = [];
  for (let i = 0; i < 20; i++) if ((await post(`ro-${i}`)).status === 202) acked.push(`ro-${i}`);
  expect(acked).toHaveLength(20);

  writeFileSync(`/sys/fs/ext4/${basename(loop)}/trigger_fs_error`, "pano test: volume error");
  const refused = await post("after-error");
  expect(refused.status).toBe(503);
  expect(refused.headers.get("retry-after")).toBeTruthy();
  expect((await refused.json()).error).toMatchObject({ code: "unavailable", message: expect.stringContaining("read-only") });
  expect(pano.logs()).toContain("storage unavailable");
  expect(await pano.stop()).toBe(0);
  pano = undefined;

  const sh = (cmd: string) => Bun.spawnSync(["sh", "-c", cmd], { stdout: "pipe", stderr: "pipe" });
  expect(sh(`umount '${volume}'`).exitCode).toBe(0);
  expect(sh(`e2fsck -fy ${loop}`).exitCode).toBeLessThan(4); // 0-2: clean or repaired
  expect(sh(`mount -o errors=remount-ro ${loop} '${volume}'`).exitCode).toBe(0);
  pano = await startPano({ dataDir });
  expect((await post("after-repair")).status).toBe(202);
  acked.push("after-repair");
  expect(await pano.stop()).toBe(0);
  pano = undefined;
  const db = new Database(join(dataDir, "pano.db"), { readonly: true });
  expect(db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").get()?.integrity_check).toBe("ok");
  const ids = db.query<{ external_id: string }, []>("SELECT external_id FROM messages WHERE external_id LIKE 'ro-%' OR external_id LIKE 'after-%' ORDER BY id").all().map((r) => r.external_id);
  db.close();
  expect(ids).toEqual(acked);
}, 60_000);
