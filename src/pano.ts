// One Pano instance: the database, the writer, the channels, the pipelines. main.ts builds one
// and serves it; tests and benchmarks build one the same way.
import type { Config } from "./config.ts";
import { flushWalOffThread, openStore, type Store } from "./store/db.ts";
import { checkpointOffThread } from "./store/checkpoints.ts";
import { indexSearchOffThread } from "./store/search-index-thread.ts";
import { searchBacklog } from "./store/search-position.ts";
import { Writer } from "./store/writer.ts";
import { buildMissingRollups } from "./store/report-rollups.ts";
import { loadInstanceKeys } from "./instance-keys.ts";
import { ChannelDirectory } from "./store/channels.ts";
import { Users } from "./store/users.ts";
import { readChannelState, writeChannelState } from "./store/channel-state.ts";
import { EventBus } from "./pipeline/events.ts";
import { createIngest, ingestOnMain, type Ingest } from "./pipeline/ingest.ts";
import { IngestThread, ingestCacheMb } from "./pipeline/ingest-thread.ts";
import { WriteLock } from "./store/write-lock.ts";
import { OutboxWorker } from "./pipeline/outbox.ts";
import { startEnrichment } from "./pipeline/enrich.ts";
import { startSnoozeWaker } from "./pipeline/snooze.ts";
import { createLogger, type Logger } from "./log.ts";
import type { Presence } from "./pipeline/presence.ts";
import { presenceFor } from "./pipeline/presence-shared.ts";
import { shareFilesOnS3 } from "./ops/shared-files.ts";
import { Metrics } from "./metrics.ts";
import { channelKind } from "./channels/registry.ts";
import type { ChannelRuntime } from "./channels/channel.ts";
import { startRouting, type Routing } from "./pipeline/routing-service.ts";
import { loadTriageModel, type TriageModel } from "./pipeline/triage-model.ts";
import { CategoryLearner } from "./pipeline/categories.ts";
import { watchBreaches } from "./pipeline/sla-breach.ts";
import { WorkTime } from "./pipeline/work-time.ts";
import { createOutsideFetch } from "./net/outside-fetch.ts";
import { relayMessage } from "./pipeline/relay.ts";
import { PushSender, vapidSubject } from "./pipeline/web-push.ts";
import { startNotifications, startNotificationTimers } from "./pipeline/notify.ts";
import { sendDueSurveys, startSurveys } from "./pipeline/csat.ts";
import { startDuplicateFinder } from "./pipeline/duplicate-finder.ts";
import { createWebhooks, type Webhooks } from "./pipeline/webhooks.ts";
import { startLiveFeed } from "./pipeline/live-feed.ts";
import { createLeadership, type Leadership } from "./ops/leadership.ts";
import { CHANNEL_LOCKS } from "./store/postgres/locks.ts";

export interface Pano {
  config: Config;
  store: Store;
  writer: Writer;
  events: EventBus;
  channels: ChannelDirectory;
  users: Users;
  ingest: Ingest;
  outbox: OutboxWorker;
  runtime: ChannelRuntime;
  metrics: Metrics;
  log: Logger;
  presence: Presence;
  /** Web Push to people's devices (notifications); its VAPID keys live in the data dir. */
  push: PushSender;
  webhooks: Webhooks;
  /** The model triage classifies with (the API's classify endpoints too); a kept retrain replaces it. */
  triageModel: TriageModel;
  /** The shop's own categories, learned on the box from admins' examples and agents' labels. */
  categories: CategoryLearner;
  /** Handle time as agents spend it (typing a reply); calls add theirs where they are recorded. */
  workTime: WorkTime;
  /** Triage, routing rules and assignment once started (null before start or with PANO_TRIAGE=off). */
  readonly routing: Routing | null;
  /** Whether this instance runs the work that runs once across instances (always, on SQLite). */
  leadership: Leadership;
  /** Before a search: what the search thread has not indexed yet, indexed now unless a peak is under way. */
  searchReady(): Promise<void>;
  /**
   * Several instances: re-reads now the channels another instance created or changed (otherwise
   * read at every leader check), for at most one asker a second; true when anything changed.
   * Asked by a webhook that names no channel this instance knows, before it refuses the delivery.
   */
  channelsCaughtUp(): Promise<boolean>;
  /** Starts background work: outbox, channel tasks (pollers, token refresh), enrichment. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Restarts a channel's long-lived tasks after its config changed. */
  restartChannel(id: number): Promise<void>;
}

