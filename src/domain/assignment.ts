// Assignment strategies, pure. Given the team's waiting queue (urgent first, longest waiting
// next) and the agents who may take work now, decide who gets what.
//
// Who may take work ("eligible"): a member of the team, not disabled, whose manual status
// (users.availability) is "online" AND who has a live connection to Pano (an open SSE stream,
// presence.isConnected) AND who holds fewer open conversations than their capacity.
// An agent who closed the browser, or set themselves away/offline, gets nothing.

export type Strategy = "round_robin" | "least_open" | "manual";

export interface AgentLoad {
  userId: number;
  open: number;
  capacity: number;
}

export interface Assignment {
  conversationId: number;
  userId: number;
}

/** Agents in rotation order (by id), starting after the one who got the last conversation. */
function rotation(agents: AgentLoad[], lastAssigned: number | null): AgentLoad[] {
  const sorted = [...agents].sort((a, b) => a.userId - b.userId);
  if (lastAssigned === null) return sorted;
  const i = sorted.findIndex((a) => a.userId > lastAssigned);
  return i <= 0 ? sorted : [...sorted.slice(i), ...sorted.slice(0, i)];
}

/** The next agent for one conversation, or null when everyone is full (it waits in the queue). */
export function pickAgent(strategy: Strategy, agents: AgentLoad[], lastAssigned: number | null): number | null {
  if (strategy === "manual") return null;
  const free = rotation(agents, lastAssigned).filter((a) => a.open < a.capacity);
  if (!free.length) return null;
  if (strategy === "round_robin") return free[0].userId;
  // least_open: fewest open conversations; ties go round the rotation so equals share evenly.
  let best = free[0];
  for (const a of free) if (a.open < best.open) best = a;
  return best.userId;
}

/** Assigns as much of the queue as capacity allows, in queue order. */
export function planAssignments(strategy: Strategy, queue: number[], agents: AgentLoad[], lastAssigned: number | null): { assignments: Assignment[]; lastAssigned: number | null } {
  const loads = agents.map((a) => ({ ...a }));
  const assignments: Assignment[] = [];
  let last = lastAssigned;
  for (const conversationId of queue) {
    const userId = pickAgent(strategy, loads, last);
    if (userId === null) break;
    loads.find((a) => a.userId === userId)!.open++;
    assignments.push({ conversationId, userId });
    last = userId;
  }
  return { assignments, lastAssigned: last };
}

/** Agents whose last connection closed more than `minutes` ago: their waiting work goes back. */
export function overdueOffline(offlineSince: Map<number, number>, minutes: number, now: number): number[] {
  const cutoff = now - minutes * 60_000;
  return [...offlineSince].filter(([, since]) => since <= cutoff).map(([userId]) => userId);
}
