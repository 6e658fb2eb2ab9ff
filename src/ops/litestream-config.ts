// Where the Litestream binary is and the configuration it gets. Credentials go to the child's
// environment (LITESTREAM_ACCESS_KEY_ID / _SECRET_ACCESS_KEY), never into the file or a log.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { ReplicaTarget } from "./replica-target.ts";

const NPM_BINARY = "node_modules/@flydotio/litestream-linux-x64/litestream";

/**
 * The npm package's binary when running from source; beside the executable for a copied
 * dist/pano; on PATH in the Docker image. PANO_LITESTREAM_PATH overrides all of them.
 */
export function findLitestream(override: string | null): string | null {
  const candidates = [
    override,
    join(dirname(process.execPath), "litestream"),
    resolve(import.meta.dir, "../..", NPM_BINARY),
    resolve(process.cwd(), NPM_BINARY),
  ];
  for (const c of candidates) if (c && !c.startsWith("/$bunfs") && existsSync(c)) return c;
  return Bun.which("litestream");
}

export interface LitestreamOptions {
  syncInterval: string;
  /** How far back point-in-time restore can go. */
  retention: string;
}

export const DEFAULT_LITESTREAM: LitestreamOptions = { syncInterval: "1s", retention: "168h" };

function replicaYaml(t: ReplicaTarget, o: LitestreamOptions): string[] {
  const q = JSON.stringify; // a JSON string is a valid double-quoted YAML scalar
  const common = [`        sync-interval: ${q(o.syncInterval)}`, `        retention: ${q(o.retention)}`, `        snapshot-interval: "24h"`];
  if (t.kind === "file") return [`      - type: file`, `        path: ${q(join(t.root, "db"))}`, ...common];
  return [
    `      - type: s3`,
    `        bucket: ${q(t.bucket)}`,
    `        path: ${q(t.prefix ? `${t.prefix}/db` : "db")}`,
    `        region: ${q(t.region)}`,
    ...(t.endpoint ? [`        endpoint: ${q(t.endpoint)}`, `        force-path-style: true`] : []),
    ...common,
  ];
}

/** Writes a private config file for `dbPath` and returns its path. */
export function writeLitestreamConfig(dbPath: string, t: ReplicaTarget, o: LitestreamOptions = DEFAULT_LITESTREAM): string {
  const dir = mkdtempSync(join(tmpdir(), "pano-litestream-"));
  const path = join(dir, "litestream.yml");
  // Litestream looks at the WAL every monitor-interval; matching it to the sync interval keeps lag at one interval.
  const yaml = ["dbs:", `  - path: ${JSON.stringify(dbPath)}`, `    monitor-interval: ${JSON.stringify(o.syncInterval)}`, "    replicas:", ...replicaYaml(t, o), ""].join("\n");
  writeFileSync(path, yaml, { mode: 0o600 });
  return path;
}

export function litestreamEnv(t: ReplicaTarget): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? tmpdir() };
  if (t.kind === "s3") {
    if (t.accessKeyId) env.LITESTREAM_ACCESS_KEY_ID = t.accessKeyId;
    if (t.secretAccessKey) env.LITESTREAM_SECRET_ACCESS_KEY = t.secretAccessKey;
  }
  return env;
}
