// Live updates across Pano instances on one PostgreSQL database (docs/scale-out-live.md).
//
// Every notice the live streams carry is written by the instance whose batch caused it, in that
// batch's transaction (a before-commit hook of the group-commit writer: one INSERT per batch), and
// NOTIFY pano_live wakes every instance when it commits. Each instance then reads the rows after
// the last id it has seen and hands them to its own streams (web/routes/pages/live.ts). Ids give
// one order on every instance, so a stream that reconnects to another instance resumes after the
// last id it got. A lost NOTIFY loses nothing: the next read, woken by another NOTIFY, by the
// session coming back or by a poll every POLL_MS, starts from the same last id.
// Only the streams see other instances' notices: their domain events are never emitted here, so
// triage, webhooks and notifications run once, where the event happened.
import type { Database } from "bun:sqlite";
import postgres from "postgres";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import type { DomainEvent } from "../domain/events.ts";
import type { Writer } from "../store/writer.ts";
import { sessionOptions } from "../store/postgres/options.ts";
import {
  NOTICES_CHANNEL, TYPING_CHANNEL, callNoticesBetween, keptSince, lastNoticeId, listenForNotices, noticesBetween, noticesSince, notifyTyping, pruneNotices, recordNotices,
  sessionAnswers, type StoredNotice,
} from "../store/live-notices.ts";
import { contactConversationHolders } from "../store/conversations.ts";
import { channelTrouble } from "../store/channel-health.ts";
import { NOBODY, told, ToldChannelStates, type Holder, type Notice, type Told } from "./live-notice.ts";

/** Rows read per query while catching up. */
const READ_AT_ONCE = 2000;
/** A reconnect is replayed at most this far behind (as the in-process ring keeps); further, the page reloads its list. */
const REPLAY_MAX = 5000;
/** Kept for replays: the newest KEEP notices, none older than KEEP_MS. */
const KEEP = 10_000;
const KEEP_MS = 60 * 60_000;
const PRUNE_EVERY_MS = 10_000;
/** Read even without a wake-up: a NOTIFY lost with a session not yet known to be lost costs at most this. */
const POLL_MS = 2000;
const PING_EVERY_MS = 30_000;
const ANSWER_WITHIN_MS = 5000;
const RELISTEN_MS = [250, 1000, 2000, 5000];
/** How far back a starting instance looks for calls still ringing (the hub forgets a ring as old anyway). */
const RECENT_CALLS_MS = 5 * 60_000;

export interface CallState {
  messageId: number;
  contactId: number;
  ringing: boolean;
}

/** The instance's live hub: what it is told. */
export interface LiveFeedListener {
  notice(n: Notice): void;
  /** A call rang or stopped ringing (also while no stream is open: a stream opened mid-ring shows it). */
  ringing(call: CallState): void;
  /** A customer is typing, told by another instance. */
  typing(conversationId: number): void;
  /** Streams open on this instance now: with none, only calls and the position are followed. */
  streams(): number;
}

export class LiveFeed {
  /** The last notice read: every notice committed up to it has been handed over. */
  cursor: number;
  private listener: LiveFeedListener | null = null;
  /** Tells this instance's own typing signals from the others' (NOTIFY reaches the sender's session too). */
  private readonly origin = crypto.randomUUID().slice(0, 8);
  private sql: postgres.Sql;
  private channelStates = new ToldChannelStates();
  private timers: ReturnType<typeof setInterval>[] = [];
  private stopped = false;
  private woken = false;
  private relistening: Promise<void> | null = null;
  /** The session has LISTENed and not been lost since. */
  private listening = false;
  /** Logged once per spell of trouble, not on every poll. */
  private troubled = new Set<string>();

