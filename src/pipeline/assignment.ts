// Automatic assignment, after commit. A team's queue is worked whenever it may have changed: a
// conversation waits in it (triage and rules), someone frees up (resolve, reassign), someone comes
// online. A periodic sweep returns the waiting work of agents gone longer than their team allows,
// and catches anything the events missed (a manual status change, a capacity edit).
import type { Store } from "../store/db.ts";
import type { Writer } from "../store/writer.ts";
import type { EventBus } from "./events.ts";
import type { Presence } from "./presence.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { overdueOffline } from "../domain/assignment.ts";
import { availabilityOf } from "../store/agent-availability.ts";
import { placementOf } from "../store/conversation-automation.ts";
import { assignTeamQueue, hasWaitingAssigned, returnWaiting, teamIdsOf, teamsWithMembers } from "../store/assignment.ts";
import { memberIds } from "../store/teams.ts";

interface Deps {
  store: Store;
  writer: Writer;
  events: EventBus;
  presence: Presence;
  log: Logger;
  metrics: Metrics;
  now?: () => number;
}

export interface Assigner {
  /** These teams' queues may have grown or found room: work them soon. */
  touch(teamIds: number[]): void;
  /** One sweep now: return overdue agents' waiting work, then work every queue. */
  sweep(): Promise<void>;
  /** Sweeps every `ms` until the returned function is called: once across instances (the leader's). */
  sweepEvery(ms: number): () => void;
  idle(): Promise<void>;
  stop(): void;
}

export function startAssignment(d: Deps): Assigner {
  const db = d.store.sqlite;
  const now = d.now ?? Date.now;
  const startedAt = now();
  const dirty = new Set<number>();
  let scheduled = false;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const connected = (userId: number) => d.presence.isConnected(userId) && isAvailable(userId);
  const isAvailable = (userId: number) => availabilityOf(db, userId) === "online";
  /** Manual away/offline has no timestamp in the table: the clock starts when Pano first notices. */
  const awaySince = new Map<number, number>();

  const touch = (teamIds: number[]) => {
    for (const t of teamIds) dirty.add(t);
    if (scheduled || stopped || !dirty.size) return;
    scheduled = true;
    setTimeout(work, 1);
  };

  function work() {
    scheduled = false;
    const teams = [...dirty];
    dirty.clear();
    running = running.then(async () => {
      try {
        const assigned = await d.writer.submit((tx) => teams.reduce((n, t) => n + assignTeamQueue(tx, t, connected), 0));
        if (assigned) d.metrics.inc("pano_assignments_total", "Conversations assigned automatically", {}, assigned);
      } catch (err) {
        d.log("error", "assignment failed", { teams, error: String((err as Error)?.message ?? err) });
      }
    });
  }

  const offEvents = d.events.on("conversation.updated", (e) => {
    if (!e.changes.some((c) => c === "status" || c === "assignee_id" || c === "team_id")) return;
    // Pano's own assignments and routing already told the queue; only people free anyone up.
    if (e.actorId == null && !e.changes.includes("status")) return;
    const conv = placementOf(db, e.conversationId);
    if (!conv) return;
    const teams = conv.assignee_id !== null ? teamIdsOf(db, conv.assignee_id) : [];
    if (conv.team_id !== null) teams.push(conv.team_id);
    touch(teams);
  });
  const offOpened = d.events.on("conversation.opened", (e) => {
    if (!e.reopened) return;
    const team = placementOf(db, e.conversationId)?.team_id;
    if (team != null) touch([team]);
  });
  const offPresence = d.presence.onChange((userId, online) => {
    if (online) touch(teamIdsOf(db, userId));
  });

  async function sweep() {
    const t = now();
    for (const team of teamsWithMembers(db)) {
      const gone = new Map<number, number>();
      for (const userId of memberIds(db, team.id)) {
        if (connected(userId)) {
          awaySince.delete(userId);
          continue;
        }
        if (isAvailable(userId)) awaySince.delete(userId);
        else if (!awaySince.has(userId)) awaySince.set(userId, t);
        const disconnected = d.presence.offlineSinceOf(userId) ?? startedAt;
        gone.set(userId, Math.max(disconnected, awaySince.get(userId) ?? disconnected));
      }
      const overdue = overdueOffline(gone, team.offline_return_minutes, t).filter((u) => hasWaitingAssigned(db, team.id, u));
      if (overdue.length) {
        const returned = await d.writer.submit((tx) => overdue.reduce((n, u) => n + returnWaiting(tx, team.id, u), 0));
        if (returned) d.log("info", "returned waiting conversations of offline agents to the team queue", { team_id: team.id, agents: overdue, conversations: returned });
      }
      dirty.add(team.id);
    }
    touch([]);
    if (dirty.size) work();
    await running;
  }

  const timers = new Set<ReturnType<typeof setInterval>>();
  return {
    touch,
    sweep,
    sweepEvery(ms) {
      const timer = setInterval(() => void sweep().catch((err) => d.log("error", "assignment sweep failed", { error: String(err) })), ms);
      timers.add(timer);
      return () => {
        clearInterval(timer);
        timers.delete(timer);
      };
    },
    async idle() {
      while (scheduled) await Bun.sleep(2);
      await running;
    },
    stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      offEvents();
      offOpened();
      offPresence();
    },
  };
}
