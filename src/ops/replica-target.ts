// PANO_REPLICA_URL -> where backups live. One replica root holds everything a new machine needs:
//   <root>/db/            Litestream's continuous replica of pano.db (generations, WAL segments)
//   <root>/attachments/   attachment bytes, content-addressed like the data dir
//   <root>/secret.key     the key that seals channel secrets (without it they cannot be read)
//   <root>/vapid.json     the Web Push keys (without them agents' devices stay silent until they reopen Pano)
//   <root>/snapshots/     archives written by `pano backup`
import { ConfigError, type Config } from "../config.ts";

export type ReplicaTarget =
  | { kind: "file"; url: string; root: string }
  | { kind: "s3"; url: string; bucket: string; prefix: string; endpoint: string | null; region: string; accessKeyId: string | null; secretAccessKey: string | null };

export function replicaTarget(config: Config): ReplicaTarget | null {
  const raw = config.replicaUrl;
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PANO_REPLICA_URL must be file:///path or s3://bucket/path, got "${raw}"`);
  }
  if (url.protocol === "file:") {
    const root = decodeURIComponent(url.pathname).replace(/\/+$/, "");
    if (!root) throw new ConfigError("PANO_REPLICA_URL file:// needs an absolute path, e.g. file:///backups/pano");
    return { kind: "file", url: raw, root };
  }
  if (url.protocol === "s3:") {
    if (!url.hostname) throw new ConfigError("PANO_REPLICA_URL s3:// needs a bucket, e.g. s3://my-bucket/pano");
    return {
      kind: "s3", url: raw, bucket: url.hostname, prefix: decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, ""),
      endpoint: config.replicaEndpoint, region: url.searchParams.get("region") ?? "us-east-1",
      accessKeyId: config.replicaAccessKeyId, secretAccessKey: config.replicaSecretAccessKey,
    };
  }
  throw new ConfigError(`PANO_REPLICA_URL must start with file:// or s3://, got "${url.protocol}"`);
}

/** The replica as people should see it in logs and the admin API: never with credentials. */
export function describeTarget(t: ReplicaTarget): string {
  return t.kind === "file" ? `file://${t.root}` : `s3://${t.bucket}/${t.prefix}${t.endpoint ? ` at ${t.endpoint}` : ""}`;
}