  constructor(private d: { db: Database; writer: Writer; url: string; log: Logger; metrics?: Metrics }) {
    this.cursor = lastNoticeId(d.db);
    d.metrics?.gauge("pano_live_listening", "1 while this instance hears other instances' live notices at once (LISTEN); 0 while it reconnects and polls", () => [{ value: this.listening ? 1 : 0 }]);
    // Last: its lock is held from its INSERT to the COMMIT, so nothing else should run in between.
    d.writer.setBeforeCommit("live-notices", (tx, events) => this.record(tx.db, events), { last: true });
    this.sql = this.open();
    void this.relisten();
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      (t as { unref?: () => void }).unref?.();
      this.timers.push(t);
    };
    every(POLL_MS, () => this.catchUp());
    every(PING_EVERY_MS, () => void this.ping());
    // Jittered: instances started together do not all prune at once.
    every(PRUNE_EVERY_MS + Math.floor(Math.random() * 2000), () => void this.prune());
  }

  attach(listener: LiveFeedListener): void {
    this.listener = listener;
    // Calls that began ringing before this instance started: a stream opened here mid-ring still gets the card.
    try {
      for (const r of callNoticesBetween(this.d.db, noticesSince(this.d.db, RECENT_CALLS_MS, this.cursor), this.cursor)) {
        const call = callOf(r);
        if (call) listener.ringing(call);
      }
    } catch (err) {
      this.trouble("read", "live: reading the calls ringing now failed", err);
    }
  }

  /** Writes the notices of a batch in its transaction; once it commits, this instance reads them back at once. */
  private record(db: Database, events: DomainEvent[]) {
    const notices: Told[] = [];
    for (const e of events) {
      const t = told(e);
      if (t) notices.push(t);
    }
    if (!notices.length) return;
    try {
      recordNotices(db, notices);
    } catch (err) {
      // No turn in time (a stuck peer): the batch commits without its notices rather than failing.
      if ((err as { sqlState?: string }).sqlState === "55P03") throw new Error(`live notices left out: ${(err as Error).message.split(" [in:")[0]}`);
      throw err;
    }
    // Runs after the writer's COMMIT, which is synchronous from here.
    this.wake();
  }

  private wake() {
    if (this.woken || this.stopped) return;
    this.woken = true;
    setImmediate(() => {
      this.woken = false;
      this.catchUp();
    });
  }

  /** Reads every notice committed after the cursor and hands it to the hub. */
  catchUp(): void {
    if (this.stopped) return;
    try {
      if (this.listener?.streams()) this.readAll();
      else this.followCalls();
      this.troubled.delete("read");
    } catch (err) {
      this.trouble("read", "live: reading the live notices failed; the next wake-up or poll reads again from the same place", err);
    }
  }

  private readAll() {
    for (;;) {
      const rows = noticesBetween(this.d.db, this.cursor, Number.MAX_SAFE_INTEGER, READ_AT_ONCE);
      const holders = new Map<number, Holder[]>();
      for (const r of rows) {
        this.cursor = r.id;
        const call = callOf(r);
        if (call) this.listener?.ringing(call);
        if (!this.tells(r)) continue;
        this.listener?.notice(this.notice(r, holders));
      }
      if (rows.length < READ_AT_ONCE) return;
    }
  }

  /** Nobody is connected here: reading every notice would cost this instance for no reader. */
  private followCalls() {
    const top = lastNoticeId(this.d.db);
    if (top <= this.cursor) return;
    for (const r of callNoticesBetween(this.d.db, this.cursor, top)) {
      const call = callOf(r);
      if (call) this.listener?.ringing(call);
    }
    this.cursor = top;
  }

  /** A channel notice tells only a change of its trouble state, as this instance's streams last heard it. */
  private tells(r: StoredNotice): boolean {
    if (!r.staff || !r.data.startsWith('{"t":"channel"')) return true;
    const channelId = Number(JSON.parse(r.data).ch);
    return this.channelStates.changed(channelId, channelTrouble(this.d.db, channelId));
  }

  private notice(r: StoredNotice, holders: Map<number, Holder[]>): Notice {
    const n: Notice = { seq: r.id, data: r.data, scope: null };
    if (r.event) n.event = r.event;
    if (r.staff) n.staff = true;
    if (r.to !== null) n.to = r.to;
    if (r.contactId !== null) {
      let anyOf = holders.get(r.contactId);
      // A profile merged away has no conversations left: those who saw it see them under the survivor.
      if (!anyOf) holders.set(r.contactId, (anyOf = contactConversationHolders(this.d.db, r.contactId)));
      n.anyOf = anyOf;
    } else if (r.holder !== undefined) n.scope = r.holder ?? NOBODY;
    return n;
  }

  /**
   * The notices after `seq` for a stream that reconnects here, or null when they are no longer kept
   * (or too many: the page reloads its list instead). Reads what other instances told first, so an
   * id one of them gave is known here.
   */
  since(seq: number): Notice[] | null {
    try {
      this.catchUp();
      if (seq > this.cursor) return null;
      if (seq === this.cursor) return [];
      const rows = noticesBetween(this.d.db, seq, this.cursor, REPLAY_MAX + 1);
      if (rows.length > REPLAY_MAX || !keptSince(this.d.db, seq)) return null;
      const holders = new Map<number, Holder[]>();
      return rows.map((r) => this.notice(r, holders));
    } catch (err) {
      this.d.log("error", "live: a reconnecting stream's missed notices could not be read; it gets a reset", { error: String((err as Error)?.message ?? err) });
      return null;
    }
  }

  /** A customer is typing: told to the streams on the other instances (this one's own are told by the hub). */
  tellTyping(conversationId: number): void {
    if (this.stopped) return;
    notifyTyping(this.sql, `${this.origin}:${conversationId}`).catch(() => {
      // A passing signal, said again in a few seconds while they type.
    });
  }

  private heard(channel: string, payload: string) {
    if (channel === NOTICES_CHANNEL) {
      if (Number(payload) > this.cursor) this.wake();
    } else if (channel === TYPING_CHANNEL) {
      const [origin, conversationId] = payload.split(":");
      if (origin !== this.origin && Number(conversationId) > 0) this.listener?.typing(Number(conversationId));
    }
  }

  /** The session that LISTENs (and prunes, and sends typing signals): one connection, beside the store's own. */
  private open(): postgres.Sql {
    const sql: postgres.Sql = postgres({
      ...sessionOptions(this.d.url, "pano-live"),
      // postgres.js's own option (what its listen() is made of), missing from its type declarations.
      onnotify: (channel: string, payload: string) => this.heard(channel, payload),
      onclose: () => {
        if (this.sql !== sql || this.stopped) return;
        this.listening = false;
        void this.relisten();
      },
    } as postgres.Options<{}>);
    return sql;
  }

  /** LISTENs again until it can, then reads whatever was committed while it could not hear. */
  private relisten(): Promise<void> {
    this.relistening ??= (async () => {
      for (let attempt = 0; !this.stopped; attempt++) {
        try {
          await within(ANSWER_WITHIN_MS, listenForNotices(this.sql));
          this.listening = true;
          if (this.troubled.delete("listen")) this.d.log("info", "live: listening for other instances' notices again", {});
          this.wake();
          return;
        } catch (err) {
          this.trouble("listen", "live: cannot LISTEN for other instances' notices; polling meanwhile, retrying", err);
          if (attempt > 0) await this.reopen();
          await Bun.sleep(RELISTEN_MS[Math.min(attempt, RELISTEN_MS.length - 1)]);
        }
      }
    })().finally(() => (this.relistening = null));
    return this.relistening;
  }

  /** A session that stopped answering is not trusted to be listening: a new one replaces it. */
  private async ping() {
    if (this.stopped || this.relistening) return;
    try {
      await within(ANSWER_WITHIN_MS, sessionAnswers(this.sql));
    } catch (err) {
      this.trouble("listen", "live: the listening session stopped answering; opening a new one", err);
      this.listening = false;
      await this.reopen();
      void this.relisten();
    }
  }

  private async reopen() {
    const old = this.sql;
    this.sql = this.open();
    await old.end({ timeout: 0 }).catch(() => {});
  }

  private async prune() {
    if (this.stopped) return;
    try {
      await within(30_000, pruneNotices(this.sql, KEEP, KEEP_MS));
      this.troubled.delete("prune");
    } catch (err) {
      this.trouble("prune", "live: pruning old live notices failed; retrying later", err);
    }
  }

  private trouble(kind: string, msg: string, err: unknown) {
    if (this.troubled.has(kind) || this.stopped) return;
    this.troubled.add(kind);
    this.d.log("warn", msg, { error: String((err as Error)?.message ?? err) });
  }

  /** Stops hearing (this instance's last batches still write their notices for the others). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.splice(0)) clearInterval(t);
    await this.sql.end({ timeout: 1 }).catch(() => {});
  }
}

const feeds = new WeakMap<object, LiveFeed>();

/** Starts following the live notices of a PostgreSQL store (pano.ts); the live hub finds the feed by its store. */
export function startLiveFeed(store: { sqlite: Database }, d: { writer: Writer; url: string; log: Logger; metrics?: Metrics }): LiveFeed {
  const feed = new LiveFeed({ db: store.sqlite, ...d });
  feeds.set(store, feed);
  return feed;
}

/** The store's feed, or null where the bus is the only source of notices (SQLite). */
export function liveFeedOf(store: object): LiveFeed | null {
  return feeds.get(store) ?? null;
}

function callOf(r: { data: string; contactId: number | null }): CallState | null {
  if (r.contactId === null || !r.data.startsWith('{"t":"call"')) return null;
  const body = JSON.parse(r.data) as { m: number; ring: boolean };
  return { messageId: body.m, contactId: r.contactId, ringing: body.ring };
}

/** Rejects when PostgreSQL has not answered within `ms`: a session that hangs is not listening either. */
async function within(ms: number, q: Promise<unknown>): Promise<void> {
  const answered = await Promise.race([q.then(() => true), Bun.sleep(ms).then(() => false)]);
  if (!answered) throw new Error(`PostgreSQL did not answer within ${ms} ms`);
}
