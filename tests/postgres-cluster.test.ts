// Stories of the throw-away PostgreSQL the PostgreSQL tests run against (support/postgres.ts): it
// starts on a socket of its own with no TCP port, gives each Pano instance a database of its own,
// and leaves nothing running when it stops, nor when the test process dies without stopping it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { postgresOptions } from "../src/store/postgres/options.ts";
import { sharedPostgres, startPostgres, type PostgresCluster } from "./support/postgres.ts";
import { BUN, ROOT, eventually } from "./support/pano.ts";

let cluster: PostgresCluster;

beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

/** postgres.js on a database url, as Pano reads PANO_DATABASE_URL (socket directory included). */
const client = (url: string) => postgres({ ...postgresOptions(url), max: 1, onnotice: () => {} });

/** The server's own pid (first line of postmaster.pid) and whether a process still runs as it. */
const postmasterPid = (dir: string) => Number(readFileSync(join(dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
const running = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    return false;
  }
};

/** The first line a child process prints (its cluster's directory). */
async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  let said = "";
  for await (const chunk of stream) {
    said += new TextDecoder().decode(chunk);
    if (said.includes("\n")) return said.split("\n")[0];
  }
  throw new Error(`the child ended before saying its cluster's directory: ${said}`);
}

test("the cluster answers on its own socket, and on no TCP port", async () => {
  const sql = client(cluster.url("postgres"));
  try {
    const [row] = await sql`SELECT current_user AS who, current_setting('listen_addresses') AS tcp, current_setting('unix_socket_directories') AS sockets, current_setting('server_encoding') AS encoding`;
    expect(row).toEqual({ who: "pano", tcp: "", sockets: cluster.socketDir, encoding: "UTF8" });
  } finally {
    await sql.end();
  }
  expect(existsSync(join(cluster.socketDir, ".s.PGSQL.5432"))).toBe(true);
  expect(cluster.url("pano_a")).toBe(`postgres://pano@localhost/pano_a?host=${encodeURIComponent(cluster.socketDir)}`);
});

test("two Pano instances' databases are separate", async () => {
  const [a, b] = await Promise.all([cluster.createDatabase(), cluster.createDatabase()]);
  expect(a).not.toBe(b);
  const [sa, sb] = [client(a), client(b)];
  try {
    await sa`CREATE TABLE shops (name text)`;
    await sa`INSERT INTO shops VALUES ('Cửa hàng Hoa Mai')`;
    expect(await sa`SELECT name FROM shops`).toEqual([{ name: "Cửa hàng Hoa Mai" }] as never);
    const [seen] = await sb`SELECT to_regclass('shops') AS t, current_database() AS db`;
    expect(seen.t).toBeNull();
    expect(seen.db).toBe(new URL(b).pathname.slice(1));
  } finally {
    await Promise.all([sa.end(), sb.end()]);
  }
  // A name may be chosen, for a story that needs to know it.
  expect(await cluster.createDatabase("pano_named")).toBe(cluster.url("pano_named"));
  expect(await cluster.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'pano_named'")).toBe("1\n");
});

test("stories that only need a database share one cluster per test process", async () => {
  const [a, b] = await Promise.all([sharedPostgres(), sharedPostgres()]);
  expect(a.socketDir).toBe(b.socketDir);
  await a.stop(); // another file's stop() leaves it running for the rest
  const sql = client(await b.createDatabase());
  try {
    expect(await sql`SELECT 1 AS ok`).toEqual([{ ok: 1 }] as never);
  } finally {
    await sql.end();
  }
});

test("a stopped cluster leaves no server process and no directory behind", async () => {
  const other = await startPostgres();
  const pid = postmasterPid(other.socketDir);
  const sql = client(await other.createDatabase());
  const [{ backend }] = await sql`SELECT pg_backend_pid() AS backend`;
  expect(running(pid) && running(backend)).toBe(true);
  await other.stop();
  await sql.end({ timeout: 0 }).catch(() => {});
  expect(running(pid)).toBe(false);
  expect(running(backend)).toBe(false);
  expect(existsSync(other.socketDir)).toBe(false);
});

test("a test process killed without stopping its cluster takes the server with it, and the next start clears its directory", async () => {
  // A test runner killed by SIGKILL runs no exit hook: the server hears of its parent's death itself.
  const child = Bun.spawn([BUN, "-e", `
    import { startPostgres } from ${JSON.stringify(join(ROOT, "tests/support/postgres.ts"))};
    const c = await startPostgres();
    console.log(c.socketDir);
    await Bun.sleep(60_000);
  `], { stdout: "pipe", stderr: "inherit" });
  const dir = await firstLine(child.stdout);
  try {
    const pid = postmasterPid(dir);
    expect(running(pid)).toBe(true);
    child.kill("SIGKILL");
    await child.exited;
    await eventually(() => !running(pid), 30_000, "the orphaned server to shut down");
    // Its directory (bun test runs no exit hook either) goes with the next cluster's start.
    expect(existsSync(dir)).toBe(true);
    const next = await startPostgres();
    await next.stop();
    expect(existsSync(dir)).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
