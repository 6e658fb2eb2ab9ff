// A phone call as one timeline item: the states a switchboard reports, merged into one record.
// Providers redeliver and reorder (an "ended" may arrive before its "answered"), so the record is
// built from whatever is known so far, and evidence of an answer is never lost.
import type { CallEvent, Direction } from "./message.ts";

export type CallStatus = "ringing" | "answered" | "missed" | "failed";

/** What a message of kind "call" keeps in its meta (`meta.call`); times are ISO strings. */
export interface CallRecord {
  direction: Direction;
  status: CallStatus;
  ended: boolean;
  started_at: string | null;
  answered_at: string | null;
  ended_at: string | null;
  /** Talk time. */
  duration_s: number | null;
  /** From the start until answered (or until it ended unanswered). */
  ring_s: number | null;
  answered_by: string | null;
  end_cause: string | null;
  recording_url: string | null;
  /** Set once the provider said the call failed (it never reached anyone). */
  failed: boolean;
  /** The shop's number on the call, when the switchboard said it. */
  shop_number?: string | null;
}

/** The conversation label a missed inbound call puts on its conversation until it is called back. */
export const CALL_BACK_LABEL = "call-back";

const iso = (d: Date | undefined) => (d && !Number.isNaN(d.getTime()) ? d.toISOString() : null);
const earliest = (a: string | null, b: string | null) => (a && b ? (a < b ? a : b) : a ?? b);
const seconds = (from: string | null, to: string | null) =>
  from && to ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000)) : null;

export function mergeCall(prev: CallRecord | null, e: CallEvent): CallRecord {
  const ended = (prev?.ended ?? false) || e.status === "ended" || e.status === "missed" || e.status === "failed";
  const endedAt = prev?.ended_at ?? iso(e.endedAt) ?? (ended && e.status !== "ringing" && e.status !== "answered" ? iso(e.occurredAt) : null);
  const answeredAt = earliest(prev?.answered_at ?? null, iso(e.answeredAt) ?? (e.status === "answered" ? iso(e.occurredAt) : null));
  const startedAt = earliest(earliest(prev?.started_at ?? null, iso(e.startedAt)), e.status === "ringing" ? iso(e.occurredAt) : null);
  const talk = e.durationS ?? prev?.duration_s ?? null;
  // A talk time above zero is an answer even when the "answered" event never came.
  const answered = !!answeredAt || (talk !== null && talk > 0);
  const failed = (prev?.failed ?? false) || e.status === "failed";
  const status: CallStatus = answered ? "answered" : failed ? "failed" : ended ? "missed" : "ringing";
  return {
    direction: prev?.direction ?? e.direction,
    status,
    ended,
    started_at: startedAt,
    answered_at: answeredAt,
    ended_at: endedAt,
    duration_s: talk ?? (answeredAt && endedAt ? seconds(answeredAt, endedAt) : null),
    ring_s: seconds(startedAt, answeredAt ?? endedAt),
    answered_by: prev?.answered_by ?? e.answeredBy ?? null,
    end_cause: e.endCause ?? prev?.end_cause ?? null,
    recording_url: e.recordingUrl ?? prev?.recording_url ?? null,
    failed,
    shop_number: prev?.shop_number ?? e.shopNumber ?? null,
  };
}

export function sameCall(a: CallRecord, b: CallRecord): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A missed call from a customer waits in the queue until someone calls back. */
export function needsCallBack(c: CallRecord): boolean {
  return c.direction === "in" && c.ended && c.status === "missed";
}

/** The item's text (the queue's preview, search, the API's `text`); views draw it from the record. */
export function callText(c: CallRecord): string {
  const talk = c.duration_s ? ` · ${Math.floor(c.duration_s / 60)}:${String(c.duration_s % 60).padStart(2, "0")}` : "";
  if (c.status === "missed") return c.direction === "in" ? "Cuộc gọi nhỡ" : "Cuộc gọi đi không được nghe máy";
  if (c.status === "failed") return "Cuộc gọi không thành công";
  if (c.status === "ringing") return c.direction === "in" ? "Cuộc gọi đến đang đổ chuông" : "Cuộc gọi đi đang đổ chuông";
  return (c.direction === "in" ? "Cuộc gọi đến" : "Cuộc gọi đi") + talk;
}

/** How an agent says a call ended for the customer, once it is over (a call centre's disposition). */
export const CALL_OUTCOMES = ["resolved", "follow_up", "wrong_number"] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export interface CallOutcomeMark {
  value: CallOutcome;
  /** The agent who set it. */
  by: number;
  at: string;
}

export const isCallOutcome = (v: unknown): v is CallOutcome => typeof v === "string" && (CALL_OUTCOMES as readonly string[]).includes(v);

/** The label a "follow up" outcome leaves on the conversation, so the queue can show what is promised. */
export const FOLLOW_UP_LABEL = "follow-up";

/**
 * The conversation's labels once an agent set a call's outcome: whatever the outcome, the customer
 * was dealt with, so no call back waits; a promised follow-up is marked until someone removes it.
 */
export function labelsAfterOutcome(labels: string[], outcome: CallOutcome): string[] {
  const kept = labels.filter((l) => l !== CALL_BACK_LABEL && (outcome === "follow_up" || l !== FOLLOW_UP_LABEL));
  return outcome === "follow_up" && !kept.includes(FOLLOW_UP_LABEL) ? [...kept, FOLLOW_UP_LABEL] : kept;
}
