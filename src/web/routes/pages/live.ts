// GET /live: one Server-Sent Events stream per open inbox tab. It carries small notices
// ("conversation 12 changed", "message 345 in conversation 12"), filtered by what the user may
// see; the page then fetches the rendered fragment. Every notice has an id, and the last few
// thousand are kept so a reconnect (Last-Event-ID) replays what a network blip missed. On
// PostgreSQL the notices of every instance come through the database, numbered alike on all of
// them, so a stream may reconnect to any (pipeline/live-feed.ts). An open stream is also what
// makes an agent "online" for routing (Presence).
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { SseQueue } from "../../../net/sse-queue.ts";
import type { Pano } from "../../../pano.ts";
import { pageSession, type PageEnv } from "../../view-context.ts";
import { endOnRevocation } from "../../auth.ts";
import { canSee, type Viewer } from "../../../domain/conversation.ts";
import type { DomainEvent } from "../../../domain/events.ts";
import { channelAlertRoutes } from "./channel-alert.ts";
import { callCardRoutes } from "./call-card.ts";
import { channelTrouble } from "../../../store/channel-health.ts";
import { contactConversationHolders, conversationHolder } from "../../../store/conversations.ts";
import { NOBODY, told, ToldChannelStates, type Notice, type Told } from "../../../pipeline/live-notice.ts";
import { liveFeedOf, type LiveFeed } from "../../../pipeline/live-feed.ts";

// Notices kept for a reconnect's replay: at least KEEP, trimmed back to KEEP once twice that, so a
// busy hour does not move 5,000 entries down the array on every notice.
const KEEP = 5000;
const RING_FORGET = 5 * 60_000;

type Subscriber = (n: Notice) => void;

class LiveHub {
  /** PostgreSQL: every instance's notices, through the database, numbered in one order for all (pipeline/live-feed.ts). */
  private feed: LiveFeed | null;
  // Ids are "<boot>.<seq>": a reconnect with another boot's id gets a reset. The feed's ids hold on any instance.
  readonly boot: string;
  private seq = 0;
  private ring: Notice[] = [];
  private subscribers = new Set<Subscriber>();

  constructor(private pano: Pano) {
    this.feed = liveFeedOf(pano.store);
    this.boot = this.feed ? "pg" : Date.now().toString(36);
    if (!this.feed) pano.events.onAny((e) => this.onEvent(e));
    else this.feed.attach({
      notice: (n) => { for (const s of this.subscribers) s(n); },
      ringing: (call) => this.ringing(call),
      typing: (conversationId) => this.customerTyping(conversationId, true),
      streams: () => this.subscribers.size,
    });
  }

  /**
   * The customer is typing in this conversation (ChannelHttp.customerTyping): a passing signal, not
   * an event (nothing was committed), said again every few seconds while they type; the page clears it.
   * Told to the other instances' streams too, unless it came from one of them.
   */
  customerTyping(conversationId: number, fromElsewhere = false) {
    this.passing(conversationId, { t: "typing", c: conversationId });
    if (!fromElsewhere) this.feed?.tellTyping(conversationId);
  }

  /**
   * A passing signal about one conversation to those who may see it, connected now. `event`: its
   * own SSE event name (who else has it open: "here"), so the page's "pano" handler never sees it.
   */
  passing(conversationId: number, body: Record<string, unknown>, event?: string) {
    if (!this.subscribers.size) return;
    const scope = this.scopeOf(conversationId);
    if (!scope) return;
    const n: Notice = { seq: this.seq, data: JSON.stringify(body), scope, passing: true, event };
    for (const s of this.subscribers) s(n);
  }

  /** Scopes read during one after-commit burst (one emit): nothing is written until it ends. */
  private burstScopes = new Map<number, { assigneeId: number | null; teamId: number | null } | null>();
  private burstSeen = -1;

  private burstScopeOf(conversationId: number) {
    if (this.burstSeen !== this.pano.events.burst) {
      this.burstSeen = this.pano.events.burst;
      this.burstScopes.clear();
    }
    let scope = this.burstScopes.get(conversationId);
    if (scope === undefined) this.burstScopes.set(conversationId, (scope = this.scopeOf(conversationId)));
    return scope;
  }

  private scopeOf(conversationId: number) {
    return conversationHolder(this.pano.store.sqlite, conversationId);
  }

  private push(n: Notice) {
    this.ring.push(n);
    if (this.ring.length >= 2 * KEEP) this.ring.splice(0, this.ring.length - KEEP);
    for (const s of this.subscribers) s(n);
  }

  private channelStates = new ToldChannelStates();

  private contactScopes(contactId: number) {
    // A profile merged away has no conversations left: those who saw it see them under the survivor.
    return contactConversationHolders(this.pano.store.sqlite, contactId);
  }

  /** Calls ringing now, so an agent who opens the inbox mid-ring still gets the card. */
  private ringingCalls = new Map<number, { contactId: number; since: number }>();

  private ringing(call: { messageId: number; contactId: number; ringing: boolean }) {
    if (call.ringing) this.ringingCalls.set(call.messageId, { contactId: call.contactId, since: Date.now() });
    else this.ringingCalls.delete(call.messageId);
  }

  /**
   * "Ring" notices for the calls ringing now, told to a stream that starts afresh. A call whose
   * end never reached Pano stops counting after RING_FORGET (the card asks, and gets 204, anyway).
   */
  ringingNow(): Notice[] {
    const now = Date.now();
    const out: Notice[] = [];
    for (const [m, r] of this.ringingCalls) {
      if (now - r.since > RING_FORGET) { this.ringingCalls.delete(m); continue; }
      out.push({ seq: this.seq, data: JSON.stringify({ t: "call", m, ring: true }), scope: null, anyOf: this.contactScopes(r.contactId), passing: true });
    }
    return out;
  }

