// An admin runs Pano as one container on a small VPS. Docker engines are not everywhere this
// suite runs, so the story is told three ways: the Dockerfile says what the image is; the
// Dockerfile's own root-filesystem script runs here and Pano serves from the result under chroot,
// as the image's non-root user, with the image's environment; and where an engine answers, the
// real image is built and run.
import { afterAll, expect, test } from "bun:test";
import { chmodSync, chownSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUN, ROOT, runPano, startPano, tempDir, type PanoProcess } from "./support/pano.ts";
import { inspectDataDir } from "./support/replication.ts";

interface Instruction { stage: number; cmd: string; args: string; heredoc?: string }

/** Just enough of the Dockerfile grammar for this file: continuations, comments, one heredoc per RUN. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split("\n");
  let stage = -1;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    while (line.endsWith("\\")) line = line.slice(0, -1) + " " + lines[++i]!.trim();
    const m = /^(\w+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const cmd = m[1]!.toUpperCase();
    if (cmd === "FROM") stage++;
    const ins: Instruction = { stage, cmd, args: m[2]!.replace(/\s+/g, " ") };
    const here = /<<-?'?(\w+)'?/.exec(ins.args);
    if (cmd === "RUN" && here) {
      const body: string[] = [];
      while (lines[++i] !== here[1]) body.push(lines[i]!);
      ins.heredoc = body.join("\n");
    }
    out.push(ins);
  }
  return out;
}

const dockerfile = parseDockerfile(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
const lastStage = Math.max(...dockerfile.map((i) => i.stage));
const final = dockerfile.filter((i) => i.stage === lastStage);
const build = dockerfile.filter((i) => i.stage < lastStage);
const finalOf = (cmd: string) => final.filter((i) => i.cmd === cmd).map((i) => i.args);
const imageEnv: Record<string, string> = Object.fromEntries(finalOf("ENV").flatMap((a) => a.split(" ").map((kv) => kv.split("=") as [string, string])));
const imageUser = finalOf("USER")[0] ?? "";
const rootfsScript = build.find((i) => i.heredoc?.includes("ROOTFS"))?.heredoc ?? "";
/** The flags the image's `npm run build -- ...` passes, so the test compiles the same executable. */
const buildFlags = (build.find((i) => i.cmd === "RUN" && i.args.startsWith("npm run build"))?.args.split(" -- ")[1] ?? "").split(" ").filter(Boolean);

test("the Dockerfile compiles dist/pano with npm's Bun and ships one executable, Litestream and CA certificates as a non-root user", () => {
  expect(build[0]!.args).toMatch(/^--platform=linux\/amd64 node:\S+ AS build$/);
  expect(build.filter((i) => i.cmd === "RUN").map((i) => i.args)).toEqual(expect.arrayContaining([expect.stringMatching(/^npm ci\b/), expect.stringMatching(/^npm run build\b/)]));
  expect(rootfsScript).toContain("node_modules/@flydotio/litestream-linux-x64/litestream");
  expect(rootfsScript).toContain("/etc/ssl/certs/ca-certificates.crt");

  // The image is the assembled file system and nothing else.
  expect(final[0]!.args).toBe("--platform=linux/amd64 scratch");
  expect(finalOf("COPY").every((a) => a.startsWith("--from=build "))).toBe(true);
  expect(Number(imageUser.split(":")[0])).toBeGreaterThan(0);
  expect(finalOf("VOLUME")).toEqual(['["/data"]']);
  expect(imageEnv.PANO_DATA_DIR).toBe("/data");
  expect(finalOf("EXPOSE")).toEqual([imageEnv.PORT!]);
  expect(finalOf("HEALTHCHECK")[0]).toMatch(/CMD \["\/usr\/local\/bin\/pano", "healthcheck"\]$/);
  expect(finalOf("ENTRYPOINT")).toEqual(['["/usr/local/bin/pano"]']);
  expect(finalOf("CMD")).toEqual(['["serve"]']);

  // The builder gets what npm ci and the build read, not node_modules, data or the repository.
  const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
  expect(ignored).toEqual(expect.arrayContaining(["node_modules", "dist", "data", ".git"]));
  for (const needed of ["package.json", "package-lock.json", "src", "views", "public", "migrations", "corpus", "scripts"]) expect(ignored).not.toContain(needed);
});

