// A shop runs Pano on a shared Linux box, outside Docker, where the login shell's umask is 022.
// Other accounts on that box must not read the conversations, the customers' files, the key that
// opens the channel secrets, or a backup archive (which holds that key). Everything Pano creates
// is the owner's alone (files 0600, folders 0700), and a data dir left readable by an older
// version is made private again at start.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ON_POSTGRES, startPano, runPano, sqliteStory, tempDir, type PanoProcess } from "./support/pano.ts";

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8).padStart(3, "0");
const modes = (base: string, paths: string[]) => Object.fromEntries(paths.map((p) => [p || ".", mode(join(base, p))]));

let previousUmask: number;
let pano: PanoProcess | undefined;
const root = tempDir("pano-perm-");
const dataDir = join(root, "data"); // created by Pano itself
let attachment = "";
// On PostgreSQL the data dir holds no database and no key (the key is kept in the database):
// the customers' files are what it keeps, and they are as private.
const DATABASE_FILES = ON_POSTGRES ? [] : ["pano.db", "pano.db-wal", "pano.db-shm", "secret.key"];
const privateFiles = (names: string[]) => Object.fromEntries(names.map((n) => [n, "600"]));

beforeAll(() => {
  // Pano inherits the umask of whoever starts it: a typical shell's.
  previousUmask = process.umask(0o022);
});
afterAll(async () => {
  await pano?.stop();
  process.umask(previousUmask);
});

async function storeAFile(p: PanoProcess) {
  const ch = await p.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });
  const conv = (await p.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "kh-1", external_message_id: "m-1", text: "Em gửi ảnh CMND" } })).conversation_id;
  const form = new FormData();
  form.append("files", new File([new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3])], "cmnd.jpg", { type: "image/jpeg" }));
  form.set("private", "true");
  const r = await p.api(`/api/v1/conversations/${conv}/messages`, { method: "POST", body: form });
  expect(r.status).toBe(202);
  const shard = readdirSync(join(p.dataDir, "attachments"))[0];
  return join("attachments", shard, readdirSync(join(p.dataDir, "attachments", shard))[0]);
}

test("a fresh data dir, its database with WAL and SHM, the secret key and the customers' files are the owner's alone", async () => {
  pano = await startPano({ dataDir });
  attachment = await storeAFile(pano);
  expect(modes(dataDir, ["", ...DATABASE_FILES, "attachments", attachment.split("/").slice(0, 2).join("/"), attachment])).toEqual({
    ".": "700", ...privateFiles(DATABASE_FILES),
    attachments: "700", [attachment.split("/").slice(0, 2).join("/")]: "700", [attachment]: "600",
  });
});

sqliteStory("a backup archive (it holds the secret key) and a restored data dir are the owner's alone", async () => {
  const env = { PANO_DATA_DIR: dataDir };
  const archive = join(root, "pano-backup.tar");
  const backup = await runPano(["backup", "--to", archive], env);
  expect(backup.code).toBe(0);
  expect(mode(archive)).toBe("600");

  const restored = join(root, "restored");
  const restore = await runPano(["restore", "--from", archive, "--to", restored], env);
  expect(restore.code).toBe(0);
  expect(modes(restored, ["", "pano.db", "secret.key", "attachments", attachment])).toEqual({
    ".": "700", "pano.db": "600", "secret.key": "600", attachments: "700", [attachment]: "600",
  });
});

test("a data dir left readable by an older version is made private again when Pano starts", async () => {
  await pano!.stop();
  pano = undefined;
  for (const p of ["", "attachments"]) chmodSync(join(dataDir, p), 0o755);
  for (const p of ON_POSTGRES ? [] : ["pano.db", "secret.key"]) chmodSync(join(dataDir, p), 0o644);
  pano = await startPano({ dataDir });
  expect(modes(dataDir, ["", ...DATABASE_FILES, "attachments"])).toEqual({ ".": "700", ...privateFiles(DATABASE_FILES), attachments: "700" });
});