/** How often a webhook naming an unknown channel may make this instance re-read the channels. */
const CHANNEL_CATCH_UP_MS = 1000;

export async function createPano(config: Config, opts: { log?: Logger; http?: typeof fetch } = {}): Promise<Pano> {
  const log = opts.log ?? createLogger(config.logLevel);
  const store = openStore(config.dataDir, { synchronous: config.synchronous, cacheMb: config.sqliteCacheMb, databaseUrl: config.databaseUrl });
  const onSqlite = store.kind === "sqlite";
  shareFilesOnS3(config, store, log);
  const events = new EventBus();
  const metrics = new Metrics();
  const leadership = createLeadership({ databaseUrl: onSqlite ? null : config.databaseUrl, checkMs: config.leaderCheckMs, log, metrics });
  // PostgreSQL keeps its own WAL: no checkpoints, no flush of ours, no second writer on a file.
  store.checkpoints = onSqlite ? checkpointOffThread(store, (msg, fields) => log("warn", msg, fields)) : null;
  const walSync = onSqlite ? flushWalOffThread(store, config.synchronous) : undefined;
  const writeLock = new WriteLock();
  const writer = new Writer(store.sqlite, { windowMs: config.batchWindowMs, max: config.batchMax, afterCommit: (e) => events.emit(e), walSync, lock: writeLock });
  buildMissingRollups(writer, store.sqlite, log);
  // Customers' messages indexed for search off this thread; with the ingest thread on, its own writer indexes them.
  const searchThread = onSqlite && !config.ingestThread ? indexSearchOffThread(store, writer, writeLock, (msg, fields) => log("warn", msg, fields), config.searchIndexMs) : null;
  // PostgreSQL: what the live streams show comes from every instance, through the database.
  const live = onSqlite ? null : startLiveFeed(store, { writer, url: config.databaseUrl!, log, metrics });
  const { sealer, vapid } = await loadInstanceKeys(config, store, writer, log);
  const channels = new ChannelDirectory(store, writer, sealer);
  await channels.load();
  const users = new Users(store.sqlite, writer);
  if (config.ingestThread && !onSqlite) log("warn", "PANO_INGEST_THREAD is for SQLite; on PostgreSQL inbound writes stay on the main writer", {});
  const ingestThread = config.ingestThread && onSqlite
    ? IngestThread.start(
      { path: store.path, lock: writeLock, synchronous: config.synchronous, cacheMb: ingestCacheMb(config.sqliteCacheMb), windowMs: config.batchWindowMs, max: config.batchMax },
      { afterCommit: (e) => events.emit(e), fallback: ingestOnMain(writer), log: (msg, fields) => log("error", msg, fields) },
    )
    : null;
  const ingest = createIngest(writer, config.dataDir, config.maxAttachmentBytes, ingestThread);
  const http = opts.http ?? fetch;
  const triageModel = loadTriageModel(config.dataDir, { shared: onSqlite ? null : store.sqlite });
  const categories = new CategoryLearner(store.sqlite, log);
  const workTime = new WorkTime(writer, log);

  const runtime: ChannelRuntime = {
    http,
    fetchOutside: createOutsideFetch({ allowPrivate: config.allowPrivateFetch, maxBytes: config.maxAttachmentBytes, http }),
    now: () => new Date(),
    urls: { ...config.channelUrls, publicUrl: config.publicUrl },
    log: (level, msg, fields) => log(level, msg, fields),
    updateConfig: async (id, patch) => void (await channels.update(id, { config: patch })),
    setStatus: async (id, status, detail) => {
      const before = channels.get(id)?.status;
      await channels.update(id, { status, statusDetail: detail });
      if (before !== status) log(status === "active" ? "info" : "warn", "channel status changed", { channel_id: id, status, detail });
    },
    relay: (via, msg) => relayMessage({ channels, writer, runtime }, via, msg),
    ingest: async (evs) => void (await ingest.submit(evs)),
    current: (id) => channels.get(id),
    exclusive: (id, fn) => leadership.exclusive({ space: CHANNEL_LOCKS, id }, async () => {
      if (!onSqlite) await channels.reload(id);
      return fn();
    }),
    state: {
      get: (id, key) => readChannelState(store.sqlite, id, key),
      set: async (id, key, value) => {
        await writer.submit((tx) => writeChannelState(tx, id, key, value));
      },
    },
    dataDir: config.dataDir,
  };

  const outbox = new OutboxWorker({ store, writer, channels, runtime, dataDir: config.dataDir, publicUrl: config.publicUrl, pollMs: config.outboxPollMs, retryBaseMs: config.retryBaseMs, leaseMs: config.outboxLeaseMs, log });
  const webhooks = createWebhooks({ db: store.sqlite, writer, ingestThread, sealer, events, fetchOutside: runtime.fetchOutside, log, metrics, publicUrl: config.publicUrl, policy: config.webhookRetry, pollMs: config.outboxPollMs });
  events.on("outbox.queued", () => outbox.kick());
  events.on("message.created", (e) => metrics.inc(e.direction === "in" ? "pano_messages_in_total" : "pano_messages_out_total", "Messages stored, by direction and channel", { channel: channels.get(e.channelId)?.type ?? "unknown", channel_id: String(e.channelId) }));

  metrics.gauge("pano_writer_queue_depth", "Writes waiting for the next group commit", () => [{ value: writer.depth }]);
  // Writes per commit is what synchronous=FULL throughput rests on: jobs / batches over a window.
  metrics.gauge("pano_writer_batches", "Group commits since start (the main writer's and the ingest thread's)", () => [{ value: writer.stats.batches + (ingestThread?.stats.batches ?? 0) }]);
  if (searchThread) {
    metrics.gauge("pano_search_indexed", "Customers' messages the search thread has indexed since start", () => [{ value: searchThread.indexed }]);
    metrics.gauge("pano_search_backlog", "Messages stored that search does not find yet (the search thread's backlog)", () => [{ value: searchBacklog(store.sqlite) }]);
  }
  metrics.gauge("pano_ingest_thread_batches", "Group commits of the ingest thread since start (0: inbound writes run on the main thread)", () => [{ value: ingestThread?.stats.batches ?? 0 }]);
  // What "under 200 MB" is made of: the whole process, and the JavaScript heap inside it.
  metrics.gauge("process_resident_memory_bytes", "Resident memory of the Pano process", () => [{ value: process.memoryUsage.rss() }]);
  metrics.gauge("pano_js_heap_bytes", "JavaScript heap in use (the rest of the resident memory is SQLite's cache, code and buffers)", () => [{ value: process.memoryUsage().heapUsed }]);
  metrics.gauge("pano_checkpoints_total", "WAL checkpoints the checkpoint thread ran that copied pages (0 while Litestream checkpoints)", () => [{ value: store.checkpoints?.runs ?? 0 }]);
  metrics.gauge("pano_writer_jobs", "Writes committed since start (jobs / batches = writes per commit)", () => [{ value: writer.stats.jobs + (ingestThread?.stats.jobs ?? 0) }]);
  metrics.gauge("pano_outbox_depth", "Replies waiting to be sent", () => [{ value: outbox.depth() }]);
  metrics.gauge("pano_send_total", "Send attempts by outcome and channel type", () =>
    (["sent", "failed", "retried"] as const).flatMap((k) => [...outbox.metrics[k]].map(([ch, v]) => ({ labels: { outcome: k, channel: ch }, value: v }))),
  );
  metrics.gauge("pano_channel_up", "1 when a channel is active, 0 when it needs attention", () =>
    channels.list().map((c) => ({ labels: { channel_id: String(c.id), type: c.type, status: c.status }, value: c.status === "active" ? 1 : 0 })),
  );

  const tasks = new Map<number, () => Promise<void>>();
  const startChannel = (id: number) => {
    const ch = channels.get(id);
    if (!ch || ch.status === "paused") return;
    const kind = channelKind(ch.type);
    if (!kind.start) return;
    try {
      tasks.set(id, kind.start(ch, runtime));
    } catch (err) {
      log("error", "channel task failed to start", { channel_id: id, error: String(err) });
    }
  };
  const stopChannel = async (id: number) => {
    const stop = tasks.get(id);
    tasks.delete(id);
    if (stop) await stop().catch((err) => log("warn", "channel task stop failed", { channel_id: id, error: String(err) }));
  };
  const restartChannel = async (id: number) => {
    await stopChannel(id);
    if (leadership.leading) startChannel(id);
  };
  // One re-read at a time, whoever asks (the leader's check or a webhook naming an unknown channel).
  let channelSync: Promise<number> | null = null;
  // When a webhook last made this instance re-read them: the leader's own checks do not count.
  let channelsAskedAt = 0;
  const syncChannels = () =>
    (channelSync ??= (async () => {
      try {
        const changed = await channels.sync();
        for (const id of changed) await restartChannel(id);
        return changed.length;
      } finally {
        channelSync = null;
      }
    })());
  const stoppers: (() => void)[] = [];
  const presence = presenceFor(store, log);
  const push = new PushSender({ db: store.sqlite, writer, fetchOutside: runtime.fetchOutside, keys: vapid, subject: vapidSubject(config.publicUrl), log });
  let routing: Routing | null = null;

  return {
    searchReady: () => searchThread?.ready() ?? Promise.resolve(),
    async channelsCaughtUp() {
      if (onSqlite) return false;
      // A delivery arriving while the channels are being read waits for that read.
      if (!channelSync && Date.now() - channelsAskedAt < CHANNEL_CATCH_UP_MS) return false;
      if (!channelSync) channelsAskedAt = Date.now();
      // A read that fails leaves the delivery refused as it would have been (the sender retries),
      // not a 500 for every delivery of an unknown page.
      const changed = await syncChannels().catch((err) => {
        log("warn", "re-reading the channels for a webhook failed", { error: String((err as Error)?.message ?? err) });
        return 0;
      });
      return changed > 0;
    },
    config, store, writer, events, channels, users, ingest, outbox, runtime, metrics, log, presence, triageModel, categories, workTime, push, webhooks, leadership,
    get routing() {
      return routing;
    },
    async start() {
      if (config.triage) {
        const r = (routing = startRouting({ config, store, writer, events, channels, presence, log, metrics, http, triageModel, categories, runtime }));
        stoppers.push(() => r.stop());
      }
      categories.start();
      stoppers.push(() => categories.stop());
      outbox.start();
      outbox.kick();
      webhooks.start();
      stoppers.push(startEnrichment({ store, writer, events, channels, runtime, log, dataDir: config.dataDir, maxBytes: config.maxAttachmentBytes }));
      const notifyDeps = { db: store.sqlite, writer, events, users, push, log, slaCheckMs: config.slaCheckMs, channelName: (id: number) => channels.get(id)?.name ?? null };
      const notifications = startNotifications(notifyDeps, channels.list().map((c) => c.id));
      stoppers.push(notifications.stop);
      stoppers.push(startSurveys({ store, writer, events, channels, log }));
      // Once across instances, on the leader (docs/scale-out-leadership.md): the channels' tasks and these.
      const singletons = () => [
        startSnoozeWaker(store, writer),
        watchBreaches({ db: store.sqlite, writer, log, everyMs: config.slaCheckMs }),
        startNotificationTimers(notifyDeps, notifications.notifier),
        sendDueSurveys({ store, writer, events, channels, log }),
        routing?.assigner.sweepEvery(config.assignSweepMs) ?? (() => {}),
      ];
      const running: (() => void)[] = [];
      await leadership.start({
        async start() {
          if (!onSqlite) await channels.sync();
          running.push(...singletons());
          for (const c of channels.list()) startChannel(c.id);
        },
        async stop() {
          await Promise.all([...tasks.keys()].map(stopChannel));
          for (const stop of running.splice(0)) stop();
        },
      }, onSqlite ? undefined : async () => {
        // A channel created, edited or removed on another instance: this one's copy follows, and the leader restarts its tasks.
        await syncChannels();
      });
      // After leadership.start: its first catch-up pass runs now on the leader.
      stoppers.push(startDuplicateFinder({ writer, events, log }, { catchUp: () => leadership.leading }));
    },
    restartChannel,
    async stop() {
      await leadership.stop();
      for (const stop of stoppers.splice(0)) stop();
      presence.stop();
      await outbox.stop();
      await workTime.stop();
      await webhooks.stop();
      await live?.stop();
      // Its last writes first: then the main writer has every turn to itself.
      await ingestThread?.stop();
      await searchThread?.stop();
      writer.close();
      walSync?.close();
      await store.checkpoints?.stop();
      store.close();
    },
  };
}