  private onEvent(e: DomainEvent) {
    const t = told(e);
    if (!t) return;
    if (e.type === "channel.updated" && !this.channelStates.changed(e.channelId, channelTrouble(this.pano.store.sqlite, e.channelId))) return;
    if (e.type === "call.updated") this.ringing(e);
    const n = this.subscribers.size ? this.scoped(t) : this.unscoped(t);
    if (n) this.push(n);
  }

  /** Who may see it, looked up now (once per conversation in a burst); null when the conversation is gone. */
  private scoped(t: Told): Notice | null {
    const n: Notice = { seq: 0, data: t.data, event: t.event, staff: t.staff, to: t.to, scope: null };
    if (t.contactId !== undefined) n.anyOf = this.contactScopes(t.contactId);
    else if (t.conversationId !== undefined) {
      const scope = this.burstScopeOf(t.conversationId);
      if (!scope) return null;
      if (!t.everyone) n.scope = scope;
    }
    n.seq = ++this.seq;
    return n;
  }

  /**
   * Nobody is connected: the notice is kept for a reconnect's replay, and who may see it is looked
   * up only if one asks. A query per stored message would cost the ingest path for no reader (every
   * new follower's profile fetch says contact.updated).
   */
  private unscoped(t: Told): Notice {
    const hub = this;
    const { contactId, conversationId } = t;
    let scope: Notice["scope"] | undefined = t.everyone || conversationId === undefined ? null : undefined;
    let anyOf: Notice["anyOf"];
    const n: Notice = {
      seq: ++this.seq,
      data: t.data,
      event: t.event,
      staff: t.staff,
      to: t.to,
      get scope() {
        // A conversation gone by then is shown to no one.
        if (scope === undefined) scope = hub.scopeOf(conversationId!) ?? NOBODY;
        return scope;
      },
    };
    if (contactId !== undefined) Object.defineProperty(n, "anyOf", { get: () => (anyOf ??= hub.contactScopes(contactId)), enumerable: true });
    return n;
  }

  subscribe(fn: Subscriber): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** Notices after `lastId`, or null when they are no longer known (restart, too old). */
  since(lastId: string): Notice[] | null {
    const [boot, seqText] = lastId.split(".");
    const seq = Number(seqText);
    if (boot !== this.boot || !Number.isInteger(seq)) return null;
    if (this.feed) return this.feed.since(seq);
    if (seq > this.seq) return null;
    if (seq === this.seq) return [];
    if (!this.ring.length || this.ring[0].seq > seq + 1) return null;
    return this.ring.filter((n) => n.seq > seq);
  }

  id(n: Notice): string | undefined {
    return n.passing ? undefined : `${this.boot}.${n.seq}`;
  }

  current(): string {
    return `${this.boot}.${this.feed ? this.feed.cursor : this.seq}`;
  }
}

const hubs = new WeakMap<Pano, LiveHub>();
export function liveHub(pano: Pano): LiveHub {
  let hub = hubs.get(pano);
  if (!hub) hubs.set(pano, (hub = new LiveHub(pano)));
  return hub;
}

const visible = (viewer: Viewer, n: Notice) => (n.to !== undefined ? n.to === viewer.userId : n.staff ? viewer.role !== "agent" : n.anyOf ? n.anyOf.some((s) => canSee(viewer, s)) : n.scope === null || (n.scope !== NOBODY && canSee(viewer, n.scope)));

export function livePageRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  const hub = liveHub(pano);
  app.use("*", pageSession(pano));
  app.route("/channel-alert", channelAlertRoutes(pano));
  app.route("/call-card", callCardRoutes(pano));

  app.get("/", (c) => {
    let viewer = c.get("viewer");
    const userId = c.get("user").id;
    // EventSource sends Last-Event-ID itself on reconnect; pano.js passes ?last= when it has to
    // open a fresh EventSource (the browser gave up) so nothing is missed either way.
    const lastId = c.req.header("last-event-id") ?? c.req.query("last") ?? null;
    c.header("X-Accel-Buffering", "no");
    return streamSSE(c, async (stream) => {
      const queue = new SseQueue();
      const message = (n: Notice) => ({ event: n.event ?? "pano", data: n.data, id: hub.id(n) });
      // Before subscribing: on PostgreSQL, finding what was missed first reads what the other instances told.
      const missed = lastId ? hub.since(lastId) : null;
      const unsubscribe = hub.subscribe((n) => {
        // A mention may have let them into a conversation: what they may see is read again.
        if (n.to === userId) viewer = pano.users.viewer(c.get("user"));
        if (visible(viewer, n)) queue.push(message(n));
      });
      const release = pano.presence.connect(userId);
      const close = () => queue.close();
      stream.onAbort(close);
      // Signing out, a new password or being disabled closes this stream at once (and so presence).
      const stopWatching = endOnRevocation(pano, c, close);
      try {
        let replayed = 0;
        for (const n of missed ?? []) if (visible(viewer, n)) await stream.writeSSE(message(n)), replayed++;
        // Something goes out at once, so the browser sees the stream open even when nothing was missed.
        if (!replayed) await stream.writeSSE({ event: "pano", data: JSON.stringify({ t: !missed && lastId ? "reset" : "hello" }), id: hub.current() });
        // What rings now, on every (re)connection: a card already shown is not shown twice.
        for (const n of hub.ringingNow()) if (visible(viewer, n)) await stream.writeSSE(message(n));
        await queue.pump(stream);
      } finally {
        stopWatching();
        unsubscribe();
        release();
      }
    });
  });

  return app;
}
