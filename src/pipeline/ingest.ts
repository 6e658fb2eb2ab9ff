// The one path in: normalised events -> (attachment bytes to disk) -> one group-committed write,
// on the ingest thread when it runs (ingest-thread.ts), else on the main writer.
// The promise resolves only after COMMIT, so a webhook acknowledges nothing that is not stored.
import type { InboundEvent } from "../domain/message.ts";
import type { Writer } from "../store/writer.ts";
import { applyInbound, type IngestResult, type StoredAttachment } from "../store/inbound.ts";
import { storeBytes } from "../store/files.ts";
import type { IngestThread } from "./ingest-thread.ts";

export interface Ingest {
  submit(events: InboundEvent[]): Promise<IngestResult[]>;
}

const NO_FILES: ReadonlyMap<InboundEvent, StoredAttachment[]> = new Map();
// applyInbound touches nothing but the database and the transaction's events (store/writer.ts).
const REPEATABLE = { rerunnable: true };

/** The same write on the main thread's writer: without the ingest thread, or when it failed. */
export function ingestOnMain(writer: Writer): (events: InboundEvent[], stored: ReadonlyMap<InboundEvent, StoredAttachment[]>) => Promise<IngestResult[]> {
  return (events, stored) => writer.submit((tx) => applyInbound(tx, events, stored), REPEATABLE);
}

export function createIngest(writer: Writer, dataDir: string, maxAttachmentBytes: number, thread: IngestThread | null = null): Ingest {
  const onMain = ingestOnMain(writer);
  const write = thread ? (events: InboundEvent[], stored: ReadonlyMap<InboundEvent, StoredAttachment[]>) => thread.submit(events, stored) : onMain;
  return {
    async submit(events) {
      if (!events.length) return [];
      // Most messages carry no files: no map, no await between arrival and the writer's queue.
      if (!events.some((e) => e.kind === "message" && e.attachments.length)) return write(events, NO_FILES);
      const stored = new Map<InboundEvent, StoredAttachment[]>();
      for (const e of events) {
        if (e.kind !== "message" || !e.attachments.length) continue;
        const files: StoredAttachment[] = [];
        for (const a of e.attachments) {
          const base = { kind: a.kind, name: a.name, contentType: a.contentType, sourceUrl: a.url ?? null };
          if (a.data && a.data.byteLength <= maxAttachmentBytes) {
            const f = await storeBytes(dataDir, a.data);
            files.push({ ...base, size: f.size, path: f.path });
          } else {
            files.push({ ...base, size: a.size ?? a.data?.byteLength ?? 0, path: null });
          }
        }
        stored.set(e, files);
      }
      return write(events, stored);
    },
  };
}
