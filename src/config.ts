// Environment -> one typed, validated config object. Nothing else reads process.env.
import { isIP } from "node:net";
import { resolve } from "node:path";
import type { channelSettings } from "./channels/registry.ts";
import type { LogLevel } from "./log.ts";
import { DEFAULT_RETRY } from "./domain/webhooks.ts";
import { postgresOptions } from "./store/postgres/options.ts";
import { keyOf } from "./store/secrets.ts";

export type { LogLevel };

export interface Config {
  port: number;
  dataDir: string;
  publicUrl: string;
  adminEmail: string | null;
  adminPassword: string | null;
  /**
   * Every installed channel kind's own settings (provider base URLs, the Graph API version), by
   * the name the kind declares: { facebookGraph, facebookGraphVersion, zaloApi, zaloOauth, ... }.
   * Each is read from the variable the kind names (PANO_ZALO_API_URL, ...) or its default.
   */
  channelUrls: Record<string, string>;
  logLevel: LogLevel;
  /** PANO_DATABASE_URL: PostgreSQL instead of the embedded SQLite (store/postgres/), for several instances. */
  databaseUrl: string | null;
  /** PANO_SECRET_KEY (base64, 32 bytes): seals channel secrets instead of the data dir's secret.key or the database's (src/instance-keys.ts). */
  secretKey: Uint8Array<ArrayBuffer> | null;
  replicaUrl: string | null;
  replicaEndpoint: string | null;
  replicaAccessKeyId: string | null;
  replicaSecretAccessKey: string | null;
  /** Litestream's sync interval ("1s"): the longest an acknowledged write waits to leave the machine. */
  replicaSyncInterval: string;
  /** Overrides where the Litestream binary is looked for (npm package, beside the executable, PATH). */
  litestreamPath: string | null;
  llmUrl: string | null;
  llmModel: string | null;
  llmApiKey: string | null;
  /** How long an LLM triage call may take before the local answer stands. */
  llmTimeoutMs: number;
  /** The local model's confidence below which the LLM (when configured) is asked. */
  llmBelowConfidence: number;
  /** Triage, routing rules and automatic assignment after each inbound message (PANO_TRIAGE=off disables). */
  triage: boolean;
  /** "HH:MM" Vietnam time of the nightly triage retrain; null when off. */
  triageRetrainAt: string | null;
  /** How often assignment returns offline agents' waiting work and re-checks every queue. */
  assignSweepMs: number;
  /** How often the search thread looks for customers' messages to index (SQLite). */
  searchIndexMs: number;
  /** How often SLA targets are checked for breaches (their actions applied, supervisors told). */
  slaCheckMs: number;
  /** PANO_LEADER_CHECK_MS: how often instances on PostgreSQL try for leadership and the leader checks it still holds it (src/ops/leadership.ts). */
  leaderCheckMs: number;
  /**
   * Inbound writes on a thread of their own (pipeline/ingest-thread.ts), PANO_INGEST_THREAD=on. Off by
   * default: on 2 cores shared with the load it costs more CPU per message than it frees
   * (docs/performance-ingest.md); it is for machines with cores to spare.
   */
  ingestThread: boolean;
  /** SQLite synchronous mode; FULL unless an operator knowingly trades durability. */
  synchronous: "FULL" | "NORMAL";
  /** SQLite's own page cache, in MB (the OS page cache serves the rest of the file). */
  sqliteCacheMb: number;
  /** Group commit: the longest a submitted event waits for its batch, and the batch cap. */
  batchWindowMs: number;
  batchMax: number;
  outboxPollMs: number;
  /** How long an outbox claim holds its rows; another instance takes over a dead one's after it (PANO_OUTBOX_LEASE_MS). */
  outboxLeaseMs: number;
  /** First retry delay of a failed send; doubles per attempt. */
  retryBaseMs: number;
  maxBodyBytes: number;
  /**
   * Behind reverse proxies: the addresses and CIDR ranges of proxies besides loopback and private
   * networks (trusted whenever this is on; PANO_TRUST_PROXY=1 means just those), whose
   * X-Forwarded-For hops are believed. false: Pano faces clients directly.
   */
  trustProxy: false | string[];
  maxAttachmentBytes: number;
  /**
   * Let fetches of outside URLs (attachments, callbacks) reach loopback and private addresses.
   * Off in production: a customer's attachment URL must not read the operator's own network.
   * Tests and simulators on 127.0.0.1 turn it on.
   */
  allowPrivateFetch: boolean;
  /** Outgoing webhooks: how long a delivery is retried (a day) and its first retry delay; tests shorten both. */
  webhookRetry: { windowMs: number; baseMs: number };
}

