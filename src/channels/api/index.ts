// The API channel: programs post customer messages to /api/v1/channels/:id/inbound and get the
// agents' replies POSTed back to their callback URL, signed like a provider webhook.
import { z } from "zod";
import { createHmac } from "node:crypto";
import type { ChannelKind, Channel } from "../channel.ts";
import type { InboundEvent } from "../../domain/message.ts";

export const apiConfigSchema = z
  .object({
    callback_url: z.string().url().optional().nullable(),
    callback_secret: z.string().min(1).optional().nullable(),
  })
  .strict();
export type ApiConfig = z.infer<typeof apiConfigSchema>;

export const apiInboundSchema = z.object({
  external_contact_id: z.string().min(1).max(200),
  contact_name: z.string().max(200).optional(),
  external_message_id: z.string().min(1).max(300),
  text: z.string().max(100_000),
  email: z.string().email().optional(),
  phone: z.string().max(40).optional(),
});
export type ApiInbound = z.infer<typeof apiInboundSchema>;

export function signBody(body: string, secret: string): string {
  return "sha256=" + createHmac("sha256", secret).update(body).digest("hex");
}

export const apiChannel: ChannelKind<ApiConfig> = {
  type: "api",
  configSchema: apiConfigSchema,
  secretFields: ["callback_secret"],
  externalKey: () => null,

  parse(payload, channel: Channel<ApiConfig>): InboundEvent[] {
    const p = payload as ApiInbound & { received_at?: Date };
    return [
      {
        kind: "message",
        channelId: channel.id,
        externalMessageId: p.external_message_id,
        direction: "in",
        contact: { externalId: p.external_contact_id, name: p.contact_name, email: p.email, phone: p.phone },
        text: p.text,
        attachments: [],
        occurredAt: p.received_at ?? new Date(),
      },
    ];
  },

  async send(msg, channel, rt) {
    const url = channel.config.callback_url;
    // Without a callback the integration reads replies through the REST API: nothing to deliver.
    if (!url) return { ok: true, externalId: `pano-${msg.messageId}` };
    const body = JSON.stringify({
      event: "message.created",
      message_id: String(msg.messageId),
      conversation_id: String(msg.conversationId),
      external_contact_id: msg.contact.externalId,
      text: msg.text,
      private: false,
      created_at: msg.createdAt.toISOString(),
      // Beyond interface.md's fields: the reply's files, fetchable by their Pano URL.
      ...(msg.attachments.length ? { attachments: msg.attachments.map((a) => ({ name: a.name, content_type: a.contentType, size: a.size, url: a.url })) } : {}),
    });
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Pano" };
    if (channel.config.callback_secret) headers["x-pano-signature"] = signBody(body, channel.config.callback_secret);
    let res: Response;
    try {
      res = await rt.http(url, { method: "POST", headers, body, signal: AbortSignal.timeout(15_000) });
    } catch (err) {
      return { ok: false, kind: "retry", reason: `callback unreachable: ${String((err as Error).message ?? err)}`, reasonVi: "Không kết nối được tới địa chỉ callback" };
    }
    const text = (await res.text().catch(() => "")).slice(0, 300);
    if (res.ok) return { ok: true, externalId: `pano-${msg.messageId}` };
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      const retryAfter = Number(res.headers.get("retry-after"));
      return { ok: false, kind: "retry", reason: `callback answered ${res.status}`, reasonVi: `Callback trả lời ${res.status}`, afterMs: retryAfter > 0 ? retryAfter * 1000 : undefined };
    }
    return {
      ok: false, kind: "failed", code: `callback_${res.status}`,
      reason: `The callback refused the message (HTTP ${res.status})${text ? `: ${text}` : ""}`,
      reasonVi: `Callback từ chối tin nhắn (HTTP ${res.status})${text ? `: ${text}` : ""}`,
    };
  },
};
