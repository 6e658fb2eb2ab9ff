// A reply to a Zalo user: a consultation message (POST /v3.0/oa/message/cs) per text part and
// per attachment. Text over 2000 characters is split at paragraph/word breaks.
import type { ChannelRuntime, Channel } from "../channel.ts";
import type { OutboundMessage, SendResult } from "../../domain/message.ts";
import { splitText } from "../../domain/message.ts";
import type { ZaloConfig } from "./config.ts";
import { callZalo } from "./api.ts";
import { mapZaloError } from "./errors.ts";
import { planUpload, upload } from "./upload.ts";
import { expectEcho, settleEcho } from "./sent-ids.ts";

export const TEXT_LIMIT = 2000;
/** The OA's message quota is spent: replies are retried, and admins see it on the channel. */
const OUT_OF_QUOTA = -211;

export async function sendZalo(msg: OutboundMessage, channel: Channel<ZaloConfig>, rt: ChannelRuntime): Promise<SendResult> {
  const recipient = { user_id: msg.contact.externalId };
  const bodies: { json: Record<string, unknown>; content: string }[] = [];
  const plans = msg.attachments.map(planUpload);
  const refused = plans.find((p) => "ok" in p);
  if (refused && "ok" in refused) return refused;
  for (const p of plans) {
    if ("ok" in p) continue;
    const up = await upload(rt, channel.id, p);
    if ("ok" in up) return up;
    bodies.push(
      p.kind === "image"
        ? { content: "[image]", json: { recipient, message: { attachment: { type: "template", payload: { template_type: "media", elements: [{ media_type: "image", attachment_id: up.id }] } } } } }
        : { content: "[file]", json: { recipient, message: { attachment: { type: "file", payload: { token: up.id } } } } },
    );
  }
  // Most replies fit one message: no need to walk the text by code point to find that out.
  const parts = msg.text.length <= TEXT_LIMIT ? [msg.text] : splitText(msg.text, TEXT_LIMIT);
  if (msg.text.trim()) for (const part of parts) bodies.push({ content: part, json: { recipient, message: { text: part } } });
  if (!bodies.length) return { ok: false, kind: "failed", code: "empty", reason: "Nothing to send", reasonVi: "Không có nội dung để gửi" };

  const ids: string[] = [];
  for (const body of bodies) {
    // Zalo's echo of this part may overtake the answer below: it is matched by content meanwhile.
    const echo = { userId: recipient.user_id, content: body.content };
    expectEcho(channel.id, echo, msg.messageId);
    const r = await callZalo(rt, channel.id, "/v3.0/oa/message/cs", { json: body.json });
    const id = r.ok && r.answer.data?.message_id ? String(r.answer.data.message_id) : null;
    settleEcho(channel.id, echo, msg.messageId, id);
    if (!r.ok) {
      const failure = r.failure ?? mapZaloError(r.zaloError!.error, r.zaloError!.message);
      if (r.zaloError?.error === OUT_OF_QUOTA) await rt.setStatus(channel.id, "error", failure.reason);
      return failure;
    }
    if (id) ids.push(id);
  }
  // The only trouble that sets a Zalo channel to "error" is the quota; a reply that went out ends it.
  if (rt.current(channel.id)?.status === "error") await rt.setStatus(channel.id, "active", null);
  const [first, ...rest] = ids;
  return { ok: true, externalId: first ?? `pano-${msg.messageId}`, extraExternalIds: rest };
}
