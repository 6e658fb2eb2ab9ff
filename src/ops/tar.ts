// A minimal ustar archive (regular files only), so a backup file opens with plain `tar -xf`
// and large attachment folders stream through without being held in memory.
import type { FileSink } from "bun";

const BLOCK = 512;

function header(name: string, size: number, mtimeMs: number): Uint8Array {
  if (Buffer.byteLength(name) > 100) throw new Error(`archive path too long: ${name}`);
  const h = new Uint8Array(BLOCK);
  const put = (s: string, off: number) => h.set(new TextEncoder().encode(s), off);
  const octal = (n: number, width: number) => n.toString(8).padStart(width - 1, "0") + "\0";
  put(name, 0);
  put(octal(0o644, 8), 100);
  put(octal(0, 8), 108);
  put(octal(0, 8), 116);
  put(octal(size, 12), 124);
  put(octal(Math.floor(mtimeMs / 1000), 12), 136);
  put("        ", 148); // checksum is computed with its own field as spaces
  put("0", 156);
  put("ustar\u000000", 257);
  const sum = h.reduce((a, b) => a + b, 0);
  put(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return h;
}

export class TarWriter {
  constructor(private sink: FileSink) {}

  async add(name: string, file: Blob, mtimeMs = Date.now()): Promise<void> {
    this.sink.write(header(name, file.size, mtimeMs));
    const reader = file.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      this.sink.write(value);
      await this.sink.flush();
    }
    const pad = (BLOCK - (file.size % BLOCK)) % BLOCK;
    if (pad) this.sink.write(new Uint8Array(pad));
  }

  async close(): Promise<void> {
    this.sink.write(new Uint8Array(BLOCK * 2));
    await this.sink.end();
  }
}

export interface TarEntry {
  name: string;
  size: number;
  /** The entry's bytes, as a lazy slice of the archive. */
  body: Blob;
}

/** Lists an archive's regular files without reading their contents. */
export async function* readTar(archive: Blob): AsyncGenerator<TarEntry> {
  let off = 0;
  while (off + BLOCK <= archive.size) {
    const h = new Uint8Array(await archive.slice(off, off + BLOCK).arrayBuffer());
    if (h.every((b) => b === 0)) return;
    const text = (a: number, n: number) => new TextDecoder().decode(h.subarray(a, a + n)).replace(/\0.*$/s, "");
    const prefix = text(345, 155);
    const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
    const size = parseInt(text(124, 12).trim() || "0", 8);
    const type = text(156, 1);
    off += BLOCK;
    if (type === "0" || type === "") yield { name, size, body: archive.slice(off, off + size) };
    off += Math.ceil(size / BLOCK) * BLOCK;
  }
}

/**
 * Writes an entry to `dest` in 1 MB pieces. (Bun.write of a sliced file copies the whole
 * file in Bun 1.4, so the slice is read piece by piece instead.)
 */
export async function saveEntry(e: TarEntry, dest: string): Promise<void> {
  const sink = Bun.file(dest).writer();
  const PIECE = 1024 * 1024;
  for (let off = 0; off < e.size; off += PIECE) {
    sink.write(new Uint8Array(await e.body.slice(off, Math.min(e.size, off + PIECE)).arrayBuffer()));
    await sink.flush();
  }
  await sink.end();
}
