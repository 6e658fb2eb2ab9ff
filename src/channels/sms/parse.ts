// A verified delivery -> events. Inbound texts join the customer's profile by phone (the same
// normalised number a Zalo follower shared, a call came from, or an agent saved); the gateway's
// sent/delivered/failed and eSMS's reports move the status of the message Pano sent.
import type { InboundEvent } from "../../domain/message.ts";
import type { SkipEvent } from "../channel.ts";
import { normalisePhone } from "../../domain/contact.ts";
import { esmsReport } from "./esms.ts";
import type { SmsDelivery } from "./webhook.ts";
import { smsTexts } from "./texts.ts";
import { speaker } from "../texts.ts";

const say = speaker(smsTexts);
const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const when = (v: unknown, fallback: Date) => {
  const d = new Date(str(v));
  return Number.isNaN(d.getTime()) ? fallback : d;
};

export function parseSms(d: SmsDelivery, channelId: number, now: Date, skip?: SkipEvent): InboundEvent[] {
  if ("esms" in d) {
    const e = esmsReport(d.esms, channelId, now);
    return e ? [e] : [];
  }
  const { event, payload } = d.gateway;
  const id = str(payload.messageId);
  switch (event) {
    case "sms:received": {
      const from = str(payload.phoneNumber).trim();
      if (!from) {
        skip?.("an sms:received without phoneNumber", d.gateway);
        return [];
      }
      // A short code or a sender name ("Viettel") has no number: kept under what it is.
      const phone = normalisePhone(from);
      return [{
        kind: "message", channelId, externalMessageId: `sms-${d.digest}`, direction: "in",
        contact: phone ? { externalId: phone, phone } : { externalId: from.slice(0, 50) },
        text: str(payload.message), attachments: [], occurredAt: when(payload.receivedAt, now),
        meta: { gateway_message_id: id || null, sim_number: payload.simNumber ?? null },
      }];
    }
    case "sms:delivered":
      return id ? [{ kind: "status", channelId, status: "delivered", externalMessageIds: [id], occurredAt: when(payload.deliveredAt, now) }] : [];
    case "sms:failed": {
      if (!id) return [];
      const s = say("send.gateway_failed", { reason: str(payload.reason).slice(0, 200) || "unknown" });
      const reason = { error: s.en, errorVi: s.vi };
      return [{ kind: "status", channelId, status: "failed", externalMessageIds: [id], ...reason, occurredAt: when(payload.failedAt, now) }];
    }
    // sms:sent: the phone handed it to the network; the message already shows sent from the moment
    // the gateway accepted it. system:ping and anything newer: nothing to store.
    default:
      return [];
  }
}
