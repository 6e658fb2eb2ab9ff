// One pass over the mailbox: everything above the last UID stored, fetched in chunks, parsed,
// handed to ingest, and only then the last UID moved on. A crash between the two re-fetches a
// chunk that ingest deduplicates by Message-ID, so a restart neither skips nor repeats mail.
import type { ImapFlow } from "imapflow";
import { simpleParser } from "mailparser";
import { createHash } from "node:crypto";
import type { ChannelRuntime } from "../channel.ts";
import type { InboundEvent, InboundMessageEvent } from "../../domain/message.ts";
import type { EmailConfig } from "./config.ts";
import { mailToEvents, unreadableMail, type FetchedMail, type ParseContext } from "./parse.ts";
import { threadIndexRoot } from "./threading.ts";

const CHUNK_MESSAGES = 250;
const CHUNK_BYTES = 32_000_000;
const DAY_MS = 24 * 3600_000;

export const STATE = { uidValidity: "imap_uidvalidity", lastUid: "imap_last_uid", syncedAt: "imap_synced_at" } as const;

interface Pending {
  uid: number;
  size: number;
}

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
  const from = uids.length ? Math.min(...uids) - 1 : Math.max(0, mailbox.uidNext - 1);
  if (stored) rt.log("warn", "IMAP UIDVALIDITY changed; resyncing", { channel_id: channelId, was: stored, now: validity, from_uid: from });
  await rt.state.set(channelId, STATE.lastUid, String(from));
  await rt.state.set(channelId, STATE.uidValidity, validity);
  return from;
}

async function pendingAfter(client: ImapFlow, lastUid: number): Promise<Pending[]> {
  const out: Pending[] = [];
  // "N:*" names the last message even when its UID is below N, hence the filter.
  for await (const m of client.fetch(`${lastUid + 1}:*`, { uid: true, size: true }, { uid: true })) {
    if (m.uid > lastUid) out.push({ uid: m.uid, size: m.size ?? 0 });
  }
  return out.sort((a, b) => a.uid - b.uid);
}

function chunks(list: Pending[]): Pending[][] {
  const out: Pending[][] = [];
  let cur: Pending[] = [];
  let bytes = 0;
  for (const p of list) {
    if (cur.length && (cur.length >= CHUNK_MESSAGES || bytes + p.size > CHUNK_BYTES)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(p);
    bytes += p.size;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Raw bytes of a chunk; mail over the limit is fetched only up to it. */
async function fetchSources(client: ImapFlow, chunk: Pending[], max: number): Promise<Map<number, Buffer>> {
  const got = new Map<number, Buffer>();
  const small = chunk.filter((p) => p.size <= max).map((p) => p.uid);
  const large = chunk.filter((p) => p.size > max).map((p) => p.uid);
  if (small.length) for await (const m of client.fetch(small.join(","), { uid: true, source: true }, { uid: true })) if (m.source) got.set(m.uid, m.source);
  if (large.length) for await (const m of client.fetch(large.join(","), { uid: true, source: { maxLength: max } }, { uid: true })) if (m.source) got.set(m.uid, m.source);
  return got;
}

export async function parseOne(raw: Buffer, size: number, truncated: boolean, ctx: ParseContext): Promise<InboundEvent[]> {
  try {
    const parsed = await simpleParser(raw, { keepCidLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: 5_000_000 });
    const mail: FetchedMail = { parsed, size, truncated, rawHash: createHash("sha256").update(raw).digest("hex"), raw };
    return mailToEvents(mail, ctx);
  } catch (err) {
    return unreadableMail(raw, size, String((err as Error)?.message ?? err).slice(0, 200), ctx);
  }
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

/** Ingest a chunk at once; if that fails, mail by mail, so one bad mail never blocks the rest. */
async function ingestChunk(perMail: InboundEvent[][], d: SyncDeps): Promise<void> {
  try {
    await d.rt.ingest(perMail.flat());
    return;
  } catch (err) {
    d.rt.log("warn", "email chunk could not be stored at once; storing mail by mail", { channel_id: d.channelId, error: String(err) });
  }
  for (const events of perMail) {
    try {
      await d.rt.ingest(events);
    } catch (err) {
      const m = events.find((e): e is InboundMessageEvent => e.kind === "message");
      d.rt.log("error", "email could not be stored; kept as a note", { channel_id: d.channelId, message_id: m?.externalMessageId, error: String(err) });
      if (m) {
        await d.rt.ingest([{ ...m, attachments: [], html: undefined, threadRefs: undefined, text: `${m.text}\n\n[Pano không lưu được đầy đủ thư này / Pano could not store this message in full: ${String(err).slice(0, 200)}]` }]).catch(() => {});
      }
    }
  }
}

/** Fetches and stores everything new; returns how many mails were handled. */
export async function syncMailbox(client: ImapFlow, d: SyncDeps): Promise<number> {
  let lastUid = await startingUid(client, d);
  const pending = await pendingAfter(client, lastUid);
  const max = d.config.max_message_bytes;
  const seenRoots = new Map<string, string>();
  let handled = 0;
  const list = chunks(pending);
  // The next chunk is fetched while this one is parsed and stored: IMAP and SQLite overlap.
  let next: Promise<Map<number, Buffer>> | null = list.length ? fetchSources(client, list[0], max) : null;
  for (let i = 0; i < list.length; i++) {
    const chunk = list[i];
    const sources = await next!;
    next = i + 1 < list.length && !d.stopped() ? fetchSources(client, list[i + 1], max) : null;
    // If this chunk fails, the prefetch must not surface as an unhandled rejection.
    next?.catch(() => {});
    if (d.stopped()) break;
    const now = d.rt.now();
    const ctx: ParseContext = { channelId: d.channelId, ownAddress: d.config.from_address, threadKey: d.threadKey, publicUrl: d.rt.urls.publicUrl, now };
    const perMail: InboundEvent[][] = [];
    for (const p of chunk) {
      const raw = sources.get(p.uid);
      // Expunged between listing and fetching: nothing to store.
      if (!raw) continue;
      perMail.push(await parseOne(raw, p.size, p.size > max, ctx));
    }
    await linkThreadIndexes(perMail.flat(), d, seenRoots);
    await ingestChunk(perMail, d);
    lastUid = chunk[chunk.length - 1].uid;
    handled += chunk.length;
    await Promise.all([d.rt.state.set(d.channelId, STATE.lastUid, String(lastUid)), d.rt.state.set(d.channelId, STATE.syncedAt, String(now.getTime()))]);
  }
  return handled;
}
