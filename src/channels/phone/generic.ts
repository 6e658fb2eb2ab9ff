// A generic PBX (Asterisk, FreePBX, 3CX, a Vietnamese switchboard through a small script) posts one
// JSON object per call state, signed X-Pano-Signature: sha256=<hex HMAC-SHA256(raw body, signing_secret)>.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { CallEvent } from "../../domain/message.ts";
import { normalisePhone } from "../../domain/contact.ts";
import { shopNumber } from "./config.ts";

export function signatureMatches(raw: Uint8Array, header: string | null, secret: string): boolean {
  if (!header?.startsWith("sha256=")) return false;
  const want = createHmac("sha256", secret).update(raw).digest();
  const got = Buffer.from(header.slice(7), "hex");
  return got.length === want.length && timingSafeEqual(got, want);
}

const time = z.union([z.string(), z.number()]).transform((v) => new Date(typeof v === "number" && v < 1e12 ? v * 1000 : v));

export const genericCallSchema = z.object({
  call_id: z.string().min(1).max(200),
  direction: z.enum(["inbound", "outbound"]),
  status: z.enum(["ringing", "answered", "ended", "missed"]),
  from: z.string().min(1).max(50),
  to: z.string().min(1).max(50),
  agent: z.string().max(200).optional().nullable(),
  started_at: time,
  answered_at: time.optional().nullable(),
  ended_at: time.optional().nullable(),
  duration_s: z.number().int().min(0).max(7 * 86400).optional().nullable(),
  recording_url: z.string().url().max(2000).optional().nullable(),
});
export type GenericCall = z.infer<typeof genericCallSchema>;

/** The shop's side of a call: the number the customer dialled, or the one that called them. */
export const shopSide = (c: Pick<GenericCall, "direction" | "from" | "to">) => (c.direction === "inbound" ? c.to : c.from);

const valid = (d: Date | null | undefined) => (d && !Number.isNaN(d.getTime()) ? d : undefined);

export function genericCallEvent(c: GenericCall, channelId: number): CallEvent {
  const customer = c.direction === "inbound" ? c.from : c.to;
  const phone = normalisePhone(customer) ?? customer;
  return {
    kind: "call", channelId, callId: c.call_id, direction: c.direction === "inbound" ? "in" : "out",
    contact: { externalId: phone, phone },
    status: c.status,
    occurredAt: valid(c.ended_at) ?? valid(c.answered_at) ?? valid(c.started_at) ?? new Date(),
    startedAt: valid(c.started_at), answeredAt: valid(c.answered_at), endedAt: valid(c.ended_at),
    durationS: c.duration_s ?? undefined, answeredBy: c.agent ?? undefined, recordingUrl: c.recording_url ?? undefined,
    shopNumber: shopNumber(shopSide(c)),
  };
}
