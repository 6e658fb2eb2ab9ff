// The API channel: programs post customer messages to /api/v1/channels/:id/inbound and get the
// agents' replies POSTed back to their callback URL, signed like a provider webhook.
import { z } from "zod";
import type { ChannelKind, Channel } from "../channel.ts";
import type { InboundEvent } from "../../domain/message.ts";
import { OutsideFetchError, type OutsideAnswer } from "../../net/outside-fetch.ts";
import { apiTexts } from "./texts.ts";
import { pingCallback } from "./ping.ts";
import { signBody } from "../../net/signature.ts";

export { signBody };

export const apiConfigSchema = z
  .object({
    // Only http(s): a file:, gopher: or javascript: callback is refused when saved.
    callback_url: z.string().url({ protocol: /^https?$/ }).optional().nullable(),
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
  /** The shop's order the message is about: a routing rule may confirm it by ZNS or SMS ({order_code}). */
  order_code: z.string().min(1).max(100).optional(),
  /** Other facts the integration knows (delivery date, amount...): rule conditions and template params read them. */
  fields: z.record(z.string().min(1).max(50), z.union([z.string().max(500), z.number()]).transform(String)).refine((f) => Object.keys(f).length <= 30, "at most 30 fields").optional(),
});
export type ApiInbound = z.infer<typeof apiInboundSchema>;

/** "HTTP 422 Unprocessable Entity": the code and a short, printable reason phrase. */
function statusLine(res: Pick<OutsideAnswer, "status" | "statusText">): string {
  const phrase = res.statusText.replace(/[^\x20-\x7e]/g, "").trim().slice(0, 40);
  return phrase ? `HTTP ${res.status} ${phrase}` : `HTTP ${res.status}`;
}


export const apiChannel: ChannelKind<ApiConfig> = {
  type: "api",
  texts: apiTexts,
  icon: `<symbol id="api" viewBox="0 0 24 24"><path d="M8 6l-6 6 6 6M16 6l6 6-6 6"/></symbol>`,
  // Where the integration posts customers' messages (served by the REST API's channel routes).
  endpoints: (id) => (id === null ? [] : [{ label: "inbound_url", path: `/api/v1/channels/${id}/inbound` }]),
  testConnection: (channel, rt) => pingCallback(channel, rt),
  configSchema: apiConfigSchema,
  secretFields: ["callback_secret"],
  outsideUrlFields: ["callback_url"],
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
        ...(p.order_code || p.fields ? { meta: { fields: { ...(p.fields ?? {}), ...(p.order_code ? { order_code: p.order_code } : {}) } } } : {}),
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
    let res: OutsideAnswer;
    try {
      res = await rt.fetchOutside(url, { method: "POST", headers, body, timeoutMs: 15_000, keepBody: false });
    } catch (err) {
      if (err instanceof OutsideFetchError && (err.reason === "scheme" || err.reason === "address" || err.reason === "redirects")) {
        return { ok: false, kind: "failed", code: "callback_refused", reason: `Pano does not send to this callback address (${err.message})`, reasonVi: `Pano không gửi tới địa chỉ callback này (${err.message})` };
      }
      return { ok: false, kind: "retry", reason: `callback unreachable: ${String((err as Error).message ?? err)}`, reasonVi: "Không kết nối được tới địa chỉ callback" };
    }
    if (res.ok) return { ok: true, externalId: `pano-${msg.messageId}` };
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      const retryAfter = Number(res.headers.get("retry-after"));
      return { ok: false, kind: "retry", reason: `callback answered ${res.status}`, reasonVi: `Callback trả lời ${res.status}`, afterMs: retryAfter > 0 ? retryAfter * 1000 : undefined };
    }
    // The callback's body is never shown: agents read this, and the far side could put anything
    // there (an internal page's content, a phishing line). The status line is enough to act on.
    const why = statusLine(res);
    return {
      ok: false, kind: "failed", code: `callback_${res.status}`,
      reason: `The callback refused the message (${why})`,
      reasonVi: `Callback từ chối tin nhắn (${why})`,
    };
  },
};
