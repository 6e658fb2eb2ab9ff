// One pass over the mailbox: everything above the last UID stored, in ONE IMAP FETCH (UID, size
// and the source up to the size limit) read as a stream and cut into batches. Each batch is
// parsed (read.ts: on a worker thread for a backlog) while the next one downloads, handed to
// ingest in one call, and only then the last UID moved on. A crash between the two re-fetches a
// batch that ingest deduplicates by Message-ID, so a restart neither skips nor repeats mail.
import type { ImapFlow } from "imapflow";
import type { ChannelRuntime } from "../channel.ts";
import type { InboundEvent, InboundMessageEvent } from "../../domain/message.ts";
import type { EmailConfig } from "./config.ts";
import type { ParseContext } from "./parse.ts";
import { prepareMailReader, readMails, type RawMail } from "./read.ts";
import { StoreUnavailable, isStorageFailure } from "../../store/writer.ts";

// A batch is one ingest call (one group commit) and one message to the reader thread.
const BATCH_MESSAGES = 250;
const BATCH_BYTES = 32_000_000;
// Batches being parsed or stored while the next downloads; beyond this the FETCH stream waits
// (imapflow holds the server's answer back), so a huge backlog never sits in memory at once.
const IN_FLIGHT = 2;
const DAY_MS = 24 * 3600_000;

export const STATE = { uidValidity: "imap_uidvalidity", lastUid: "imap_last_uid", syncedAt: "imap_synced_at" } as const;

export interface SyncDeps {
  channelId: number;
  config: EmailConfig;
  rt: ChannelRuntime;
  threadKey: string;
  stopped(): boolean;
}

/** Where to start: the last UID stored, or on first sight / a new UIDVALIDITY, a recent window. */
async function startingUid(client: ImapFlow, d: SyncDeps): Promise<number> {
  const { rt, channelId } = d;
  const mailbox = client.mailbox;
  if (!mailbox) throw new Error("no mailbox open");
  const validity = String(mailbox.uidValidity);
  const stored = rt.state.get(channelId, STATE.uidValidity);
  if (stored === validity) return Number(rt.state.get(channelId, STATE.lastUid) ?? 0);
  // First connection, or the server renumbered the mailbox (migration, restore): take mail from a
  // window wide enough to cover the time since the last sync; Message-IDs keep it free of repeats.
  const syncedAt = Number(rt.state.get(channelId, STATE.syncedAt) ?? 0);
  const since = syncedAt ? Math.min(syncedAt - DAY_MS, rt.now().getTime() - d.config.import_days * DAY_MS) : rt.now().getTime() - d.config.import_days * DAY_MS;
  const uids = (await client.search({ since: new Date(since) }, { uid: true })) || [];
  let lowest = Math.max(0, mailbox.uidNext - 1) + 1;
  for (const u of uids) if (u < lowest) lowest = u;
  const from = lowest - 1;
  if (stored) rt.log("warn", "IMAP UIDVALIDITY changed; resyncing", { channel_id: channelId, was: stored, now: validity, from_uid: from });
  await Promise.all([rt.state.set(channelId, STATE.lastUid, String(from)), rt.state.set(channelId, STATE.uidValidity, validity)]);
  return from;
}

/** Outlook threads by Thread-Index alone at times: remember the first mail seen for each root. */
async function linkThreadIndexes(events: InboundEvent[], d: SyncDeps, seen: Map<string, string>): Promise<void> {
  for (const e of events) {
    if (e.kind !== "message" || typeof e.meta?.thread_index !== "string") continue;
    const root = e.meta.thread_index;
    const first = seen.get(root) ?? d.rt.state.get(d.channelId, `ti:${root}`);
    if (first && first !== e.externalMessageId) {
      if (!e.threadRefs?.includes(first)) e.threadRefs = [first, ...(e.threadRefs ?? [])];
    } else if (!first) {
      seen.set(root, e.externalMessageId);
      await d.rt.state.set(d.channelId, `ti:${root}`, e.externalMessageId);
    }
  }
}

const unwritable = (err: unknown) => err instanceof StoreUnavailable || isStorageFailure(err);

/**
 * Ingest a batch at once; if that fails, mail by mail, so one bad mail never blocks the rest (it
 * is kept as a note saying why). Only a store that cannot write at all fails the batch: then the
 * last UID stays where it was and the mail is fetched again on the next pass.
 */
