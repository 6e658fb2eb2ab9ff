// Who is online, for instances behind one load balancer (PostgreSQL): an agent's live connection
// is open on one instance, but assignment runs on the leader and the dashboard on any, so each
// instance writes its agents' connections to the database (store/live-connections.ts) and renews
// them while it runs; an instance that dies stops renewing, and its agents count as gone after
// CONNECTION_TTL_MS. Listeners here hear this instance's own changes (an agent's last connection
// closing counts only if they have none open elsewhere); the leader's assignment sweep picks up
// agents who came online on another instance.
import type { Database } from "bun:sqlite";
import type { Store } from "../store/db.ts";
import type { Logger } from "../log.ts";
import { Presence } from "./presence.ts";
import { connectedAnywhere, dropConnections, isConnectedAnywhere, markOfflineUnlessConnected, offlineSince, renewConnections, setConnections } from "../store/live-connections.ts";

export const CONNECTION_TTL_MS = 30_000;
const RENEW_MS = CONNECTION_TTL_MS / 3;

export class SharedPresence extends Presence {
  readonly instance = crypto.randomUUID();
  private renewal: ReturnType<typeof setInterval>;

  constructor(private db: Database, now: () => number = Date.now, private onError: (err: unknown) => void = () => {}) {
    super(now);
    this.renewal = setInterval(() => this.renew(), RENEW_MS);
    (this.renewal as { unref?: () => void }).unref?.();
  }

  protected override counted(userId: number, connections: number): void {
    this.write(() => setConnections(this.db, this.instance, userId, connections, this.now() + CONNECTION_TTL_MS));
  }

  /** Still connected through another instance: not offline. */
  protected override wentOffline(userId: number, at: number): boolean {
    return this.read(() => markOfflineUnlessConnected(this.db, userId, at), true);
  }

  override isConnected(userId: number): boolean {
    return super.isConnected(userId) || this.read(() => isConnectedAnywhere(this.db, userId, this.now()), false);
  }

  override connectedUsers(): number[] {
    return [...new Set([...super.connectedUsers(), ...this.read(() => connectedAnywhere(this.db, this.now()), [] as number[])])];
  }

  override offlineSinceOf(userId: number): number | null {
    if (this.isConnected(userId)) return null;
    return this.read(() => offlineSince(this.db, userId), null) ?? super.offlineSinceOf(userId);
  }

  /** Gone: this instance's connections end for the others at once. */
  override stop(): void {
    clearInterval(this.renewal);
    this.write(() => dropConnections(this.db, this.instance, this.now() - CONNECTION_TTL_MS));
  }

  private renew(): void {
    this.write(() => {
      const until = this.now() + CONNECTION_TTL_MS;
      // Every row of this instance's, once more in full when one went missing (pruned while the database was away).
      if (renewConnections(this.db, this.instance, until) < this.connections.size) {
        for (const [userId, n] of this.connections) setConnections(this.db, this.instance, userId, n, until);
      }
      // Rows of instances that died without saying so.
      dropConnections(this.db, null, this.now() - CONNECTION_TTL_MS);
    });
  }

  // The database away for a moment must not break a live stream: this instance's own count stands.
  private write(fn: () => void): void {
    this.read(fn, undefined);
  }
  private read<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (err) {
      this.onError(err);
      return fallback;
    }
  }
}

/** In memory on SQLite (one instance); through the database on PostgreSQL. */
export function presenceFor(store: Store, log: Logger): Presence {
  if (store.kind !== "postgres") return new Presence();
  return new SharedPresence(store.sqlite, Date.now, (err) => log("warn", "presence: the database did not answer", { error: String(err) }));
}
