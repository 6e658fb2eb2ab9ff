// Plain objects in the replica root (attachments, secret.key, snapshots): a folder for file://,
// a bucket for s3:// (Bun's built-in S3 client, so nothing else to install).
import { mkdir, readdir, rename, stat } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import type { ReplicaTarget } from "./replica-target.ts";

export interface ReplicaStore {
  put(key: string, data: Uint8Array | Blob): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
  /** Copies an object to a local file; false when there is no such object. */
  download(key: string, dest: string): Promise<boolean>;
  has(key: string): Promise<boolean>;
  /** Every key under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
}

export function replicaStore(t: ReplicaTarget): ReplicaStore {
  return t.kind === "file" ? fileStore(t.root) : s3Store(t);
}

function fileStore(root: string): ReplicaStore {
  return {
    async put(key, data) {
      const abs = join(root, key);
      await mkdir(dirname(abs), { recursive: true });
      const tmp = `${abs}.${process.pid}.tmp`;
      await Bun.write(tmp, data);
      await rename(tmp, abs); // a reader never sees half an object
    },
    async get(key) {
      const f = Bun.file(join(root, key));
      return (await f.exists()) ? new Uint8Array(await f.arrayBuffer()) : null;
    },
    async download(key, dest) {
      const f = Bun.file(join(root, key));
      if (!(await f.exists())) return false;
      await mkdir(dirname(dest), { recursive: true });
      await Bun.write(dest, f);
      return true;
    },
    has: (key) => stat(join(root, key)).then((s) => s.isFile(), () => false),
    async list(prefix) {
      const base = join(root, prefix);
      const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch(() => []);
      return entries
        .filter((e) => e.isFile() && !e.name.endsWith(".tmp"))
        .map((e) => join(prefix, relative(base, join(e.parentPath, e.name))))
        .sort();
    },
  };
}

function s3Store(t: Extract<ReplicaTarget, { kind: "s3" }>): ReplicaStore {
  const client = new Bun.S3Client({
    bucket: t.bucket, region: t.region, endpoint: t.endpoint ?? undefined,
    accessKeyId: t.accessKeyId ?? undefined, secretAccessKey: t.secretAccessKey ?? undefined,
  });
  const full = (key: string) => (t.prefix ? `${t.prefix}/${key}` : key);
  return {
    async put(key, data) {
      await client.write(full(key), data);
    },
    async get(key) {
      const f = client.file(full(key));
      if (!(await f.exists())) return null;
      return new Uint8Array(await f.arrayBuffer());
    },
    async download(key, dest) {
      const f = client.file(full(key));
      if (!(await f.exists())) return false;
      await mkdir(dirname(dest), { recursive: true });
      await Bun.write(dest, f);
      return true;
    },
    has: (key) => client.file(full(key)).exists(),
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.list({ prefix: full(prefix), continuationToken: token, maxKeys: 1000 });
        for (const o of page.contents ?? []) keys.push(t.prefix ? o.key.slice(t.prefix.length + 1) : o.key);
        token = page.isTruncated ? page.nextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
  };
}
