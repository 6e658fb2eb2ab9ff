// Which agents have a conversation open right now, and which of them are typing a reply in it:
// the inbox says so (a heartbeat while the conversation is open, the composer's typing signal)
// and every agent in the conversation sees the others, so two people do not answer one customer
// at once. Held in memory like Presence: it is about this moment, not history. An agent is there
// while any of their tabs has it open: a tab's presence ends when it leaves the conversation or
// stops saying so (a closed laptop), and all of it when their last live connection closes
// (Presence says offline).

export interface AgentHere {
  userId: number;
  name: string;
  typing: boolean;
}

/** A conversation open in a tab says so every VIEW_MS / 2 or so; missing two beats, it is gone. */
export const VIEW_MS = 45_000;
/** The composer says "typing" at most every 3 s while keys are pressed; a pause of 6 s ends it. */
export const TYPING_MS = 6_000;
export const SWEEP_MS = 1_000;

interface Entry {
  name: string;
  /** Each open tab (the page's own id) -> until when it counts; "" for a typing signal from a tab not yet heard. */
  tabs: Map<string, number>;
  typingUntil: number;
}

export const TYPING_TAB = "";

type Listener = (conversationId: number, here: AgentHere[]) => void;

export class AgentsHere {
  private byConversation = new Map<number, Map<number, Entry>>();
  private listeners = new Set<Listener>();
  private timer: ReturnType<typeof setInterval> | null = null;
  /** What the listeners last heard per conversation (user:typing, sorted), so time passing tells only real changes. */
  protected told = new Map<number, string>();

  constructor(protected now: () => number = Date.now) {}

  viewing(conversationId: number, user: { id: number; name: string }, tab = ""): AgentHere[] {
    this.entry(conversationId, user).tabs.set(tab, this.now() + VIEW_MS);
    return this.changed(conversationId);
  }

  typing(conversationId: number, user: { id: number; name: string }): void {
    const e = this.entry(conversationId, user);
    if (!e.tabs.size) e.tabs.set(TYPING_TAB, this.now() + VIEW_MS);
    e.typingUntil = this.now() + TYPING_MS;
    this.changed(conversationId);
  }

  /** The agent sent their reply, or cleared the composer: still here, no longer typing. */
  stoppedTyping(conversationId: number, userId: number): void {
    const e = this.byConversation.get(conversationId)?.get(userId);
    if (!e || !e.typingUntil) return;
    e.typingUntil = 0;
    this.changed(conversationId);
  }

  /** One tab left the conversation (`tab` null: every tab, as when their last connection closed). */
  leave(conversationId: number, userId: number, tab: string | null = null): void {
    const here = this.byConversation.get(conversationId);
    const e = here?.get(userId);
    if (!here || !e) return;
    if (tab === null) e.tabs.clear();
    else {
      e.tabs.delete(tab);
      e.tabs.delete(TYPING_TAB);
    }
    if (!e.tabs.size) here.delete(userId);
    if (!here.size) this.byConversation.delete(conversationId);
    this.changed(conversationId);
  }

  /** Their last live connection closed: they are in no conversation any more. */
  leaveAll(userId: number): void {
    for (const id of [...this.byConversation.keys()]) this.leave(id, userId);
  }

  list(conversationId: number): AgentHere[] {
    const now = this.now();
    return [...(this.byConversation.get(conversationId) ?? [])]
      .filter(([, e]) => [...e.tabs.values()].some((until) => until > now))
      .map(([userId, e]) => ({ userId, name: e.name, typing: e.typingUntil > now }));
  }

  onChange(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Ends what timed out; the timer runs only while someone is in a conversation. */
  sweep(): void {
    const now = this.now();
    for (const [id, here] of [...this.byConversation]) {
      for (const [userId, e] of [...here]) {
        for (const [tab, until] of [...e.tabs]) if (until <= now) e.tabs.delete(tab);
        if (!e.tabs.size) here.delete(userId);
      }
      if (!here.size) this.byConversation.delete(id);
      this.changed(id);
    }
    if (!this.byConversation.size && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private entry(conversationId: number, user: { id: number; name: string }): Entry {
    let here = this.byConversation.get(conversationId);
    if (!here) this.byConversation.set(conversationId, (here = new Map()));
    let e = here.get(user.id);
    if (!e) here.set(user.id, (e = { name: user.name, tabs: new Map(), typingUntil: 0 }));
    e.name = user.name;
    if (!this.timer) {
      this.timer = setInterval(() => this.sweep(), SWEEP_MS);
      (this.timer as { unref?: () => void }).unref?.();
    }
    return e;
  }

  /** Tells the listeners when who is here, or who types, differs from what they were last told. */
  protected changed(conversationId: number, now = this.list(conversationId)): AgentHere[] {
    const key = now.map((a) => `${a.userId}:${a.typing ? 1 : 0}`).sort().join();
    if (key === (this.told.get(conversationId) ?? "")) return now;
    if (key) this.told.set(conversationId, key);
    else this.told.delete(conversationId);
    for (const fn of this.listeners) fn(conversationId, now);
    return now;
  }
}
