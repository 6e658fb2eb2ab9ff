// An admin's backups: `pano backup` takes a consistent snapshot while customers keep writing,
// `pano restore` brings it back on another machine (photos and Page secrets included), and
// neither lets a slip of the keyboard overwrite data.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ON_POSTGRES, eventually, runPano, sqliteStory, tempDir } from "./support/pano.ts";
import { startFacebookStory, psidOf, type FacebookStory } from "./sim/facebook-pano.ts";
import { burst, ids, inspectDataDir, missingFrom } from "./support/replication.ts";

let story: FacebookStory;
const photo = new Uint8Array(5000).map((_, i) => (i * 31) % 256);
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
let archive: string;

beforeAll(async () => {
  story = await startFacebookStory();
  const url = story.sim.addFile("bang-mau.jpg", photo, "image/jpeg");
  await story.sim.customerSays(psidOf(7), "Shop gửi giúp em bảng màu", { attachments: [{ type: "image", url }] });
  const conv = (await story.conversationOf(psidOf(7))).conversationId;
  await eventually(async () => (await story.messages(conv))[0]?.attachments[0]?.url?.startsWith(`${story.pano.url}/files/`), 5000, "the photo stored");
});
afterAll(async () => void (await story.stop()));

const files = (dir: string) => (existsSync(join(dir, "attachments")) ? readdirSync(join(dir, "attachments"), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : []);

sqliteStory("pano backup --to FILE while messages keep arriving restores every message acknowledged before it, with the photos", async () => {
  const { pano } = story;
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });
  archive = join(tempDir(), "pano-2026-11-25.tar");
  let backup: Promise<Awaited<ReturnType<typeof runPano>>> | undefined;
  let ackedBefore = new Set<string>();
  const done = await burst(pano, ch.id, ids("peak", 3000), 32, (acked) => {
    if (backup || acked.size < 1000) return;
    ackedBefore = new Set(acked);
    backup = runPano(["backup", "--to", archive], { PANO_DATA_DIR: pano.dataDir });
  });
  const result = await backup!;
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/pano backup: wrote .*pano-2026-11-25\.tar \(\d+ messages, 1 attachments/);
  expect(done.acked.size).toBe(3000);

  const listing = Bun.spawnSync(["tar", "-tf", archive]).stdout.toString().split("\n");
  expect(listing).toEqual(expect.arrayContaining(["manifest.json", "pano.db", "secret.key", `attachments/${sha(photo).slice(0, 2)}/${sha(photo)}`]));

  const dir = join(tempDir(), "restored");
  const restored = await runPano(["restore", "--from", archive, "--to", dir], {});
  expect(restored.code).toBe(0);
  expect(restored.stdout).toContain("integrity_check ok");
  const inside = inspectDataDir(dir);
  expect(inside.integrity).toBe("ok");
  expect(missingFrom(inside.ids, ackedBefore)).toEqual([]);
  expect(files(dir)).toEqual([sha(photo)]);
  expect(readFileSync(join(dir, "secret.key"), "utf8")).toBe(readFileSync(join(pano.dataDir, "secret.key"), "utf8"));
}, 60_000);

sqliteStory("pano restore refuses a directory that is not empty and leaves it untouched; --force replaces the database", async () => {
  const dir = join(tempDir(), "in-use");
  mkdirSync(dir);
  writeFileSync(join(dir, "ghi-chu.txt"), "dữ liệu của máy cũ");
  const refused = await runPano(["restore", "--from", archive, "--to", dir], {});
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("is not empty");
  expect(refused.stderr).toContain("--force");
  expect(readdirSync(dir)).toEqual(["ghi-chu.txt"]);

  const forced = await runPano(["restore", "--from", archive, "--to", dir, "--force"], {});
  expect(forced.code).toBe(0);
  expect(inspectDataDir(dir).integrity).toBe("ok");
  expect(readdirSync(dir).sort()).toEqual(["attachments", "ghi-chu.txt", "pano.db", "secret.key", "vapid.json"]);
});

sqliteStory("pano backup to the replica writes a snapshot that a machine where Litestream never ran restores", async () => {
  const replica = join(tempDir("pano-replica-"), "replica");
  const env = { PANO_DATA_DIR: story.pano.dataDir, PANO_REPLICA_URL: `file://${replica}` };
  const backup = await runPano(["backup"], env);
  expect(backup.code).toBe(0);
  expect(backup.stdout).toMatch(new RegExp(`wrote file://${replica}/snapshots/\\d{8}T\\d{6}Z\\.tar`));
  expect(existsSync(join(replica, "secret.key"))).toBe(true);
  expect(readdirSync(join(replica, "attachments"), { recursive: true })).toContain(`${sha(photo).slice(0, 2)}/${sha(photo)}`);

  const dir = join(tempDir(), "new-vps");
  const restored = await runPano(["restore", "--to", dir], { PANO_REPLICA_URL: `file://${replica}` });
  expect(restored.code).toBe(0);
  expect(restored.stdout).toContain("(from snapshot)");
  expect(files(dir)).toEqual([sha(photo)]);
  expect(inspectDataDir(dir).ids.size).toBe(inspectDataDir(story.pano.dataDir).ids.size);
});

sqliteStory("mistakes get a clear answer and change nothing", async () => {
  const noReplica = await runPano(["backup"], { PANO_DATA_DIR: story.pano.dataDir, PANO_REPLICA_URL: "" });
  expect(noReplica.code).toBe(1);
  expect(noReplica.stderr).toContain("no replica configured");

  const badTime = await runPano(["restore", "--timestamp", "hôm qua"], {});
  expect(badTime.code).toBe(2);
  expect(badTime.stderr).toContain("--timestamp must be an ISO 8601 time");

  const missing = await runPano(["restore", "--from", "/nonexistent/pano.tar", "--to", join(tempDir(), "x")], {});
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain("no backup file at /nonexistent/pano.tar");

  const badUrl = await runPano(["backup"], { PANO_DATA_DIR: story.pano.dataDir, PANO_REPLICA_URL: "ftp://backup.example/pano" });
  expect(badUrl.code).toBe(2);
  expect(badUrl.stderr).toContain("PANO_REPLICA_URL must start with file:// or s3://");

  const help = await runPano(["restore", "--help"], {});
  expect(help.code).toBe(0);
  expect(help.stdout).toContain("pano restore [--to DIR] [--timestamp T] [--force]");
});

test.skipIf(!ON_POSTGRES)("on PostgreSQL, pano backup and pano restore point to PostgreSQL's own tools and touch nothing", async () => {
  const env = { PANO_DATA_DIR: story.pano.dataDir };
  const before = files(story.pano.dataDir).sort();
  const target = join(tempDir(), "restored");
  for (const args of [["backup", "--to", join(tempDir(), "pano.tar")], ["restore", "--to", target]]) {
    const r = await runPano(args, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the database is PostgreSQL (PANO_DATABASE_URL)");
    expect(r.stderr).toContain("pg_dump");
  }
  expect(existsSync(target)).toBe(false);
  expect(files(story.pano.dataDir).sort()).toEqual(before);
  // The inbox itself is untouched and still answers.
  expect((await story.messages((await story.conversationOf(psidOf(7))).conversationId)).length).toBeGreaterThan(0);
});
