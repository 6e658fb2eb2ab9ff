// Stringee's call events (developer.stringee.com/docs/server/call-events), POSTed unsigned to the
// event URL: the secret token in the URL is what authenticates them. Checked against the docs:
// {"call_status":"created|started|ringing|answered|ended|agentEnded","call_id","timestamp_ms",
//  "from":{"number","alias","type":"internal|external","is_online"},"to":{...},"type":"stringee_call",
//  "project_id","account_sid","request_from_user_id"?,"clientCustomData"?}; an ended call adds
// "duration", "answerDuration" (talk time; 0 when unanswered), "endCallCause" ("486 Busy Here"),
// "endedBy", "callCreatedReason", "callType".
import { z } from "zod";
import type { CallEvent } from "../../domain/message.ts";
import { normalisePhone } from "../../domain/contact.ts";

const party = z.object({ number: z.string().max(100), alias: z.string().max(200).optional().nullable(), type: z.string().max(20).optional() });

export const stringeeEventSchema = z.object({
  call_status: z.string().max(30),
  call_id: z.string().min(1).max(200),
  timestamp_ms: z.number().optional(),
  from: party,
  to: party,
  duration: z.number().optional().nullable(),
  answerDuration: z.number().optional().nullable(),
  endCallCause: z.string().max(200).optional().nullable(),
  endedBy: z.string().max(100).optional().nullable(),
});
export type StringeeEvent = z.infer<typeof stringeeEventSchema>;

const STATUS: Record<string, CallEvent["status"] | undefined> = { created: "ringing", started: "ringing", ringing: "ringing", answered: "answered", ended: "ended" };

/**
 * Inbound: a customer dialled one of the shop's numbers (to). Outbound: a call from a shop number;
 * Pano's own click-to-call rings the agent (an internal user) first and names the customer in the
 * agent's `to.alias` (callout.ts), so the customer is the external party, else that alias.
 */
export function stringeeCallEvent(e: StringeeEvent, shopNumbers: readonly string[], channelId: number): CallEvent | null {
  const status = STATUS[e.call_status];
  // agentEnded is one agent's leg of a call-centre call; the call itself goes on.
  if (!status) return null;
  const inbound = shopNumbers.includes(e.to.number);
  const outbound = !inbound && shopNumbers.includes(e.from.number);
  if (!inbound && !outbound) return null;
  const customer = inbound ? e.from.number : e.to.type === "internal" ? e.to.alias ?? "" : e.to.number;
  const phone = normalisePhone(customer);
  if (!phone) return null;
  const at = new Date(e.timestamp_ms ?? Date.now());
  const talk = e.answerDuration ?? undefined;
  return {
    kind: "call", channelId, callId: e.call_id, direction: inbound ? "in" : "out",
    contact: { externalId: phone, phone },
    status,
    occurredAt: at,
    startedAt: status === "ringing" ? at : undefined,
    answeredAt: status === "answered" ? at : undefined,
    endedAt: status === "ended" ? at : undefined,
    durationS: status === "ended" ? talk : undefined,
    // On Pano's click-to-call the agent is the internal party the switchboard rang first.
    answeredBy: outbound && e.to.type === "internal" && status === "answered" ? e.to.number : undefined,
    endCause: e.endCallCause ?? undefined,
    shopNumber: inbound ? e.to.number : e.from.number,
  };
}

/** Whether an event concerns one of these numbers at all (else it is logged, not stored). */
export const stringeeShopNumber = (e: StringeeEvent, shopNumbers: readonly string[]) =>
  shopNumbers.includes(e.to.number) ? e.to.number : shopNumbers.includes(e.from.number) ? e.from.number : null;