async function ingestBatch(perMail: InboundEvent[][], d: SyncDeps): Promise<void> {
  try {
    await d.rt.ingest(perMail.flat());
    return;
  } catch (err) {
    if (unwritable(err)) throw err;
    d.rt.log("warn", "email batch could not be stored at once; storing mail by mail", { channel_id: d.channelId, error: String(err) });
  }
  // Submitted together, each mail its own writer job: they still share group commits.
  const outcomes = await Promise.allSettled(perMail.map((events) => d.rt.ingest(events)));
  for (let i = 0; i < perMail.length; i++) {
    const outcome = outcomes[i];
    if (outcome.status === "fulfilled") continue;
    const err: unknown = outcome.reason;
    if (unwritable(err)) throw err;
    const m = perMail[i].find((e): e is InboundMessageEvent => e.kind === "message");
    d.rt.log("error", "email could not be stored; kept as a note", { channel_id: d.channelId, message_id: m?.externalMessageId, error: String(err) });
    if (!m) continue;
    try {
      await d.rt.ingest([{ ...m, attachments: [], html: undefined, threadRefs: undefined, text: `${m.text}\n\n[Pano không lưu được đầy đủ thư này / Pano could not store this message in full: ${String(err).slice(0, 200)}]` }]);
    } catch (noteErr) {
      if (unwritable(noteErr)) throw noteErr;
      d.rt.log("error", "email could not be stored even as a note", { channel_id: d.channelId, message_id: m.externalMessageId, error: String(noteErr) });
    }
  }
}

/**
 * Batches stored strictly in arrival order, parsing of later ones overlapping the storing of
 * earlier ones. The last UID moves only past batches that are stored, and all before them.
 */
function orderedStore(d: SyncDeps, from: number, warn: (msg: string) => void) {
  const seenRoots = new Map<string, string>();
  const inFlight: Promise<void>[] = [];
  let tail: Promise<void> = Promise.resolve();
  let handled = 0;
  // A server may answer a FETCH out of UID order; then the position moves only once all is stored.
  let highest = from;
  let inOrder = true;
  // Not awaited by the next batch: the position then commits in the same group commit as the
  // next batch's mail instead of costing a commit (an fsync) of its own. It is still written only
  // after the mail it covers is committed.
  const positions: Promise<unknown>[] = [];
  const advance = (uid: number, now: Date) => {
    const written = Promise.all([d.rt.state.set(d.channelId, STATE.lastUid, String(uid)), d.rt.state.set(d.channelId, STATE.syncedAt, String(now.getTime()))]);
    written.catch(() => {}); // reported by done()
    positions.push(written);
  };
  return {
    /** Queues a batch; waits while too many are in flight (that wait holds the FETCH stream). */
    async add(batch: (RawMail & { uid: number })[]): Promise<void> {
      const now = d.rt.now();
      const ctx: ParseContext = { channelId: d.channelId, ownAddress: d.config.from_address, threadKey: d.threadKey, publicUrl: d.rt.urls.publicUrl, now };
      for (const m of batch) {
        if (m.uid < highest) inOrder = false;
        highest = Math.max(highest, m.uid);
      }
      const last = highest;
      const parsed = readMails(batch, ctx, warn);
      // Should an earlier batch fail, this one's parse must not surface as an unhandled rejection.
      parsed.catch(() => {});
      tail = tail.then(async () => {
        const perMail = await parsed;
        await linkThreadIndexes(perMail.flat(), d, seenRoots);
        await ingestBatch(perMail, d);
        handled += batch.length;
        if (inOrder) advance(last, now);
      });
      inFlight.push(tail);
      while (inFlight.length > IN_FLIGHT) await inFlight.shift();
    },
    /** Waits for every queued batch; how many mails were handled. */
    async done(): Promise<number> {
      await tail;
      if (!inOrder && handled) advance(highest, d.rt.now());
      await Promise.all(positions);
      return handled;
    },
    /** After a failed FETCH: stores what was already fetched, never throws. */
    async settle(): Promise<void> {
      await tail.catch(() => {});
      await Promise.allSettled(positions);
    },
  };
}

/** Fetches and stores everything new; returns how many mails were handled. */
export async function syncMailbox(client: ImapFlow, d: SyncDeps): Promise<number> {
  const from = await startingUid(client, d);
  // The reader thread starts (~0.2 s) while the first batch downloads.
  const warn = (msg: string) => d.rt.log("warn", msg, { channel_id: d.channelId });
  prepareMailReader((client.mailbox ? client.mailbox.uidNext - 1 : 0) - from, warn);
  const max = d.config.max_message_bytes;
  const store = orderedStore(d, from, warn);
  let batch: (RawMail & { uid: number })[] = [];
  let bytes = 0;
  try {
    for await (const m of client.fetch(`${from + 1}:*`, { uid: true, size: true, source: { maxLength: max } }, { uid: true })) {
      if (d.stopped()) break;
      // "N:*" names the last message even when its UID is below N, hence the filter; a mail
      // expunged while the FETCH ran comes without a source: nothing to store.
      if (!m.uid || m.uid <= from || !m.source) continue;
      const size = m.size ?? m.source.byteLength;
      batch.push({ uid: m.uid, raw: m.source, size, truncated: size > max });
      bytes += m.source.byteLength;
      if (batch.length >= BATCH_MESSAGES || bytes >= BATCH_BYTES) {
        const full = batch;
        batch = [];
        bytes = 0;
        await store.add(full);
      }
    }
    if (batch.length && !d.stopped()) await store.add(batch);
  } catch (err) {
    await store.settle();
    throw err;
  }
  return store.done();
}
