// An S3-compatible server for replication stories: s3rver (an npm package) on a free local port,
// with a bucket ready. s3rver 3.7 lists with a delimiter by walking only the first folder level
// below the prefix, so nested keys (Litestream's generations/<id>/wal/...) never show up as
// common prefixes, and keys come in folder-walk order; listing here sorts and groups the full
// listing instead, as S3 does (Litestream relies on both).
// @ts-expect-error s3rver ships no type declarations
import S3rver from "s3rver";
import { tempDir } from "./pano.ts";

export interface S3Server {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  dir: string;
  /** PANO_REPLICA_* for a Pano replicating to `prefix` in the bucket. */
  env(prefix: string): Record<string, string>;
  stop(): Promise<void>;
}

interface Listed { objects: { key: string }[]; commonPrefixes: string[]; isTruncated: boolean }
type ListOptions = { delimiter?: string; prefix?: string; maxKeys?: number; startAfter?: string };

export async function startS3(bucket = "pano-backups"): Promise<S3Server> {
  const dir = tempDir("pano-s3-");
  const server = new S3rver({ port: 0, address: "127.0.0.1", directory: dir, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
  const store: { listObjects(b: string, o: ListOptions): Promise<Listed> } = server.store;
  const list = store.listObjects.bind(store);
  store.listObjects = async (b, o) => {
    const all = await list(b, { ...o, delimiter: "", maxKeys: Infinity });
    all.objects.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    const prefix = o.prefix ?? "";
    const common = new Set<string>();
    const objects = all.objects.filter((obj) => {
      const cut = o.delimiter ? obj.key.slice(prefix.length).indexOf(o.delimiter) : -1;
      if (cut >= 0) common.add(obj.key.slice(0, prefix.length + cut + 1));
      return cut < 0;
    });
    const max = o.maxKeys ?? Infinity;
    return { objects: objects.slice(0, max), commonPrefixes: [...common].sort(), isTruncated: objects.length > max };
  };
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver checks signatures against its fixed credentials.
  const creds = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
  return {
    endpoint, bucket, dir, ...creds,
    env: (prefix) => ({
      PANO_REPLICA_URL: `s3://${bucket}/${prefix}`,
      PANO_REPLICA_ENDPOINT: endpoint,
      PANO_REPLICA_ACCESS_KEY_ID: creds.accessKeyId,
      PANO_REPLICA_SECRET_ACCESS_KEY: creds.secretAccessKey,
    }),
    stop: () => server.close(),
  };
}
