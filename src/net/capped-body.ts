// Reading a body someone else controls (an attachment, a webhook): memory never holds more than
// the limit, however long the sender keeps streaming.

/** The bytes, or null once they pass `max`: the stream is cancelled there, not drained. */
export async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return new Uint8Array(Bun.concatArrayBuffers(parts));
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
}

/** At most the first `max` bytes; the rest of the stream is cancelled unread. */
export async function readPrefix(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  while (size < max) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value.subarray(0, max - size));
    size += Math.min(value.byteLength, max - size);
  }
  await reader.cancel().catch(() => {});
  return new Uint8Array(Bun.concatArrayBuffers(parts));
}

/**
 * A request's body under the same cap. A declared Content-Length over `max` is refused unread,
 * so a sender announcing a huge body costs nothing; a chunked one stops at the limit.
 */
export async function readCappedRequest(req: Request, max: number): Promise<Uint8Array | null> {
  const declared = req.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && !req.headers.has("transfer-encoding")) {
    const size = Number(declared);
    if (size > max) return null;
    // HTTP framing holds the body to its declared length: read whole, natively, without the
    // stream reader's promise per chunk (a webhook at a sales peak is almost always this case).
    return new Uint8Array(await req.arrayBuffer());
  }
  return readCapped(req.body, max);
}
