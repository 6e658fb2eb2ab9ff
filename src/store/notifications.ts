// Each person's notifications and their choice of how to be told. What a notification is about
// is checked again whenever it is read: one about a conversation the reader can no longer see is
// left out (the same scopeSql the inbox uses), so nothing reveals a conversation after the fact.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import type { Viewer } from "../domain/conversation.ts";
import { scopeSql } from "./conversations.ts";
import { defaultPrefs, DELIVERY_WAYS, isNotificationKind, kindsFor, type NotificationData, type NotificationKind, type NotificationPrefs } from "../domain/notification.ts";

export interface NotificationRow {
  id: number;
  user_id: number;
  kind: NotificationKind;
  conversation_id: number | null;
  message_id: number | null;
  channel_id: number | null;
  actor_id: number | null;
  data: string;
  created_at: number;
  read_at: number | null;
}

export interface NewNotification {
  userId: number;
  kind: NotificationKind;
  conversationId?: number | null;
  messageId?: number | null;
  channelId?: number | null;
  actorId?: number | null;
  data: NotificationData;
  /**
   * One row per person and key: a second notification with the same key refreshes the first
   * (unread again, newest time) instead of adding one (a chatty customer's messages, an SLA level).
   */
  dedupe?: string | null;
}

/** Writes (or refreshes) a notification; returns its row. */
export function addNotification(tx: Tx, n: NewNotification): NotificationRow {
  return tx.db
    .query<NotificationRow, any[]>(
      `INSERT INTO notifications (user_id, kind, conversation_id, message_id, channel_id, actor_id, data, dedupe, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, dedupe) DO UPDATE SET message_id = excluded.message_id, actor_id = excluded.actor_id, data = excluded.data, created_at = excluded.created_at, read_at = NULL
       RETURNING *`,
    )
    .get(n.userId, n.kind, n.conversationId ?? null, n.messageId ?? null, n.channelId ?? null, n.actorId ?? null, JSON.stringify(n.data), n.dedupe ?? null, tx.now)!;
}

/** An unread notification under this key, if any (to count a customer's messages since the agent last looked). */
export function unreadByKey(db: Database, userId: number, dedupe: string): NotificationRow | null {
  return db.query<NotificationRow, [number, string]>("SELECT * FROM notifications WHERE user_id = ? AND dedupe = ? AND read_at IS NULL").get(userId, dedupe);
}

export function notificationKeyUsed(db: Database, userId: number, dedupe: string): boolean {
  return !!db.query("SELECT 1 FROM notifications WHERE user_id = ? AND dedupe = ?").get(userId, dedupe);
}

/** What this viewer may be shown: their own rows, about a conversation they see now, of a kind their role receives. */
function shownTo(viewer: Viewer): { sql: string; args: (number | string)[] } {
  const scope = scopeSql(viewer, "c");
  const kinds = kindsFor(viewer.role);
  return {
    sql: `n.user_id = ? AND n.kind IN (${kinds.map(() => "?").join(",")}) AND (n.conversation_id IS NULL OR EXISTS (SELECT 1 FROM conversations c WHERE c.id = n.conversation_id AND ${scope.sql}))`,
    args: [viewer.userId, ...kinds, ...scope.args],
  };
}

/** Newest first; `before` pages on (a created_at, id pair from the previous page's last row). */
export function listNotifications(db: Database, viewer: Viewer, limit: number, before?: { at: number; id: number } | null, unreadOnly = false): NotificationRow[] {
  const w = shownTo(viewer);
  const args: (number | string)[] = [...w.args];
  let sql = `SELECT n.* FROM notifications n WHERE ${w.sql}`;
  if (unreadOnly) sql += " AND n.read_at IS NULL";
  if (before) {
    sql += " AND (n.created_at, n.id) < (?, ?)";
    args.push(before.at, before.id);
  }
  return db.query<NotificationRow, any[]>(`${sql} ORDER BY n.created_at DESC, n.id DESC LIMIT ?`).all(...args, limit);
}

export function unreadCount(db: Database, viewer: Viewer): number {
  const w = shownTo(viewer);
  return db.query<{ n: number }, any[]>(`SELECT count(*) AS n FROM notifications n WHERE ${w.sql} AND n.read_at IS NULL`).get(...w.args)!.n;
}

/** One notification if this viewer may be shown it now. */
export function visibleNotification(db: Database, viewer: Viewer, id: number): NotificationRow | null {
  const w = shownTo(viewer);
  return db.query<NotificationRow, any[]>(`SELECT n.* FROM notifications n WHERE n.id = ? AND ${w.sql}`).get(id, ...w.args);
}

export function markNotificationRead(tx: Tx, userId: number, id: number): boolean {
  return tx.db.query("UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL").run(tx.now, id, userId).changes > 0;
}

export function markAllNotificationsRead(tx: Tx, userId: number): number {
  return tx.db.query("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL").run(tx.now, userId).changes;
}

/** Opening a conversation reads what it told this person (its messages, its mentions). */
export function markConversationNotificationsRead(tx: Tx, userId: number, conversationId: number): number {
  return tx.db.query("UPDATE notifications SET read_at = ? WHERE user_id = ? AND conversation_id = ? AND read_at IS NULL").run(tx.now, userId, conversationId).changes;
}

/** Read notifications older than `before` go (the bell keeps what is unread however old). */
export function pruneReadNotifications(tx: Tx, before: number): number {
  return tx.db.query("DELETE FROM notifications WHERE read_at IS NOT NULL AND created_at < ?").run(before).changes;
}

/** A person's choices over the defaults (everything on). */
export function notificationPrefs(db: Database, userId: number): NotificationPrefs {
  const prefs = defaultPrefs();
  for (const r of db.query<{ kind: string; in_app: number; browser: number; push: number }, [number]>("SELECT kind, in_app, browser, push FROM notification_prefs WHERE user_id = ?").all(userId)) {
    if (isNotificationKind(r.kind)) prefs[r.kind] = { in_app: !!r.in_app, browser: !!r.browser, push: !!r.push };
  }
  return prefs;
}

export function saveNotificationPrefs(tx: Tx, userId: number, prefs: NotificationPrefs): void {
  const upsert = tx.db.query(
    "INSERT INTO notification_prefs (user_id, kind, in_app, browser, push) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, kind) DO UPDATE SET in_app = excluded.in_app, browser = excluded.browser, push = excluded.push",
  );
  for (const [kind, ways] of Object.entries(prefs)) upsert.run(userId, kind, ...DELIVERY_WAYS.map((w) => (ways[w] ? 1 : 0)));
}

export interface SlaWatchedRow {
  id: number;
  contact_id: number;
  assignee_id: number;
  team_id: number | null;
  priority: string;
  status: string;
  created_at: number;
  first_response_at: number | null;
  waiting_since: number | null;
  resolved_at: number | null;
  last_preview: string;
}

/** Conversations someone holds that are still being worked (the SLA timer's rounds). */
export function slaWatchedConversations(db: Database): SlaWatchedRow[] {
  return db
    .query<SlaWatchedRow, []>(
      "SELECT id, contact_id, assignee_id, team_id, priority, status, created_at, first_response_at, waiting_since, resolved_at, last_preview FROM conversations WHERE status IN ('open', 'pending') AND assignee_id IS NOT NULL",
    )
    .all();
}