export class ConfigError extends Error {}

/** PANO_DATABASE_URL, read before anything opens: a malformed one is a configuration error (exit 2). */
function databaseUrl(env: Record<string, string | undefined>): string | null {
  const url = str(env, "PANO_DATABASE_URL");
  if (url) {
    try {
      postgresOptions(url);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  }
  return url;
}

function num(env: Record<string, string | undefined>, name: string, dflt: number): number {
  const v = env[name];
  if (v === undefined || v === "") return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new ConfigError(`${name} must be a non-negative number, got "${v}"`);
  return n;
}

function str(env: Record<string, string | undefined>, name: string): string | null {
  const v = env[name];
  return v === undefined || v === "" ? null : v;
}

function retrainAt(v: string): string | null {
  if (v.toLowerCase() === "off") return null;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(v)) throw new ConfigError(`PANO_TRIAGE_RETRAIN_AT must be HH:MM or off, got "${v}"`);
  return v;
}

const trimSlash = (u: string) => u.replace(/\/+$/, "");

function trustedProxies(v: string | null): false | string[] {
  if (v === null || ["0", "false", "off"].includes(v.toLowerCase())) return false;
  if (["1", "true", "on"].includes(v.toLowerCase())) return [];
  return v.split(",").map((r) => r.trim()).filter(Boolean).map((range) => {
    const [addr, bits, ...rest] = range.split("/");
    const max = isIP(addr) === 4 ? 32 : isIP(addr) === 6 ? 128 : 0;
    const ok = max > 0 && rest.length === 0 && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= max));
    if (!ok) throw new ConfigError(`PANO_TRUST_PROXY must be 1 or proxy addresses and CIDR ranges separated by commas, got "${range}"`);
    return range;
  });
}

const defaultPublicUrl = (port: number) => `http://localhost:${port}`;

/**
 * The config once the server has bound. With PORT=0 the OS picks the port, so only now is the
 * default public URL (OAuth callbacks, webhook and file links) known; an explicit
 * PANO_PUBLIC_URL stays as given (http://localhost:0 is never one: nothing can be reached there).
 */
export function withBoundPort(config: Config, boundPort: number): Config {
  if (config.port !== 0) return config;
  const publicUrl = config.publicUrl === defaultPublicUrl(0) ? defaultPublicUrl(boundPort) : config.publicUrl;
  return { ...config, port: boundPort, publicUrl };
}

