// The live notices every Pano instance on one PostgreSQL database shares (migrations/postgres/
// 0300_live.sql, pipeline/live-feed.ts): written in the group commit's transaction, read after the
// last id an instance has seen, pruned to a short history. PostgreSQL only.
import type { Database } from "bun:sqlite";
import type postgres from "postgres";
import type { Holder, Told } from "../pipeline/live-notice.ts";
import type { PostgresDatabase } from "./postgres/connection.ts";

const pg = (db: Database) => db as unknown as PostgresDatabase;

/** NOTIFY channels: a committed batch of notices (payload: its last id), a customer typing. */
export const NOTICES_CHANNEL = "pano_live";
export const TYPING_CHANNEL = "pano_live_typing";

// pg_advisory_xact_lock(int4, int4): "pano" (the instance-wide locks' space), "live".
const NOTICE_TURN = "1885433455, 1818850917";
/**
 * How long a batch waits for its turn. A turn normally lasts one COMMIT; a holder cut off from the
 * database mid-commit holds it until PostgreSQL notices, and every instance's writes would wait
 * with it. Past this the batch commits without its notices (the hook fails alone, logged).
 */
const TURN_WAIT_MS = 5000;

/**
 * Adds the notices of one batch, inside the writer's transaction, and wakes every instance once it
 * commits (NOTIFY is delivered at COMMIT, and not at all after a rollback). The lock is held to the
 * commit: the next transaction's ids come after this one is visible, so a reader that has seen id N
 * has seen every id below N that will ever be committed. Answers the last id. The lock wait's limit
 * is set for the rest of the transaction, which is only its COMMIT (the hook runs last).
 */
export function recordNotices(db: Database, notices: Told[]): number {
  // One text parameter (JSON) for the whole batch: one statement, whatever its size.
  const rows = pg(db).native<{ last: number }>(
    `WITH patience AS MATERIALIZED (SELECT set_config('lock_timeout', '${TURN_WAIT_MS}', true)),
     turn AS MATERIALIZED (SELECT pg_advisory_xact_lock(${NOTICE_TURN}) FROM patience),
     added AS (
       INSERT INTO live_notices (data, event, conversation_id, everyone, contact_id, staff, to_user)
       SELECT n.data, n.event, n.conversation_id, coalesce(n.everyone, false), n.contact_id, coalesce(n.staff, false), n.to_user
       FROM turn, ROWS FROM (json_to_recordset($1::text::json) AS (data text, event text, conversation_id bigint, everyone boolean, contact_id bigint, staff boolean, to_user bigint)) WITH ORDINALITY AS n
       ORDER BY n.ordinality
       RETURNING id)
     SELECT last, pg_notify('${NOTICES_CHANNEL}', last::text) FROM (SELECT max(id) AS last FROM added) a`,
    [JSON.stringify(notices.map((n) => ({ data: n.data, event: n.event, conversation_id: n.conversationId, everyone: n.everyone, contact_id: n.contactId, staff: n.staff, to_user: n.to })))],
  );
  return Number(rows[0]?.last ?? 0);
}

export interface StoredNotice {
  id: number;
  data: string;
  event: string | null;
  staff: boolean;
  to: number | null;
  contactId: number | null;
  /** Set for a notice about a conversation, unless it goes to everyone: its holder now, or null when it is gone. */
  holder?: Holder | null;
}

interface NoticeRow {
  id: number;
  data: string;
  event: string | null;
  everyone: number;
  contact_id: number | null;
  staff: number;
  to_user: number | null;
  conversation_id: number | null;
  held: number | null;
  assignee_id: number | null;
  team_id: number | null;
}

const stored = (r: NoticeRow): StoredNotice => ({
  id: r.id,
  data: r.data,
  event: r.event,
  staff: !!r.staff,
  to: r.to_user,
  contactId: r.contact_id,
  holder: r.conversation_id === null || r.everyone ? undefined : r.held === null ? null : { assigneeId: r.assignee_id, teamId: r.team_id },
});

