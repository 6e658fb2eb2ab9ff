// What a visitor may send: text up to a limit (kept as text, never HTML) and images or PDFs that
// are what their first bytes say, whatever name or type the browser gave them.
export const TEXT_LIMIT = 5000;
export const FILE_LIMIT = 10 * 1024 * 1024;

const SIGNATURES: { type: string; kind: "image" | "file"; ext: string; test: (b: Uint8Array) => boolean }[] = [
  { type: "image/png", kind: "image", ext: "png", test: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: "image/jpeg", kind: "image", ext: "jpg", test: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  { type: "image/gif", kind: "image", ext: "gif", test: (b) => starts(b, [0x47, 0x49, 0x46, 0x38]) },
  { type: "image/webp", kind: "image", ext: "webp", test: (b) => starts(b, [0x52, 0x49, 0x46, 0x46]) && starts(b.subarray(8), [0x57, 0x45, 0x42, 0x50]) },
  { type: "application/pdf", kind: "file", ext: "pdf", test: (b) => starts(b, [0x25, 0x50, 0x44, 0x46, 0x2d]) },
];

function starts(b: Uint8Array, sig: number[]): boolean {
  return b.length >= sig.length && sig.every((v, i) => b[i] === v);
}

/** The file's real type by its content, or null when it is not an image or PDF Pano accepts. */
export function sniff(bytes: Uint8Array): { type: string; kind: "image" | "file"; ext: string } | null {
  const s = SIGNATURES.find((x) => x.test(bytes));
  return s ? { type: s.type, kind: s.kind, ext: s.ext } : null;
}

/** A safe display name with the extension its content deserves. */
export function fileName(given: string, ext: string): string {
  const base = given.replace(/[\\/\x00-\x1f<>:"|?*]/g, "_").replace(/\.[^.]*$/, "").slice(0, 100) || "file";
  return `${base}.${ext}`;
}
