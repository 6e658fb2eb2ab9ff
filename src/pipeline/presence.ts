// Who is online: an agent with an open live (SSE) connection whose manual status is not away or
// offline. Routing assigns only to online agents; going offline starts the return-to-queue clock.
type Listener = (userId: number, online: boolean) => void;

export class Presence {
  protected connections = new Map<number, number>();
  protected offlineSince = new Map<number, number>();
  private listeners = new Set<Listener>();

  constructor(protected now: () => number = Date.now) {}

  /** Call when a live connection opens; call the returned function when it closes. */
  connect(userId: number): () => void {
    const n = (this.connections.get(userId) ?? 0) + 1;
    this.connections.set(userId, n);
    this.offlineSince.delete(userId);
    this.counted(userId, n);
    if (n === 1) this.notify(userId, true);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.connections.get(userId) ?? 1) - 1;
      if (left > 0) this.connections.set(userId, left);
      else this.connections.delete(userId);
      this.counted(userId, left);
      if (left > 0) return;
      const now = this.now();
      this.offlineSince.set(userId, now);
      if (this.wentOffline(userId, now)) this.notify(userId, false);
    };
  }

  /** The agent now has `connections` live connections here (instances sharing presence write it down). */
  protected counted(_userId: number, _connections: number): void {}

  /** Their last connection here closed at `at`: whether that makes them offline (not when one is open elsewhere). */
  protected wentOffline(_userId: number, _at: number): boolean {
    return true;
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

  /** Nothing to let go of in memory (instances sharing presence through PostgreSQL have: presence-shared.ts). */
  stop(): void {}

  onChange(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  protected notify(userId: number, online: boolean) {
    for (const fn of this.listeners) fn(userId, online);
  }
}
