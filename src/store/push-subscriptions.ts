// Web Push subscriptions, one per device (browser profile) a person turned push on in. The
// endpoint is the push service's URL for that device; p256dh and auth are its keys (RFC 8291).
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";

export interface PushSubscriptionRow {
  id: number;
  user_id: number;
  endpoint: string;
  p256dh: string;
  auth: string;
  device: string | null;
  created_at: number;
  last_sent_at: number | null;
  last_error: string | null;
}

/** Devices kept per person: each of their notifications is one request per device. */
const MOST_DEVICES = 20;

/** A device subscribes (again): an endpoint belongs to the last person who signed in on it; past MOST_DEVICES their oldest goes. */
export function saveSubscription(tx: Tx, userId: number, s: { endpoint: string; p256dh: string; auth: string; device: string | null }): PushSubscriptionRow {
  const row = tx.db
    .query<PushSubscriptionRow, any[]>(
      `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, device, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth, device = excluded.device, last_error = NULL
       RETURNING *`,
    )
    .get(userId, s.endpoint, s.p256dh, s.auth, s.device, tx.now)!;
  tx.db.query("DELETE FROM push_subscriptions WHERE user_id = ? AND id NOT IN (SELECT id FROM push_subscriptions WHERE user_id = ? ORDER BY id DESC LIMIT ?)").run(userId, userId, MOST_DEVICES);
  return row;
}

export function subscriptionsOf(db: Database, userId: number): PushSubscriptionRow[] {
  return db.query<PushSubscriptionRow, [number]>("SELECT * FROM push_subscriptions WHERE user_id = ? ORDER BY id").all(userId);
}

export function removeSubscription(tx: Tx, userId: number, by: { id?: number; endpoint?: string }): boolean {
  const r = by.id !== undefined
    ? tx.db.query("DELETE FROM push_subscriptions WHERE id = ? AND user_id = ?").run(by.id, userId)
    : tx.db.query("DELETE FROM push_subscriptions WHERE endpoint = ? AND user_id = ?").run(by.endpoint ?? "", userId);
  return r.changes > 0;
}

/** The push service said the subscription is gone (404/410): it never comes back. */
export function pruneSubscription(tx: Tx, id: number): void {
  tx.db.query("DELETE FROM push_subscriptions WHERE id = ?").run(id);
}

export function recordPushOutcome(tx: Tx, id: number, error: string | null): void {
  if (error === null) tx.db.query("UPDATE push_subscriptions SET last_sent_at = ?, last_error = NULL WHERE id = ?").run(tx.now, id);
  else tx.db.query("UPDATE push_subscriptions SET last_error = ? WHERE id = ?").run(error.slice(0, 300), id);
}
