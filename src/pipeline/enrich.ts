// After commit, off the ingest path: fetch profiles of new contacts and download attachments
// whose provider URLs expire. Failures are retried by a slow sweep; nothing blocks a webhook.
import type { Tx } from "../store/writer.ts";
import type { EnrichmentDeps } from "./enrichment-deps.ts";
import { channelKind } from "../channels/registry.ts";
import { storeBytes } from "../store/files.ts";
import { OutsideFetchError } from "../net/outside-fetch.ts";
import { applyFetchedProfile, identitiesWithoutProfile } from "../store/contact-profiles.ts";
import { finishDownload, pendingAttachmentIds, pendingDownload, undownloadedAttachmentIds } from "../store/attachment-downloads.ts";
import type { ContactRef } from "../domain/message.ts";
import { startCallRecordings } from "./call-recordings.ts";

const PROFILE_FETCHES = 8;
const PROFILE_WRITE_WINDOW_MS = 20;
/** Messages this recent mean a burst is on. */
const BUSY_WINDOW_MS = 50;
const BUSY_GAP_MS = 10;

interface FetchedProfile {
  channelId: number;
  externalId: string;
  profile: Partial<ContactRef> | null;
  written(): void;
  failed(err: unknown): void;
}

const applyProfile = (tx: Tx, f: FetchedProfile) => applyFetchedProfile(tx, f.channelId, f.externalId, f.profile);

/**
 * At most `size` calls at once, in arrival order. While messages are pouring in, one call starts
 * per BUSY_GAP_MS at most: acknowledging comes first, and the names catch up when the burst ends.
 * What waits is the job's data alone (a sale's thousands of new followers wait as a few dozen
 * bytes each, not as a suspended call with its promises and closures, ~1 KB each).
 */
class ProfileQueue<Job> {
  private waiting: Job[] = [];
  private head = 0;
  private running = 0;
  private paced: ReturnType<typeof setTimeout> | null = null;
  constructor(private size: number, private busy: () => boolean, private run: (job: Job) => Promise<void>) {}

  push(job: Job): void {
    this.waiting.push(job);
    this.pump();
  }

  private pump() {
    if (this.paced) return;
    while (this.head < this.waiting.length && this.running < this.size) {
      if (this.busy()) {
        this.paced = setTimeout(() => {
          this.paced = null;
          if (this.running < this.size) this.start();
          this.pump();
        }, BUSY_GAP_MS);
        this.paced.unref?.();
        return;
      }
      this.start();
    }
  }

  private start() {
    if (this.head >= this.waiting.length) return;
    const job = this.waiting[this.head++];
    // Drop the started part now and then rather than shifting the array on every start.
    if (this.head >= 1024 && this.head * 2 >= this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    this.running++;
    this.run(job).finally(() => {
      this.running--;
      this.pump();
    });
  }
}

interface ProfileJob {
  channelId: number;
  externalId: string;
  key: string;
}

export function startEnrichment(d: EnrichmentDeps): () => void {
  const inFlight = new Set<string>();
  const once = (key: string, fn: () => Promise<void>) => {
    if (inFlight.has(key)) return;
    inFlight.add(key);
    fn().catch((err) => d.log("warn", "enrichment failed", { key, error: String((err as Error)?.message ?? err) })).finally(() => inFlight.delete(key));
  };

  // A sale brings thousands of new followers in a minute: their profiles are fetched a few at a
  // time (a handful of kept-alive connections, not one per follower, and acknowledgements keep
  // the CPU), and what arrives together is written in one writer job.
  const toWrite: FetchedProfile[] = [];
  const writeFetched = () => {
    const batch = toWrite.splice(0);
    d.writer.submit((tx) => batch.forEach((f) => applyProfile(tx, f))).then(
      () => batch.forEach((f) => f.written()),
      // One bad profile must not cost the others theirs: alone, each fails or succeeds on its own.
      () => batch.forEach((f) => d.writer.submit((tx) => applyProfile(tx, f)).then(f.written, f.failed)),
    );
  };

  // A fetch holds its slot until the answer is in; the write that follows waits for the next window.
  const fetchProfile = async ({ channelId, externalId, key }: ProfileJob) => {
    const failed = (err: unknown) => d.log("warn", "enrichment failed", { key, error: String((err as Error)?.message ?? err) });
    const done = () => void inFlight.delete(key);
    try {
      const ch = d.channels.get(channelId);
      const kind = ch && channelKind(ch.type);
      if (!ch || !kind?.fetchProfile) return done();
      const profile = await kind.fetchProfile(externalId, ch, d.runtime);
      if (toWrite.push({ channelId, externalId, profile, written: done, failed: (err) => (failed(err), done()) }) === 1) setTimeout(writeFetched, PROFILE_WRITE_WINDOW_MS);
    } catch (err) {
      failed(err);
      done();
    }
  };
  let lastArrival = 0;
  const profiles = new ProfileQueue<ProfileJob>(PROFILE_FETCHES, () => performance.now() - lastArrival < BUSY_WINDOW_MS, fetchProfile);
  const profileOnce = (channelId: number, externalId: string) => {
    const key = `p:${channelId}:${externalId}`;
    if (inFlight.has(key)) return;
    inFlight.add(key);
    profiles.push({ channelId, externalId, key });
  };

  const download = async (attachmentId: number) => {
    const a = pendingDownload(d.store.sqlite, attachmentId);
    if (!a?.source_url) return;
    let status: "stored" | "failed" = "failed";
    let path: string | null = null;
    let size = 0;
    try {
      const res = await d.runtime.fetchOutside(a.source_url, { maxBytes: d.maxBytes, timeoutMs: 30_000 });
      if (res.ok) {
        const f = await storeBytes(d.dataDir, res.body);
        path = f.path;
        size = f.size;
        status = "stored";
      } else if (res.status >= 500) return; // transient: the sweep retries
    } catch (err) {
      // Network trouble passes: the sweep retries. A refused address or scheme, too many
      // redirects or too large a file stay so: the attachment remains a link, never fetched again.
      if (!(err instanceof OutsideFetchError) || err.reason === "timeout" || err.reason === "unreachable") return;
      d.log("warn", "attachment not fetched", { attachment_id: attachmentId, reason: err.reason, detail: err.message });
    }
    await d.writer.submit((tx) => finishDownload(tx, attachmentId, a.message_id, { status, path, size }));
  };

  const offContact = d.events.on("contact.created", (e) => profileOnce(e.channelId, e.externalId));
  const offMessage = d.events.on("message.created", (e) => {
    if (e.direction !== "in") return;
    lastArrival = performance.now();
    if (!e.attachments) return;
    for (const id of pendingAttachmentIds(d.store.sqlite, e.messageId)) once(`a:${id}`, () => download(id));
  });

  const sweep = setInterval(() => {
    const cutoff = Date.now() - 10 * 60_000;
    for (const c of identitiesWithoutProfile(d.store.sqlite, cutoff + 9 * 60_000, 50)) profileOnce(c.channel_id, c.external_id);
    for (const id of undownloadedAttachmentIds(d.store.sqlite, 50)) once(`a:${id}`, () => download(id));
  }, 60_000);

  // Call recordings are downloads too, asked for by a call's later events rather than its first.
  const stopRecordings = startCallRecordings(d);
  return () => {
    offContact();
    offMessage();
    clearInterval(sweep);
    stopRecordings();
  };
}
