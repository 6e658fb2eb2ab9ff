// "Agents here" for instances behind one load balancer (PostgreSQL): an agent's heartbeat, typing
// signal or leave may reach any instance, so who is in a conversation is kept in the database
// (store/agents-here.ts) instead of this process's memory. Each instance reads it back every
// SWEEP_MS and tells its own live streams what changed, so an agent viewing a conversation through
// instance A shows up, within about a second, for a colleague whose inbox is on instance B.
import type { Database } from "bun:sqlite";
import { AgentsHere, SWEEP_MS, TYPING_MS, TYPING_TAB, VIEW_MS, type AgentHere } from "./agents-here.ts";
import { agentsHereNow, clearTyping, markTyping, markViewing, pruneAgentsHere, removeAgent, removeTab, type HereRow } from "../store/agents-here.ts";

/** Rows this long expired are deleted (a while after expiry, so a slow clock elsewhere loses nothing). */
const PRUNE_AFTER_MS = 60_000;

const here = (r: HereRow, now: number): AgentHere => ({ userId: r.user_id, name: r.name, typing: r.typing_until > now });

export class SharedAgentsHere extends AgentsHere {
  private poll: ReturnType<typeof setInterval>;
  private pruned = 0;
  private failing = false;

  /** `onError`: told once per spell of failed looks (the database away), not every second. */
  constructor(private db: Database, now: () => number = Date.now, private onError: (err: unknown) => void = () => {}) {
    super(now);
    this.poll = setInterval(() => this.sweep(), SWEEP_MS);
    (this.poll as { unref?: () => void }).unref?.();
  }

  override viewing(conversationId: number, user: { id: number; name: string }, tab = ""): AgentHere[] {
    markViewing(this.db, conversationId, user, tab, this.now() + VIEW_MS);
    return this.changed(conversationId);
  }

  override typing(conversationId: number, user: { id: number; name: string }): void {
    const now = this.now();
    markTyping(this.db, conversationId, user, now + TYPING_MS, TYPING_TAB, now + VIEW_MS, now);
    this.changed(conversationId);
  }

  override stoppedTyping(conversationId: number, userId: number): void {
    if (clearTyping(this.db, conversationId, userId, this.now())) this.changed(conversationId);
  }

  override leave(conversationId: number, userId: number, tab: string | null = null): void {
    removeTab(this.db, conversationId, userId, tab, TYPING_TAB);
    this.changed(conversationId);
  }

  override leaveAll(userId: number): void {
    for (const id of new Set(removeAgent(this.db, userId))) this.changed(id);
  }

  override list(conversationId: number): AgentHere[] {
    const now = this.now();
    return agentsHereNow(this.db, conversationId, now).map((r) => here(r, now));
  }

  /** What every instance changed since the last look: one query for all conversations. */
  override sweep(): void {
    try {
      const now = this.now();
      const by = new Map<number, AgentHere[]>();
      for (const r of agentsHereNow(this.db, null, now)) {
        const list = by.get(r.conversation_id) ?? [];
        list.push(here(r, now));
        by.set(r.conversation_id, list);
      }
      for (const id of new Set([...this.told.keys(), ...by.keys()])) this.changed(id, by.get(id) ?? []);
      if (now - this.pruned > PRUNE_AFTER_MS) {
        this.pruned = now;
        pruneAgentsHere(this.db, now - PRUNE_AFTER_MS);
      }
      this.failing = false;
    } catch (err) {
      // The database is away for a moment: the next look tells what changed meanwhile.
      if (!this.failing) this.onError(err);
      this.failing = true;
    }
  }

  stop(): void {
    clearInterval(this.poll);
  }
}
