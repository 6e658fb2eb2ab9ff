// When did the replica first hold a given message? Litestream 0.3 writes a file:// replica as
// LZ4 frames of raw SQLite WAL frames (generations/<g>/wal/<index>/<offset>.wal.lz4) and of
// snapshots; a file's mtime is its last write, the moment its pages were in the replica (less
// the final fsync). SQLite stores text as-is in its pages, so a message's external id is found
// by scanning the decompressed pages.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** The LZ4 frame format (lz4.org), enough for what Litestream writes: linked or independent blocks, optional checksums. */
export function lz4Decompress(src: Uint8Array): Uint8Array {
  let out = new Uint8Array(Math.max(1024, src.length * 4));
  let o = 0;
  const ensure = (n: number) => {
    if (o + n <= out.length) return;
    const grown = new Uint8Array(Math.max(out.length * 2, o + n));
    grown.set(out.subarray(0, o));
    out = grown;
  };
  const u32 = (p: number) => (src[p]! | (src[p + 1]! << 8) | (src[p + 2]! << 16) | (src[p + 3]! << 24)) >>> 0;
  let p = 0;
  while (p + 4 <= src.length) {
    const magic = u32(p);
    p += 4;
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      p += 4 + u32(p); // skippable frame
      continue;
    }
    if (magic !== 0x184d2204) throw new Error(`not an LZ4 frame (magic ${magic.toString(16)})`);
    const flg = src[p]!;
    p += 2 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0) + 1; // FLG, BD, content size, dict id, header checksum
    for (;;) {
      const size = u32(p);
      p += 4;
      if (size === 0) break;
      const len = size & 0x7fffffff;
      if (size & 0x80000000) {
        ensure(len);
        out.set(src.subarray(p, p + len), o);
        o += len;
      } else o = decodeBlock(src, p, p + len);
      p += len + (flg & 0x10 ? 4 : 0);
    }
    if (flg & 0x04) p += 4;
  }
  return out.subarray(0, o);

  function decodeBlock(s: Uint8Array, start: number, end: number): number {
    let i = start;
    while (i < end) {
      const token = s[i++]!;
      let lit = token >> 4;
      if (lit === 15) for (let b = 255; b === 255; ) lit += b = s[i++]!;
      ensure(lit);
      out.set(s.subarray(i, i + lit), o);
      o += lit;
      i += lit;
      if (i >= end) break;
      const offset = s[i]! | (s[i + 1]! << 8);
      i += 2;
      let m = (token & 15) + 4;
      if ((token & 15) === 15) for (let b = 255; b === 255; ) m += b = s[i++]!;
      ensure(m);
      for (let k = 0; k < m; k++, o++) out[o] = out[o - offset]!;
    }
    return o;
  }
}

function lz4Files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".lz4")).map((f) => join(dir, f));
}

/** Each id matching `pattern` (global) -> the earliest mtime (ms since epoch) of a replica file holding it. */
export function firstInReplica(replicaDbDir: string, pattern: RegExp): { seen: Map<string, number>; files: number; bytes: number } {
  const seen = new Map<string, number>();
  let bytes = 0;
  const files = lz4Files(replicaDbDir);
  for (const file of files) {
    const at = statSync(file).mtimeMs;
    const pages = lz4Decompress(readFileSync(file));
    bytes += pages.length;
    const text = Buffer.from(pages.buffer, pages.byteOffset, pages.length).toString("latin1");
    for (const m of text.matchAll(pattern)) {
      const prev = seen.get(m[0]);
      if (prev === undefined || at < prev) seen.set(m[0], at);
    }
  }
  return { seen, files: files.length, bytes };
}
