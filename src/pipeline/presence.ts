// Who is online: an agent with an open live (SSE) connection whose manual status is not away or
// offline. Routing assigns only to online agents; going offline starts the return-to-queue clock.
type Listener = (userId: number, online: boolean) => void;

export class Presence {
  private connections = new Map<number, number>();
  private offlineSince = new Map<number, number>();
  private listeners = new Set<Listener>();

  constructor(private now: () => number = Date.now) {}

  /** Call when a live connection opens; call the returned function when it closes. */
  connect(userId: number): () => void {
    const n = (this.connections.get(userId) ?? 0) + 1;
    this.connections.set(userId, n);
    this.offlineSince.delete(userId);
    if (n === 1) this.notify(userId, true);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.connections.get(userId) ?? 1) - 1;
      if (left > 0) return void this.connections.set(userId, left);
      this.connections.delete(userId);
      this.offlineSince.set(userId, this.now());
      this.notify(userId, false);
    };
  }

  isConnected(userId: number): boolean {
    return (this.connections.get(userId) ?? 0) > 0;
  }

  connectedUsers(): number[] {
    return [...this.connections.keys()];
  }

  /** When the agent's last connection closed (null if connected or never seen). */
  offlineSinceOf(userId: number): number | null {
    return this.offlineSince.get(userId) ?? null;
  }

  onChange(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private notify(userId: number, online: boolean) {
    for (const fn of this.listeners) fn(userId, online);
  }
}
