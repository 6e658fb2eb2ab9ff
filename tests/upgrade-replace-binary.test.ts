// An admin upgrades by stopping Pano, copying the new executable over the old one and starting
// it again: the new file applies its migrations to the old data at start and everything that was
// there is still there. The old executable is built here from this repository's own history.
import { afterAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUN, ON_POSTGRES, ROOT, startPano, tempDir, type PanoProcess } from "./support/pano.ts";

// The last commit before migration 0001: its executable knows only 0000_init.
const OLD = "3980543445820a1b13e5b8256561597082c69243";
const haveHistory = Bun.spawnSync(["git", "cat-file", "-e", `${OLD}^{commit}`], { cwd: ROOT, stderr: "ignore" }).exitCode === 0;

let pano: PanoProcess | undefined;
afterAll(async () => void (await pano?.stop()));

function buildOld(outfile: string): void {
  const src = tempDir("pano-old-src-");
  const archive = Bun.spawnSync(["sh", "-c", `git archive ${OLD} | tar -x -C '${src}'`], { cwd: ROOT });
  if (archive.exitCode !== 0) throw new Error(`git archive failed: ${archive.stderr}`);
  symlinkSync(join(ROOT, "node_modules"), join(src, "node_modules"));
  // That tree lazily imported a command it did not hold yet; running from source never noticed.
  const triage = join(src, "src/commands/triage.ts");
  if (!existsSync(triage)) writeFileSync(triage, "export async function triageCommand(): Promise<number> { return 2; }\n");
  const built = Bun.spawnSync([BUN, "build", "--compile", "--minify", "src/main.ts", "--outfile", outfile], { cwd: src, stdout: "pipe", stderr: "pipe" });
  if (built.exitCode !== 0) throw new Error(`building ${OLD.slice(0, 7)} failed: ${built.stderr}`);
}

const inbound = (p: PanoProcess, channel: string, id: string, text: string) =>
  p.api(`/api/v1/channels/${channel}/inbound`, { method: "POST", json: { external_contact_id: "kh-1", contact_name: "Chị Hoa", external_message_id: id, text } });

// The release it upgrades from kept everything in SQLite; PostgreSQL upgrades: tests/postgres-schema.
test.skipIf(!haveHistory || ON_POSTGRES)("copying the new executable over the old one upgrades the data in place: migrations run at start, nothing is lost", async () => {
  const bin = join(tempDir("pano-srv-"), "bin");
  mkdirSync(bin);
  const installed = join(bin, "pano");
  buildOld(installed);
  const dataDir = join(tempDir(), "data");

  pano = await startPano({ binary: installed, dataDir, cwd: bin });
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });
  for (const [id, text] of [["m-1", "Shop ơi còn áo size M không?"], ["m-2", "Mình lấy 2 cái nhé"]]) expect((await inbound(pano, ch.id, id!, text!)).status).toBe(202);
  expect(await pano.stop()).toBe(0);
  pano = undefined;
  const migrationsIn = (dir: string) => {
    const db = new Database(join(dir, "pano.db"), { readonly: true });
    try {
      return db.query<{ tag: string }, []>("SELECT tag FROM pano_migrations ORDER BY tag").all().map((r) => r.tag);
    } finally {
      db.close();
    }
  };
  const before = migrationsIn(dataDir);
  const all = readdirSync(join(ROOT, "migrations")).filter((f) => f.endsWith(".sql")).map((f) => f.replace(/\.sql$/, "")).sort();
  expect(before.length).toBeLessThan(all.length);

  // The upgrade, as docs/operations.md gives it: build, stop (above), replace one file, start.
  const fresh = join(tempDir("pano-dist-"), "pano");
  expect(Bun.spawnSync([BUN, join(ROOT, "scripts/build.ts"), "--outfile", fresh], { cwd: ROOT }).exitCode).toBe(0);
  copyFileSync(fresh, installed);

  pano = await startPano({ binary: installed, dataDir, cwd: bin });
  expect(migrationsIn(dataDir)).toEqual(all);
  const [conv] = (await pano.json(`/api/v1/conversations?channel_id=${ch.id}`)).data;
  const texts = (await pano.json(`/api/v1/conversations/${conv.id}/messages`)).data.map((m: any) => m.text);
  expect(texts).toEqual(["Shop ơi còn áo size M không?", "Mình lấy 2 cái nhé"]);
  expect((await inbound(pano, ch.id, "m-3", "Giao trước thứ 6 giúp mình")).status).toBe(202);
  expect(await pano.stop()).toBe(0);
  pano = undefined;

  const db = new Database(join(dataDir, "pano.db"), { readonly: true });
  expect(db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").get()?.integrity_check).toBe("ok");
  expect(db.query<{ n: number }, []>("SELECT count(*) AS n FROM messages").get()?.n).toBe(3);
  db.close();
}, 120_000);