function secretKey(v: string | null): Uint8Array<ArrayBuffer> | null {
  if (v === null) return null;
  const key = keyOf(v);
  if (!key) throw new ConfigError("PANO_SECRET_KEY must be 32 bytes in base64 (openssl rand -base64 32)");
  return key;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const port = num(env, "PORT", 3000);
  const level = (str(env, "PANO_LOG_LEVEL") ?? "info") as LogLevel;
  if (!["debug", "info", "warn", "error"].includes(level)) throw new ConfigError(`PANO_LOG_LEVEL must be debug, info, warn or error`);
  const sync = (str(env, "PANO_SQLITE_SYNCHRONOUS") ?? "FULL").toUpperCase();
  if (sync !== "FULL" && sync !== "NORMAL") throw new ConfigError("PANO_SQLITE_SYNCHRONOUS must be FULL or NORMAL");
  return {
    port,
    dataDir: resolve(str(env, "PANO_DATA_DIR") ?? "./data"),
    publicUrl: trimSlash(str(env, "PANO_PUBLIC_URL") ?? defaultPublicUrl(port)),
    adminEmail: str(env, "PANO_ADMIN_EMAIL"),
    adminPassword: str(env, "PANO_ADMIN_PASSWORD"),
    // Read when first asked for (serve): the registry loads every channel's code, the email
    // libraries alone half a second and some 35 MB, which `pano healthcheck` (Docker runs it every
    // 30 s) and the other commands never need.
    get channelUrls() {
      const { channelSettings: settings } = require("./channels/registry.ts") as { channelSettings: typeof channelSettings };
      const urls = Object.fromEntries(settings().map((s) => [s.name, trimSlash(str(env, s.env) ?? s.default)]));
      Object.defineProperty(this, "channelUrls", { value: urls, enumerable: true });
      return urls;
    },
    logLevel: level,
    databaseUrl: databaseUrl(env),
    secretKey: secretKey(str(env, "PANO_SECRET_KEY")),
    replicaUrl: str(env, "PANO_REPLICA_URL"),
    replicaEndpoint: str(env, "PANO_REPLICA_ENDPOINT"),
    replicaAccessKeyId: str(env, "PANO_REPLICA_ACCESS_KEY_ID"),
    replicaSecretAccessKey: str(env, "PANO_REPLICA_SECRET_ACCESS_KEY"),
    replicaSyncInterval: str(env, "PANO_REPLICA_SYNC_INTERVAL") ?? "1s",
    litestreamPath: str(env, "PANO_LITESTREAM_PATH"),
    llmUrl: str(env, "PANO_LLM_URL"),
    llmModel: str(env, "PANO_LLM_MODEL"),
    llmApiKey: str(env, "PANO_LLM_API_KEY"),
    llmTimeoutMs: num(env, "PANO_LLM_TIMEOUT_MS", 5000),
    llmBelowConfidence: num(env, "PANO_LLM_BELOW_CONFIDENCE", 0.6),
    triage: !["off", "0", "false"].includes((str(env, "PANO_TRIAGE") ?? "on").toLowerCase()),
    triageRetrainAt: retrainAt(str(env, "PANO_TRIAGE_RETRAIN_AT") ?? "02:30"),
    assignSweepMs: num(env, "PANO_ASSIGN_SWEEP_MS", 30_000),
    searchIndexMs: num(env, "PANO_SEARCH_INDEX_MS", 200),
    slaCheckMs: num(env, "PANO_SLA_CHECK_MS", 30_000),
    leaderCheckMs: num(env, "PANO_LEADER_CHECK_MS", 2000),
    synchronous: sync as "FULL" | "NORMAL",
    sqliteCacheMb: num(env, "PANO_SQLITE_CACHE_MB", 32),
    batchWindowMs: num(env, "PANO_BATCH_WINDOW_MS", 2),
    batchMax: num(env, "PANO_BATCH_MAX", 500),
    ingestThread: ["on", "1", "true"].includes((str(env, "PANO_INGEST_THREAD") ?? "off").toLowerCase()),
    outboxPollMs: num(env, "PANO_OUTBOX_POLL_MS", 500),
    outboxLeaseMs: num(env, "PANO_OUTBOX_LEASE_MS", 60_000),
    retryBaseMs: num(env, "PANO_RETRY_BASE_MS", 2000),
    maxBodyBytes: num(env, "PANO_MAX_BODY_BYTES", 1024 * 1024),
    trustProxy: trustedProxies(str(env, "PANO_TRUST_PROXY")),
    maxAttachmentBytes: num(env, "PANO_MAX_ATTACHMENT_BYTES", 25 * 1024 * 1024),
    allowPrivateFetch: env.PANO_ALLOW_PRIVATE_FETCH === "1" || env.PANO_ALLOW_PRIVATE_FETCH === "true",
    webhookRetry: { windowMs: num(env, "PANO_WEBHOOK_RETRY_WINDOW_MS", DEFAULT_RETRY.windowMs), baseMs: num(env, "PANO_WEBHOOK_RETRY_BASE_MS", DEFAULT_RETRY.baseMs) },
  };
}
