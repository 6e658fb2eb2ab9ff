// Instances on PostgreSQL with S3 settings (PANO_REPLICA_URL=s3://..., the same settings the
// SQLite replica uses) keep attachments and call recordings in the bucket, under the replica's own
// layout (<root>/attachments/<2>/<sha256>), so any instance serves and sends what another stored.
// Without S3 the data dir holds them, as on SQLite: right for one instance (docs/scale-out-state.md).
import type { Config } from "../config.ts";
import type { Store } from "../store/db.ts";
import type { Logger } from "../log.ts";
import { shareFilesThrough } from "../store/files.ts";
import { describeTarget, replicaTarget } from "./replica-target.ts";
import { replicaStore } from "./replica-store.ts";

export function shareFilesOnS3(config: Config, store: Store, log: Logger): void {
  const target = store.kind === "postgres" ? replicaTarget(config) : null;
  if (!target || target.kind !== "s3") return;
  const files = replicaStore(target);
  shareFilesThrough(config.dataDir, { put: (key, data) => files.put(key, data), has: (key) => files.has(key), download: (key, dest) => files.download(key, dest) });
  log("info", "attachments and recordings are kept in S3 for every instance", { at: describeTarget(target) });
}
