// Files an agent attaches to a reply (multipart form from the composer or the REST API).
// They are checked as a whole before any is written, then written to the data dir before the
// reply's transaction, so the message row never points at bytes that are not on disk.
import { storeBytes } from "../store/files.ts";
import type { ReplyAttachment } from "../store/outbound.ts";

export const MAX_REPLY_FILES = 10;

type FormValue = string | File | (string | File)[] | undefined;

/** Multipart bodies may reach this size; every other body keeps PANO_MAX_BODY_BYTES. */
export const uploadBodyLimit = (maxAttachmentBytes: number, maxBodyBytes: number) => maxAttachmentBytes * MAX_REPLY_FILES + maxBodyBytes;

export const isMultipart = (contentType: string | undefined) => !!contentType && contentType.toLowerCase().startsWith("multipart/form-data");

/** The non-empty files of the `files` (or `files[]`) fields; text in those fields is a mistake the caller names. */
export function chosenFiles(form: Record<string, FormValue>): { files: File[]; textInFiles: boolean } {
  const raw = [form.files, form["files[]"]].flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
  return {
    files: raw.filter((v): v is File => typeof v !== "string" && v.size > 0),
    textInFiles: raw.some((v) => typeof v === "string" && v !== ""),
  };
}

export type FilesProblem = { kind: "too_many"; max: number } | { kind: "too_large"; name: string; maxBytes: number };

/** What is wrong with these files for one reply, if anything: said by each caller in its own words. */
export function filesProblem(files: File[], maxBytes: number): FilesProblem | null {
  if (files.length > MAX_REPLY_FILES) return { kind: "too_many", max: MAX_REPLY_FILES };
  const tooBig = files.find((f) => f.size > maxBytes);
  return tooBig ? { kind: "too_large", name: tooBig.name, maxBytes } : null;
}

export function kindOf(contentType: string): ReplyAttachment["kind"] {
  const top = contentType.split("/")[0];
  return top === "image" || top === "video" || top === "audio" ? top : "file";
}

/** Writes checked files to the data dir (content-addressed) and describes them for createReply. */
export async function storeReplyFiles(files: File[], dataDir: string): Promise<ReplyAttachment[]> {
  const out: ReplyAttachment[] = [];
  for (const f of files) {
    const contentType = f.type || "application/octet-stream";
    const stored = await storeBytes(dataDir, new Uint8Array(await f.arrayBuffer()));
    out.push({ kind: kindOf(contentType), name: safeName(f.name), contentType, size: stored.size, path: stored.path });
  }
  return out;
}

// The name travels to providers and into Content-Disposition: no paths, no control characters.
function safeName(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f"]/g, "").trim();
  return base.slice(0, 200) || "file";
}