/** Notices after `afterId` up to `throughId`, in order, with their conversation's holder as it is now. */
export function noticesBetween(db: Database, afterId: number, throughId: number, limit: number): StoredNotice[] {
  return pg(db)
    .native<NoticeRow>(
      `SELECT n.id, n.data, n.event, n.everyone, n.contact_id, n.staff, n.to_user, n.conversation_id, c.id AS held, c.assignee_id, c.team_id
       FROM live_notices n LEFT JOIN conversations c ON c.id = n.conversation_id
       WHERE n.id > $1 AND n.id <= $2 ORDER BY n.id LIMIT $3`,
      [afterId, throughId, limit],
    )
    .map(stored);
}

/** The calls that rang or stopped ringing after `afterId` up to `throughId`: all an instance with no stream open keeps up with. */
export function callNoticesBetween(db: Database, afterId: number, throughId: number): { data: string; contactId: number }[] {
  return pg(db)
    .native<{ data: string; contact_id: number }>(
      `SELECT data, contact_id FROM live_notices WHERE id > $1 AND id <= $2 AND data LIKE '{"t":"call"%' AND contact_id IS NOT NULL ORDER BY id`,
      [afterId, throughId],
    )
    .map((r) => ({ data: r.data, contactId: r.contact_id }));
}

/** Where notices of the last `ms` start: the id before the first of them (or `otherwise` when none is that recent). */
export function noticesSince(db: Database, ms: number, otherwise: number): number {
  const r = pg(db).native<{ id: number | null }>("SELECT min(id) - 1 AS id FROM live_notices WHERE created_at > clock_timestamp() - make_interval(secs => $1::float8)", [ms / 1000]);
  return r[0]?.id === null || r[0]?.id === undefined ? otherwise : Number(r[0].id);
}

/** The newest notice's id (0 before any): every id up to it that will ever be committed is. */
export function lastNoticeId(db: Database): number {
  return Number(pg(db).native<{ id: number | null }>("SELECT max(id) AS id FROM live_notices")[0]?.id ?? 0);
}

/** Whether every notice after `afterId` is still kept (none has been pruned). */
export function keptSince(db: Database, afterId: number): boolean {
  const first = pg(db).native<{ id: number | null }>("SELECT min(id) AS id FROM live_notices")[0]?.id;
  return first !== null && first !== undefined && Number(first) <= afterId + 1;
}

/**
 * Forgets notices beyond the newest `keep` and older than `maxAgeMs`, never the newest one (whose
 * id is where a new instance starts reading). On the instance's own asynchronous session: a
 * delete of a peak's thousands of rows does not hold up the event loop. Answers how many went.
 */
export async function pruneNotices(sql: postgres.Sql, keep: number, maxAgeMs: number): Promise<number> {
  const r = await sql`
    WITH top AS (SELECT max(id) AS id FROM live_notices)
    DELETE FROM live_notices WHERE id < (SELECT id FROM top)
      AND (id <= (SELECT id FROM top) - ${keep}::bigint OR created_at < clock_timestamp() - make_interval(secs => ${maxAgeMs / 1000}::float8))`;
  return r.count;
}

/** Starts hearing both channels on the listening session. */
export async function listenForNotices(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(`LISTEN ${NOTICES_CHANNEL}`);
  await sql.unsafe(`LISTEN ${TYPING_CHANNEL}`);
}

/** Tells every instance a customer is typing (a passing signal: nothing is kept). */
export async function notifyTyping(sql: postgres.Sql, payload: string): Promise<void> {
  await sql`SELECT pg_notify(${TYPING_CHANNEL}, ${payload})`;
}

/** Whether the listening session still answers. */
export async function sessionAnswers(sql: postgres.Sql): Promise<void> {
  await sql`SELECT 1`;
}