// chroot with /proc and /dev bound in a private mount namespace: needs root, as CI and this machine have.
const canChroot = process.getuid?.() === 0 && Bun.spawnSync(["unshare", "--mount", "true"]).exitCode === 0 && Bun.which("ldd") !== null;
const uid = Number(imageUser.split(":")[0]);
const workDir = tempDir("pano-image-");
const rootfs = join(workDir, "rootfs");
let pano: PanoProcess | undefined;
afterAll(async () => {
  await pano?.kill();
  rmSync(workDir, { recursive: true, force: true });
});

/** A stand-in for `docker run`: the image's root, user and ENV, plus the -e variables a test passes. */
function imageRunner(): string {
  const passed = ["PORT", "PANO_PUBLIC_URL", "PANO_ADMIN_EMAIL", "PANO_ADMIN_PASSWORD", "PANO_LOG_LEVEL", "PANO_OUTBOX_POLL_MS", "PANO_REPLICA_URL", "PANO_REPLICA_SYNC_INTERVAL"];
  const env = [...Object.entries(imageEnv).filter(([k]) => !passed.includes(k)).map(([k, v]) => `${k}='${v}'`), ...passed.map((k) => `${k}="\${${k}:-}"`)];
  const [mount, chroot] = [Bun.which("mount"), Bun.which("chroot")];
  const inside = `${mount} --bind /proc "$0/proc" && ${mount} --bind /dev "$0/dev" && exec ${chroot} --userspec=${imageUser} "$0" /usr/local/bin/pano "$@"`;
  const path = join(workDir, "docker-run");
  writeFileSync(path, `#!/bin/sh\nexec env -i ${env.join(" ")} ${Bun.which("unshare")} --mount /bin/sh -c '${inside}' '${rootfs}' "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);

test.skipIf(!canChroot)("served from the image's file system as its non-root user: /healthz, `pano healthcheck`, the bundled Litestream replicates, a restore on a new volume has the message", async () => {
  const panoBin = join(workDir, "pano");
  const compiled = Bun.spawnSync([BUN, join(ROOT, "scripts/build.ts"), "--outfile", panoBin, ...buildFlags], { cwd: ROOT });
  expect(compiled.exitCode).toBe(0);
  const assembled = Bun.spawnSync(["bash", "-c", rootfsScript], { cwd: ROOT, env: { ...process.env, ROOTFS: rootfs, DATAFS: rootfs, PANO_BIN: panoBin }, stderr: "pipe" });
  expect(assembled.stderr.toString()).toBe("");
  expect(assembled.exitCode).toBe(0);

  const files = (readdirSync(rootfs, { recursive: true }) as string[]).filter((f) => statSync(join(rootfs, f)).isFile()).sort();
  const bytes = files.reduce((n, f) => n + statSync(join(rootfs, f)).size, 0);
  console.log(`image file system: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB (pano ${(statSync(panoBin).size / 1e6).toFixed(1)} MB)`);
  expect(files.filter((f) => !f.startsWith("lib"))).toEqual(["etc/group", "etc/passwd", "etc/ssl/certs/ca-certificates.crt", "usr/local/bin/litestream", "usr/local/bin/pano"]);
  expect(files.filter((f) => f.startsWith("lib")).every((f) => /\/(ld-linux[^/]*|lib[a-z]+)\.so\.\d+$/.test(f))).toBe(true);
  expect(bytes).toBeLessThan(150e6);
  // The pano user can run the executables but not replace them; only it can read /data.
  for (const bin of ["pano", "litestream"]) expect(statSync(join(rootfs, "usr/local/bin", bin))).toMatchObject({ uid: 0, mode: 0o100755 });
  expect(statSync(join(rootfs, "data"))).toMatchObject({ uid, mode: 0o40700 });

  // What `-v pano-backup:/backup` and a second machine's empty volume would be.
  for (const dir of ["backup", "newvps"]) {
    mkdirSync(join(rootfs, dir));
    chownSync(join(rootfs, dir), uid, uid);
  }
  const dockerRun = imageRunner();
  const env = { PANO_REPLICA_URL: "file:///backup/pano", PANO_REPLICA_SYNC_INTERVAL: "200ms" };
  pano = await startPano({ binary: dockerRun, dataDir: "/data", env });
  expect(uidOf(pano.proc.pid)).toBe(uid);
  const health = await runPano(["healthcheck"], { PORT: String(pano.port) }, { binary: dockerRun });
  expect(health.code).toBe(0);
  const replication = await pano.json("/api/v1/ops/replication");
  expect(replication).toMatchObject({ enabled: true, status: "running" });
  expect(uidOf(replication.pid)).toBe(uid);

  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });
  const r = await pano.api(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "kh-1", external_message_id: "m-docker", text: "Shop ơi, còn size M không?" } });
  expect(r.status).toBe(202);
  expect(await pano.stop()).toBe(0); // `docker stop`: drains, Litestream syncs last
  pano = undefined;
  expect(statSync(join(rootfs, "data/pano.db")).uid).toBe(uid);
  expect(statSync(join(rootfs, "data/secret.key")).mode & 0o777).toBe(0o600);

  const restored = await runPano(["restore", "--to", "/newvps"], env, { binary: dockerRun });
  expect(restored.code).toBe(0);
  const copy = inspectDataDir(join(rootfs, "newvps"));
  expect(copy.integrity).toBe("ok");
  expect([...copy.ids]).toContain("m-docker");
}, 90_000);

// Only where a Docker engine runs (not on the development machines): the real image.
const dockerUp = Bun.which("docker") !== null && Bun.spawnSync(["docker", "info"], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;

test.skipIf(!dockerUp)("docker build makes an image under 150 MB that turns healthy with a volume on /data", async () => {
  const tag = `pano-test:${Date.now()}`;
  const built = Bun.spawnSync(["docker", "build", "-t", tag, "."], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  expect(built.exitCode).toBe(0);
  const size = Number(Bun.spawnSync(["docker", "image", "inspect", "-f", "{{.Size}}", tag]).stdout.toString().trim());
  console.log(`image ${tag}: ${(size / 1e6).toFixed(1)} MB`);
  expect(size).toBeLessThan(150e6);
  const name = `pano-test-${Date.now()}-${process.pid}`;
  // No host port given: Docker binds a free one itself, and `docker port` says which.
  const run = Bun.spawnSync(["docker", "run", "-d", "--name", name, "-p", "127.0.0.1::3000", "-v", `${name}:/data`, "-e", "PANO_ADMIN_EMAIL=admin@pano.test", "-e", "PANO_ADMIN_PASSWORD=mat-khau-an-toan-123", tag]);
  expect(run.exitCode).toBe(0);
  try {
    const port = Number(Bun.spawnSync(["docker", "port", name, "3000/tcp"]).stdout.toString().trim().split(":").pop());
    let status = "";
    for (let i = 0; i < 120 && status !== "healthy"; i++) {
      await Bun.sleep(1000); // polling interval: Docker runs the image's healthcheck on its own clock
      status = Bun.spawnSync(["docker", "inspect", "-f", "{{.State.Health.Status}}", name]).stdout.toString().trim();
    }
    expect(status).toBe("healthy");
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  } finally {
    Bun.spawnSync(["docker", "rm", "-f", name]);
    Bun.spawnSync(["docker", "volume", "rm", name]);
    Bun.spawnSync(["docker", "image", "rm", tag]);
  }
}, 600_000);
