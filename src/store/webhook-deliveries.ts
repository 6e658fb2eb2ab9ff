// Outgoing webhook deliveries: written in the transaction of the change they tell of, claimed by
// the sender one per resource at a time (so a resource's events arrive in order), and kept with
// the answer of their last attempt for the admins' list.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";
import { auditAction } from "./audit.ts";
import { isPostgres } from "./postgres/connection.ts";

export interface NewDelivery {
  uid: string;
  webhookId: number;
  event: string;
  resource: string;
  payload: string;
  expiresAt: number;
}

export interface DeliveryRow {
  id: number;
  uid: string;
  webhook_id: number;
  event: string;
  resource: string;
  payload: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  due_at: number | null;
  expires_at: number;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
  duration_ms: number | null;
  last_attempt_at: number | null;
  delivered_at: number | null;
  created_at: number;
}

// One resource's deliveries to one endpoint form a chain: only its oldest pending one has a due
// time; the others wait (due_at NULL) and the next is made due when it finishes. So claiming is
// an index range on due times, however many deliveries wait behind a receiver that is down.
const CHAIN_PENDING = "SELECT id FROM webhook_deliveries WHERE webhook_id = ? AND resource = ? AND status = 'pending'";

export function insertDelivery(tx: Tx, d: NewDelivery): void {
  const behind = prepared(tx.db, `${CHAIN_PENDING} LIMIT 1`).get(d.webhookId, d.resource) !== null;
  prepared(tx.db, "INSERT INTO webhook_deliveries (uid, webhook_id, event, resource, payload, due_at, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    .run(d.uid, d.webhookId, d.event, d.resource, d.payload, behind ? null : tx.now, d.expiresAt, tx.now);
}

/** The chain's next delivery becomes due once the one before it is delivered or given up. */
function dueNext(tx: Tx, webhookId: number, resource: string): void {
  prepared(tx.db, `UPDATE webhook_deliveries SET due_at = ? WHERE id = (${CHAIN_PENDING} ORDER BY id LIMIT 1) AND due_at IS NULL`).run(tx.now, webhookId, resource);
}

const ACTIVE = "SELECT id FROM webhooks WHERE active = 1 ORDER BY id";
const DUE = "status = 'pending' AND due_at <= ?1 AND (lease_until IS NULL OR lease_until < ?1)";

/** A read first: an idle poll must not cost a write transaction. */
export function deliveryDue(db: Database, now: number): boolean {
  return prepared(db, `SELECT 1 FROM webhook_deliveries WHERE webhook_id IN (${ACTIVE}) AND ${DUE} LIMIT 1`).get(now) !== null;
}

const CLAIM = `UPDATE webhook_deliveries SET lease_until = ?2 WHERE id IN (SELECT id FROM webhook_deliveries WHERE webhook_id = ?3 AND ${DUE} ORDER BY due_at LIMIT ?4) RETURNING *`;

// PostgreSQL, where every instance runs a sender: two claims at the same instant would both pick
// the same due rows from their snapshots, and an UPDATE's recheck does not re-run the subquery, so
// both would lease them. FOR UPDATE SKIP LOCKED locks each row as it is picked: a row another claim
// holds is skipped, and one it leased and committed meanwhile is read again and fails the lease
// test. Order needs no lock of its own: only a chain's head is claimable, and it stays pending
// (so stays the head) until its outcome is written. Two instances writing a resource's events at
// once can each find the chain empty and make both due; the head test keeps the later one waiting.
const CLAIM_POSTGRES = `UPDATE webhook_deliveries SET lease_until = ?2 WHERE id IN (
  SELECT d.id FROM webhook_deliveries d WHERE d.webhook_id = ?3 AND ${DUE}
    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries h WHERE h.webhook_id = d.webhook_id AND h.resource = d.resource AND h.status = 'pending' AND h.id < d.id)
  ORDER BY d.due_at LIMIT ?4 FOR UPDATE OF d SKIP LOCKED) RETURNING *`;

/** Leases up to `limit` due deliveries, longest due first, shared between the active endpoints. */
export function claimDeliveries(tx: Tx, limit: number, leaseMs: number): DeliveryRow[] {
  const endpoints = prepared<{ id: number }, []>(tx.db, ACTIVE).all();
  const each = Math.max(1, Math.ceil(limit / Math.max(1, endpoints.length)));
  const claimed: DeliveryRow[] = [];
  const claim = prepared<DeliveryRow, [number, number, number, number]>(tx.db, isPostgres(tx.db) ? CLAIM_POSTGRES : CLAIM);
  for (const { id } of endpoints) {
    const room = Math.min(each, limit - claimed.length);
    if (room <= 0) break;
    claimed.push(...claim.all(tx.now, tx.now + leaseMs, id, room));
  }
  return claimed.sort((a, b) => a.id - b.id);
}

// PostgreSQL: a delivery written behind its chain's head while another instance was finishing
// that head (each transaction saw the other's rows as they were before it) is left with no due
// time and nothing ahead of it; such a head is made due here. The claim's head test keeps the
// order whatever is due, so a head made due twice, or a row made due that is not a head, is harmless.
const WAKE_STRANDED = `UPDATE webhook_deliveries SET due_at = ?1 WHERE status = 'pending' AND due_at IS NULL AND created_at >= ?2
  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries h WHERE h.webhook_id = webhook_deliveries.webhook_id AND h.resource = webhook_deliveries.resource AND h.status = 'pending' AND h.id < webhook_deliveries.id)`;

/** Makes due the chain heads left waiting that were written since `since`; how many (always 0 on SQLite, whose one writer leaves none). */
export function wakeStrandedHeads(tx: Tx, since: number): number {
  return isPostgres(tx.db) ? prepared(tx.db, WAKE_STRANDED).run(tx.now, since).changes : 0;
}

export interface AttemptOutcome {
  ok: boolean;
  status: number | null;
  body: string | null;
  error: string | null;
  durationMs: number;
  /** A failed attempt: when to try again, or null to give up. */
  retryAt: number | null;
}

/** One attempt's answer on the delivery and on its endpoint's health; the endpoint's new failure count. */
export function recordAttempt(tx: Tx, d: Pick<DeliveryRow, "id" | "webhook_id" | "resource">, o: AttemptOutcome): number {
  const status = o.ok ? "delivered" : o.retryAt === null ? "failed" : "pending";
  prepared(tx.db,
    `UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, due_at = ?, lease_until = NULL, response_status = ?, response_body = ?,
     error = ?, duration_ms = ?, last_attempt_at = ?, delivered_at = ? WHERE id = ?`,
  ).run(status, status === "pending" ? o.retryAt : null, o.status, o.body, o.error, o.durationMs, tx.now, o.ok ? tx.now : null, d.id);
  if (status !== "pending") dueNext(tx, d.webhook_id, d.resource);
  const w = o.ok
    ? prepared<{ n: number }, [number, number]>(tx.db,
        "UPDATE webhooks SET consecutive_failures = 0, failing_since = NULL, last_error = NULL, last_attempt_at = ?1, last_success_at = ?1 WHERE id = ?2 RETURNING consecutive_failures AS n").get(tx.now, d.webhook_id)
    : prepared<{ n: number }, [number, number, string]>(tx.db,
        "UPDATE webhooks SET consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, ?1), last_error = ?3, last_attempt_at = ?1 WHERE id = ?2 RETURNING consecutive_failures AS n").get(tx.now, d.webhook_id, o.error ?? `HTTP ${o.status}`);
  return w?.n ?? 0;
}

/** An admin sends a finished delivery again now, with a fresh retry window; false when it is still pending. */
export function redeliver(tx: Tx, webhookId: number, uid: string, windowMs: number, actorId: number): boolean {
  const d = prepared<{ resource: string }, [number, string]>(tx.db, "SELECT resource FROM webhook_deliveries WHERE webhook_id = ? AND uid = ? AND status != 'pending'").get(webhookId, uid);
  if (!d) return false;
  // Behind what its resource still has pending: it waits its turn like a new event.
  const behind = prepared(tx.db, `${CHAIN_PENDING} LIMIT 1`).get(webhookId, d.resource) !== null;
  const again = prepared(tx.db, "UPDATE webhook_deliveries SET status = 'pending', due_at = ?1, expires_at = ?2, lease_until = NULL WHERE webhook_id = ?3 AND uid = ?4 AND status != 'pending'")
    .run(behind ? null : tx.now, tx.now + windowMs, webhookId, uid).changes > 0;
  if (again) auditAction(tx, actorId, "webhook.redelivered", { type: "webhook", id: webhookId }, { delivery: uid });
  return again;
}

/** Newest first, `limit + 1` rows at most (the caller pages on the extra one). */
export function listDeliveries(db: Database, webhookId: number, beforeId: number | null, limit: number, status?: string): DeliveryRow[] {
  return db.query<DeliveryRow, [number, number, string | null, number]>(
    "SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND id < ? AND (?3 IS NULL OR status = ?3) ORDER BY id DESC LIMIT ?",
  ).all(webhookId, beforeId ?? Number.MAX_SAFE_INTEGER, status ?? null, limit + 1);
}

export function getDelivery(db: Database, webhookId: number, uid: string): DeliveryRow | null {
  return db.query<DeliveryRow, [number, string]>("SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND uid = ?").get(webhookId, uid);
}

/** Deliveries waiting, per endpoint (the metrics and the settings list). */
export function pendingByWebhook(db: Database): Map<number, number> {
  const rows = prepared<{ webhook_id: number; n: number }, []>(db, "SELECT webhook_id, count(*) AS n FROM webhook_deliveries WHERE status = 'pending' GROUP BY webhook_id").all();
  return new Map(rows.map((r) => [r.webhook_id, r.n]));
}

/** Finished deliveries older than `before`, a slice at a time so the writer is never held long. */
export function pruneDeliveries(tx: Tx, before: number, limit: number): number {
  return prepared(tx.db, "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries WHERE created_at < ? AND status != 'pending' ORDER BY id LIMIT ?)")
    .run(before, limit).changes;
}
