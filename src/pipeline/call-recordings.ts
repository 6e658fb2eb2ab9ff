// After commit, off the ingest path: a call item that now has a recording gets it fetched through
// the guarded fetcher (with whatever headers its channel kind says, e.g. a provider's API key) and
// stored in the data dir like an attachment. Network trouble waits for the slow sweep.
import type { EnrichmentDeps } from "./enrichment-deps.ts";
import { channelKind } from "../channels/registry.ts";
import { storeBytes } from "../store/files.ts";
import { OutsideFetchError } from "../net/outside-fetch.ts";
import { finishRecording, pendingRecording, pendingRecordings, type PendingRecording } from "../store/call-recordings.ts";


const SWEEP_MS = 60_000;

export function startCallRecordings(d: EnrichmentDeps): () => void {
  const inFlight = new Set<number>();

  const fetchOne = async (r: PendingRecording) => {
    const ch = d.channels.get(r.channel_id);
    const req = ch ? channelKind(ch.type)?.recording?.({ callId: r.call_id, recordingUrl: r.recording_url }, ch, d.runtime) ?? null : null;
    const done = (status: "stored" | "failed", path: string | null = null, size = 0, contentType = "audio/mpeg") =>
      d.writer.submit((tx) => finishRecording(tx, r, { status, path, size, contentType }));
    if (!req) return done("failed");
    try {
      const res = await d.runtime.fetchOutside(req.url, { credentials: req.headers, maxBytes: d.maxBytes, timeoutMs: 60_000 });
      if (res.status >= 500 || res.status === 429) return; // transient: the sweep asks again
      if (!res.ok || !res.body.byteLength) return done("failed");
      const type = (res.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
      const f = await storeBytes(d.dataDir, res.body);
      return done("stored", f.path, f.size, type.startsWith("audio/") ? type : "audio/mpeg");
    } catch (err) {
      if (!(err instanceof OutsideFetchError) || err.reason === "timeout" || err.reason === "unreachable") return;
      d.log("warn", "call recording not fetched", { message_id: r.message_id, reason: err.reason, detail: err.message });
      return done("failed");
    }
  };

  const start = (r: PendingRecording | null) => {
    if (!r || inFlight.has(r.attachment_id)) return;
    inFlight.add(r.attachment_id);
    fetchOne(r)
      .catch((err) => d.log("warn", "call recording failed", { message_id: r.message_id, error: String((err as Error)?.message ?? err) }))
      .finally(() => inFlight.delete(r.attachment_id));
  };

  // A call item is written on its first event and updated by the later ones: either may bring the recording.
  const check = (e: { messageId: number }) => start(pendingRecording(d.store.sqlite, e.messageId));
  const offCreated = d.events.on("message.created", (e) => {
    const ch = d.channels.get(e.channelId);
    if (ch && channelKind(ch.type)?.recording) check(e);
  });
  // message.updated names no channel and comes with every reply sent: looked into only where a
  // channel that records calls exists (no read per sent reply for a shop without a switchboard).
  const offUpdated = d.events.on("message.updated", (e) => {
    if (d.channels.list().some((ch) => channelKind(ch.type)?.recording)) check(e);
  });
  const sweep = setInterval(() => pendingRecordings(d.store.sqlite, 20).forEach(start), SWEEP_MS);
  sweep.unref?.();
  return () => {
    offCreated();
    offUpdated();
    clearInterval(sweep);
  };
}
