// The mail reader's thread (read.ts): mail bytes in, events out. Attachment bytes are handed
// back without a copy.
import type { InboundEvent } from "../../domain/message.ts";
import { parseAll, type ReadReply, type ReadRequest } from "./read.ts";

declare const self: Worker;

function transferable(events: InboundEvent[][]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const list of events) {
    for (const e of list) {
      if (e.kind !== "message") continue;
      for (const a of e.attachments) {
        const d = a.data;
        // Only a buffer the attachment owns whole: a view into a shared one must be copied.
        if (d && d.byteOffset === 0 && d.buffer instanceof ArrayBuffer && d.byteLength === d.buffer.byteLength) out.add(d.buffer);
      }
    }
  }
  return [...out];
}

self.onmessage = async (ev: MessageEvent<ReadRequest>) => {
  const { id, mails, ctx } = ev.data;
  let reply: ReadReply;
  try {
    const events = await parseAll(mails, ctx);
    self.postMessage({ id, events } satisfies ReadReply, transferable(events));
    return;
  } catch (err) {
    reply = { id, error: String((err as Error)?.stack ?? err) };
  }
  self.postMessage(reply);
};
