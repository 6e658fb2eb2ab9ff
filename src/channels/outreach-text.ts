// The first message's text, checked the same way on every kind that starts a conversation with
// text (ChannelKind.outreach.compose): present, and within the channel's limit.
import type { OutreachVerdict } from "./channel.ts";

export type OutreachRefusal = Extract<OutreachVerdict, { ok: false }>;

export function textRefusal(text: string | undefined, limit: number): OutreachRefusal | null {
  const t = (text ?? "").trim();
  if (!t) return { ok: false, code: "text_required", reason: { vi: "Hãy nhập nội dung tin nhắn.", en: "Write the message first." } };
  if (Array.from(t).length > limit) return { ok: false, code: "text_too_long", reason: { vi: `Tin nhắn dài quá ${limit} ký tự.`, en: `The message is longer than ${limit} characters.` } };
  return null;
}

export const refusal = (code: string, reason: { vi: string; en: string }): OutreachRefusal => ({ ok: false, code, reason });
