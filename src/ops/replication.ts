// What `pano serve` runs when PANO_REPLICA_URL is set: Litestream for the database, FileSync for
// attachments and the key; their state for /metrics and GET /api/v1/ops/replication.
import type { Pano } from "../pano.ts";
import { replicaTarget, describeTarget, type ReplicaTarget } from "./replica-target.ts";
import { replicaStore } from "./replica-store.ts";
import { findLitestream, litestreamEnv, writeLitestreamConfig, DEFAULT_LITESTREAM } from "./litestream-config.ts";
import { LitestreamSupervisor } from "./litestream.ts";
import { FileSync } from "./file-sync.ts";
import { leaveCheckpointsToLitestream } from "../store/db.ts";

export interface Replication {
  target: ReplicaTarget;
  litestream: LitestreamSupervisor;
  files: FileSync;
  stop(): Promise<void>;
}

const running = new WeakMap<Pano, Replication>();

export function replicationOf(pano: Pano): Replication | null {
  return running.get(pano) ?? null;
}

export async function startReplication(pano: Pano): Promise<Replication | null> {
  registerMetrics(pano);
  const target = replicaTarget(pano.config);
  if (!target) return null;
  if (pano.store.kind === "postgres") {
    pano.log("info", "the database is PostgreSQL: Litestream does not replicate it (PostgreSQL's own replication and backups do)", {});
    return null;
  }
  const binary = findLitestream(pano.config.litestreamPath);
  if (!binary) throw new Error("PANO_REPLICA_URL is set but the Litestream binary was not found (npm package, beside pano, or PATH)");
  const configPath = writeLitestreamConfig(pano.store.path, target, { ...DEFAULT_LITESTREAM, syncInterval: pano.config.replicaSyncInterval });
  const syncIntervalMs = durationMs(pano.config.replicaSyncInterval);
  const litestream = new LitestreamSupervisor({ binary, configPath, env: litestreamEnv(target), log: pano.log, syncIntervalMs });
  const files = new FileSync(pano.config.dataDir, replicaStore(target), pano.log);
  leaveCheckpointsToLitestream(pano.store);
  litestream.start();
  files.start(5_000);
  pano.log("info", "replicating the database", { replica: describeTarget(target), sync_interval: pano.config.replicaSyncInterval });
  const r: Replication = {
    target, litestream, files,
    async stop() {
      await files.stop();
      await litestream.stop();
      running.delete(pano);
    },
  };
  running.set(pano, r);
  return r;
}

/** Litestream's durations ("100ms", "1s", "1m"); an unreadable one counts as Litestream's 1 s. */
function durationMs(d: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(d.trim());
  if (!m) return 1000;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
}

export function replicationReport(pano: Pano) {
  const r = replicationOf(pano);
  if (!r) return { enabled: false, replica: null };
  const s = r.litestream.state;
  const iso = (t: number | null) => (t ? new Date(t).toISOString() : null);
  return {
    enabled: true,
    replica: describeTarget(r.target),
    status: s.status,
    pid: s.pid,
    restarts: s.restarts,
    started_at: iso(s.startedAt),
    last_sync_at: iso(s.lastSyncAt),
    last_exit_code: s.lastExitCode,
    last_error: s.lastError,
    sync_errors: s.syncErrors,
    attachments: { pending: r.files.pending, last_copied_at: iso(r.files.lastRunAt), last_error: r.files.lastError },
  };
}

function registerMetrics(pano: Pano): void {
  const state = () => replicationOf(pano)?.litestream.state;
  pano.metrics.gauge("pano_replication_enabled", "1 when PANO_REPLICA_URL is set", () => [{ value: replicaTarget(pano.config) ? 1 : 0 }]);
  pano.metrics.gauge("pano_replication_up", "1 while the Litestream child is running", () => [{ value: state()?.status === "running" ? 1 : 0 }]);
  pano.metrics.gauge("pano_replication_restarts", "Times the Litestream child was restarted after dying", () => [{ value: state()?.restarts ?? 0 }]);
  pano.metrics.gauge("pano_replication_last_sync_seconds", "Unix time of the last write to the replica", () => [{ value: (state()?.lastSyncAt ?? 0) / 1000 }]);
  pano.metrics.gauge("pano_replication_sync_errors", "Errors Litestream reported while syncing", () => [{ value: state()?.syncErrors ?? 0 }]);
  pano.metrics.gauge("pano_replication_files_pending", "Attachments not yet copied to the replica", () => [{ value: replicationOf(pano)?.files.pending ?? 0 }]);
}
