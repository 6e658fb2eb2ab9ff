// What an agent's live stream (GET /live, web/routes/pages/live.ts) is told of an event: a small
// notice ("conversation 12 changed", "message 345 in conversation 12"); the page then fetches the
// rendered fragment. One mapping for both ways a notice travels: straight to this instance's
// streams (SQLite), or through PostgreSQL to every instance's (pipeline/live-feed.ts).
import type { DomainEvent } from "../domain/events.ts";

export interface Holder {
  assigneeId: number | null;
  teamId: number | null;
}

/** A notice as a stream sends it, with who may see it. */
export interface Notice {
  seq: number;
  data: string;
  /** null: everyone gets it (an assignment moved, so the old holder must drop the row). */
  scope: Holder | null;
  /** A contact notice goes to those who see any of the contact's conversations. */
  anyOf?: Holder[];
  /** The SSE event name; "pano" unless said. "contact-<id>" refreshes that contact's open panels. */
  event?: string;
  /** Only for those who look after channels (admins, supervisors): agents cannot fix one. */
  staff?: boolean;
  /** A passing signal (a customer typing): sent to those connected now, not kept for a replay, no id. */
  passing?: boolean;
  /** Only for this person (their notifications). */
  to?: number;
}

/** The scope of a notice about a conversation that is gone: shown to no one. */
export const NOBODY: Holder = { assigneeId: -1, teamId: -1 };

/** What an event tells, before who may see it is looked up (by whoever delivers it, when it does). */
export interface Told {
  data: string;
  event?: string;
  /** Those who may see this conversation, or everyone when `everyone`. */
  conversationId?: number;
  everyone?: boolean;
  /** Those who see any of this contact's conversations. */
  contactId?: number;
  staff?: boolean;
  to?: number;
}

export function told(e: DomainEvent): Told | null {
  switch (e.type) {
    // An incoming call rings, or stops ringing: those who may take it fetch its card (call-card.ts) or drop it.
    case "call.updated":
      return { data: JSON.stringify({ t: "call", m: e.messageId, ring: e.ringing }), contactId: e.contactId };
    case "channel.updated":
      return { data: JSON.stringify({ t: "channel", ch: e.channelId }), staff: true };
    case "contact.updated":
      return { data: JSON.stringify({ t: "contact", k: e.contactId }), event: `contact-${e.contactId}`, contactId: e.contactId };
    case "notification.created":
      return { data: JSON.stringify({ t: "notif", n: e.notificationId, conv: e.conversationId ?? undefined, a: e.alert }), to: e.userId };
    case "message.created":
    case "message.updated":
      return e.conversationId ? { data: JSON.stringify({ t: "msg", c: e.conversationId, m: e.messageId }), conversationId: e.conversationId } : null;
    case "conversation.opened":
    case "conversation.updated": {
      if (!e.conversationId) return null;
      const everyone = e.type === "conversation.updated" && e.changes.some((k) => k === "assignee_id" || k === "team_id");
      return { data: JSON.stringify({ t: "conv", c: e.conversationId }), conversationId: e.conversationId, everyone };
    }
  }
  return null;
}

/**
 * Each channel's last told state ("ok" or its trouble), so a token refresh tells nobody anything.
 * A channel not yet seen since start is always told: it may have been in trouble before.
 */
export class ToldChannelStates {
  private last = new Map<number, string>();

  /** Whether a notice about the channel, now in `state`, tells this instance's streams anything new. */
  changed(channelId: number, state: string): boolean {
    if (this.last.get(channelId) === state) return false;
    this.last.set(channelId, state);
    return true;
  }
}
