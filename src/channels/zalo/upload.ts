// Outgoing files go to Zalo first: images (JPG/PNG, up to 1 MB) -> attachment_id, documents
// (PDF/DOC/DOCX, up to 5 MB) -> token. What Zalo cannot take fails before any upload, with a reason.
import type { ChannelRuntime } from "../channel.ts";
import type { OutboundAttachment } from "../../domain/message.ts";
import { callZalo } from "./api.ts";
import { mapZaloError, type Failure } from "./errors.ts";

export const IMAGE_MAX = 1024 * 1024;
export const FILE_MAX = 5 * 1024 * 1024;
const IMAGE_TYPES = new Set(["image/jpeg", "image/jpg", "image/png"]);
const FILE_EXT = /\.(pdf|docx?)$/i;

export type Uploadable = { kind: "image" | "file"; file: OutboundAttachment };

/** Decides how each attachment goes, or why it cannot. */
export function planUpload(a: OutboundAttachment): Uploadable | Failure {
  if (IMAGE_TYPES.has(a.contentType.toLowerCase())) {
    if (a.size <= IMAGE_MAX) return { kind: "image", file: a };
    return tooBig(a, "1 MB");
  }
  if (FILE_EXT.test(a.name)) {
    if (a.size <= FILE_MAX) return { kind: "file", file: a };
    return tooBig(a, "5 MB");
  }
  return {
    ok: false, kind: "failed", code: "attachment_type",
    reason: `Zalo accepts JPG/PNG images and PDF/DOC/DOCX files; "${a.name}" is ${a.contentType}`,
    reasonVi: `Zalo chỉ nhận ảnh JPG/PNG và tệp PDF/DOC/DOCX; "${a.name}" có định dạng ${a.contentType}`,
  };
}

function tooBig(a: OutboundAttachment, limit: string): Failure {
  return {
    ok: false, kind: "failed", code: "attachment_too_large",
    reason: `"${a.name}" is over Zalo's ${limit} limit for this kind of file`,
    reasonVi: `"${a.name}" vượt giới hạn ${limit} của Zalo cho loại tệp này`,
  };
}

/** Uploads one file; the id to put in the message (attachment_id or token), or a failure. */
export async function upload(rt: ChannelRuntime, channelId: number, u: Uploadable): Promise<{ id: string } | Failure> {
  const form = () => {
    const f = new FormData();
    f.append("file", new Blob([Bun.file(u.file.path)], { type: u.file.contentType }), u.file.name);
    return f;
  };
  const r = await callZalo(rt, channelId, `/v2.0/oa/upload/${u.kind}`, { form });
  if (!r.ok) return r.failure ?? mapZaloError(r.zaloError!.error, r.zaloError!.message);
  const id = u.kind === "image" ? r.answer.data?.attachment_id : r.answer.data?.token;
  if (!id) return { ok: false, kind: "retry", reason: "Zalo's upload answer had no id", reasonVi: "Zalo không trả về mã tệp sau khi tải lên" };
  return { id: String(id) };
}
