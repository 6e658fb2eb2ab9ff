// Files an agent attaches to a reply (multipart form from the composer or the REST API).
// They are written to the data dir before the reply's transaction, so the message row never
// points at bytes that are not on disk; a refused upload stores nothing the agent can see.
import { PanoError } from "../domain/errors.ts";
import { storeBytes } from "../store/files.ts";
import type { ReplyAttachment } from "../store/outbound.ts";

export const MAX_REPLY_FILES = 10;

type FormValue = string | File | (string | File)[] | undefined;

/** Multipart bodies may reach this size; every other body keeps PANO_MAX_BODY_BYTES. */
export const uploadBodyLimit = (maxAttachmentBytes: number, maxBodyBytes: number) => maxAttachmentBytes * MAX_REPLY_FILES + maxBodyBytes;

export function kindOf(contentType: string): ReplyAttachment["kind"] {
  const top = contentType.split("/")[0];
  return top === "image" || top === "video" || top === "audio" ? top : "file";
}

/** The `files` (or `files[]`) fields of a parsed multipart body, validated and stored. */
export async function storeReplyFiles(form: Record<string, FormValue>, dataDir: string, maxBytes: number): Promise<ReplyAttachment[]> {
  const raw = [form.files, form["files[]"]].flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
  if (raw.some((v) => typeof v === "string" && v !== "")) throw new PanoError("validation_failed", "files: must be files, not text", "files");
  const files = raw.filter((v): v is File => typeof v !== "string" && v.size > 0);
  if (files.length > MAX_REPLY_FILES) throw new PanoError("validation_failed", `files: at most ${MAX_REPLY_FILES} files per reply`, "files");
  const tooBig = files.find((f) => f.size > maxBytes);
  if (tooBig) throw new PanoError("payload_too_large", `files: ${tooBig.name} is over ${maxBytes} bytes`, "files");
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

export const isMultipart = (contentType: string | undefined) => !!contentType && contentType.toLowerCase().startsWith("multipart/form-data");
