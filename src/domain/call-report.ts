// Phone figures beside the chat figures (docs/reports.md): calls answered and missed, missed calls
// nobody called back, average talk time, and how long a missed caller waited for the call back;
// in total, per agent and per shop number. Pure: the rows come from store/call-facts.ts.
import { p50p90 } from "./reports.ts";

export interface CallFact {
  messageId: number;
  contactId: number;
  direction: "in" | "out";
  status: "answered" | "missed" | "failed" | "ringing";
  ended: boolean;
  /** When the call began (the item's time), ms. */
  at: number;
  talkS: number | null;
  /** Pano user the switchboard named as answering (or placing) it, when it is one of them. */
  agentId: number | null;
  shopNumber: string | null;
}

export interface CallFigures {
  calls: number;
  answered: number;
  missed: number;
  /** Missed inbound calls with no outbound call to that customer afterwards (up to now). */
  missed_not_called_back: number;
  average_talk_seconds: number | null;
  /** From a missed inbound call to the next outbound call to that customer. */
  call_back_seconds: { p50: number | null; p90: number | null };
}

const missedIn = (c: CallFact) => c.direction === "in" && c.ended && c.status === "missed";

/**
 * `inRange`: the calls the figures count; `later`: every call from the range's start to now, which
 * says whether (and when) each missed caller was called back, even after the range ends.
 */
export function callFigures(inRange: CallFact[], later: CallFact[]): CallFigures {
  const outByContact = new Map<number, number[]>();
  for (const c of later) if (c.direction === "out") (outByContact.get(c.contactId) ?? outByContact.set(c.contactId, []).get(c.contactId)!).push(c.at);
  for (const v of outByContact.values()) v.sort((a, b) => a - b);
  const talks = inRange.filter((c) => c.status === "answered" && c.talkS !== null).map((c) => c.talkS!);
  const waits: number[] = [];
  let notCalledBack = 0;
  for (const c of inRange.filter(missedIn)) {
    const next = (outByContact.get(c.contactId) ?? []).find((t) => t > c.at);
    if (next === undefined) notCalledBack++;
    else waits.push(Math.round((next - c.at) / 1000));
  }
  return {
    calls: inRange.length,
    answered: inRange.filter((c) => c.status === "answered").length,
    missed: inRange.filter(missedIn).length,
    missed_not_called_back: notCalledBack,
    average_talk_seconds: talks.length ? Math.round(talks.reduce((a, b) => a + b, 0) / talks.length) : null,
    call_back_seconds: p50p90(waits),
  };
}

/**
 * Per agent, their own calls: the ones they answered or placed, and the call backs they made
 * (each missed call's wait credited to whoever placed the first call back).
 */
export interface AgentCallFigures { answered: number; placed: number; average_talk_seconds: number | null; call_backs: number; call_back_seconds: { p50: number | null; p90: number | null } }

/** The summary's `calls` block: in total, per agent (named) and per shop number. */
export interface CallsSummary extends CallFigures {
  by_agent: (AgentCallFigures & { agent_id: string; name: string | null })[];
  by_number: (CallFigures & { number: string | null })[];
}

export function callFiguresByAgent(inRange: CallFact[], later: CallFact[]): (AgentCallFigures & { agentId: number })[] {
  const outs = later.filter((c) => c.direction === "out").sort((a, b) => a.at - b.at);
  const backs = new Map<number, number[]>();
  for (const m of inRange.filter(missedIn)) {
    const next = outs.find((o) => o.contactId === m.contactId && o.at > m.at);
    if (next?.agentId != null) (backs.get(next.agentId) ?? backs.set(next.agentId, []).get(next.agentId)!).push(Math.round((next.at - m.at) / 1000));
  }
  const ids = new Set<number>([...inRange.flatMap((c) => (c.agentId === null ? [] : [c.agentId])), ...backs.keys()]);
  return [...ids].sort((a, b) => a - b).map((id) => {
    const mine = inRange.filter((c) => c.agentId === id);
    const talks = mine.filter((c) => c.status === "answered" && c.talkS !== null).map((c) => c.talkS!);
    const waits = backs.get(id) ?? [];
    return {
      agentId: id,
      answered: mine.filter((c) => c.direction === "in" && c.status === "answered").length,
      placed: mine.filter((c) => c.direction === "out").length,
      average_talk_seconds: talks.length ? Math.round(talks.reduce((a, b) => a + b, 0) / talks.length) : null,
      call_backs: waits.length,
      call_back_seconds: p50p90(waits),
    };
  });
}
