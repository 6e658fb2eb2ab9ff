// Reading and changing conversations. Visibility (who may see what) is applied in SQL so lists
// and counts never include what the viewer may not see.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";
import type { Viewer } from "../domain/conversation.ts";
import { PRIORITY_RANK, type Priority, normaliseLabel } from "../domain/conversation.ts";
import { foldVietnamese } from "../domain/contact.ts";
import { parseQuery, matchExpression } from "../domain/search.ts";
import { isPostgres } from "./postgres/connection.ts";
import { tsqueryText, fewMatches, AMONG_IDS_SQL, TSQUERY_SQL } from "./search-postgres.ts";

export interface ConversationRow {
  id: number;
  channel_id: number;
  contact_id: number;
  status: string;
  assignee_id: number | null;
  team_id: number | null;
  priority: Priority;
  priority_rank: number;
  intent: string | null;
  urgent: number;
  labels: string;
  subject: string | null;
  snoozed_until: number | null;
  last_message_at: number;
  last_inbound_at: number | null;
  waiting_since: number | null;
  last_preview: string;
  unread_count: number;
  message_count: number;
  first_response_at: number | null;
  resolved_at: number | null;
  created_at: number;
  updated_at: number;
  /** JSON [{tag, confidence}]: the shop's own categories suggested on its customer messages. */
  categories?: string;
}

export interface ConversationFilter {
  status?: string; // open|pending|snoozed|resolved|all
  assigneeId?: number | "none";
  teamId?: number;
  channelId?: number;
  label?: string;
  intent?: string;
  priority?: string;
  q?: string;
  /** "queue": urgent first, then longest waiting (the inbox); "recent": newest activity first (the API). */
  order?: "queue" | "recent";
}

export function scopeSql(viewer: Viewer, alias = "c"): { sql: string; args: number[] } {
  if (viewer.role !== "agent") return { sql: "1", args: [] };
  const teams = viewer.teamIds;
  const guestOf = viewer.guestOf ?? [];
  const list = (ids: number[]) => ids.map(() => "?").join(",");
  return {
    sql: `(${alias}.assignee_id = ?${teams.length ? ` OR ${alias}.team_id IN (${list(teams)})` : ""}${guestOf.length ? ` OR ${alias}.id IN (${list(guestOf)})` : ""})`,
    args: [viewer.userId, ...teams, ...guestOf],
  };
}

type Cursor = { k: number; id: number };
export const encodeCursor = (c: Cursor) => Buffer.from(`${c.k}:${c.id}`).toString("base64url");
export function decodeCursor(s: string | undefined | null): Cursor | null {
  if (!s) return null;
  const [k, id] = Buffer.from(s, "base64url").toString().split(":").map(Number);
  return Number.isFinite(k) && Number.isFinite(id) ? { k, id } : null;
}

/**
 * The queue's order: urgent first; within a priority, customers still waiting for an answer, the
 * longest wait first; then the answered ones by their last message. One number, so the cursor
 * and the live list (which slots rows by it) agree with the SQL. Timestamps stay below 5e13.
 */
export const QUEUE_KEY_SQL = "(c.priority_rank * 100000000000000 + (c.waiting_since IS NULL) * 50000000000000 + coalesce(c.waiting_since, c.last_message_at))";
export const queueKey = (r: { priority_rank: number; waiting_since: number | null; last_message_at: number }) =>
  r.priority_rank * 1e14 + (r.waiting_since === null ? 5e13 : 0) + (r.waiting_since ?? r.last_message_at);

/** How many of the newest matching messages the inbox's search box looks at (the search page has no cap). */
const MESSAGE_MATCH_CAP = 2000;

export function listConversations(db: Database, viewer: Viewer, f: ConversationFilter, limit: number, cursor: string | null) {
  const where: string[] = [];
  const args: (string | number)[] = [];
  const scope = scopeSql(viewer);
  where.push(scope.sql);
  args.push(...scope.args);
  if (f.status && f.status !== "all") { where.push("c.status = ?"); args.push(f.status); }
  if (f.assigneeId === "none") where.push("c.assignee_id IS NULL");
  else if (f.assigneeId !== undefined) { where.push("c.assignee_id = ?"); args.push(f.assigneeId); }
  if (f.teamId !== undefined) { where.push("c.team_id = ?"); args.push(f.teamId); }
  if (f.channelId !== undefined) { where.push("c.channel_id = ?"); args.push(f.channelId); }
  if (f.intent) { where.push("c.intent = ?"); args.push(f.intent); }
  if (f.priority) { where.push("c.priority = ?"); args.push(f.priority); }
  if (f.label) { where.push("EXISTS (SELECT 1 FROM json_each(c.labels) WHERE value = ?)"); args.push(normaliseLabel(f.label)); }
  if (f.q) {
    const q = `%${foldVietnamese(f.q).replace(/[%_]/g, "")}%`;
    const words = parseQuery(f.q);
    // Every message's text through the full-text index (folded like the contact column); the
    // newest matches bound the work so a common word still answers as fast as the queue.
    const postgres = isPostgres(db);
    const match = !words.ok ? null : postgres ? tsqueryText(words.terms) : matchExpression(words.terms);
    // PostgreSQL: the ids themselves when fewer match than the cap (search-postgres.ts fewMatches).
    const few = match !== null && postgres ? fewMatches(db, match, MESSAGE_MATCH_CAP) : null;
    const matching = match === null ? null : few ? AMONG_IDS_SQL : postgres
      ? `IN (SELECT message_id FROM message_search WHERE words @@ ${TSQUERY_SQL} ORDER BY message_id DESC LIMIT ${MESSAGE_MATCH_CAP})`
      : `IN (SELECT rowid FROM message_search WHERE message_search MATCH ? ORDER BY rowid DESC LIMIT ${MESSAGE_MATCH_CAP})`;
    const inMessages = matching ? ` OR c.id IN (SELECT m.conversation_id FROM messages m WHERE m.id ${matching})` : "";
    where.push(`(EXISTS (SELECT 1 FROM contacts k WHERE k.id = c.contact_id AND k.search LIKE ?) OR c.subject LIKE ? OR c.last_preview LIKE ?${inMessages})`);
    args.push(q, `%${f.q}%`, `%${f.q}%`);
    if (match !== null) args.push(few ? JSON.stringify(few) : match);
  }
  const cur = decodeCursor(cursor);
  let order: string;
  if (f.order === "queue") {
    if (cur) { where.push(`(${QUEUE_KEY_SQL}, c.id) > (?, ?)`); args.push(cur.k, cur.id); }
    order = `${QUEUE_KEY_SQL}, c.id`;
  } else {
    if (cur) { where.push("(c.last_message_at, c.id) < (?, ?)"); args.push(cur.k, cur.id); }
    order = "c.last_message_at DESC, c.id DESC";
  }
  const rows = db
    .query<ConversationRow, any[]>(`SELECT c.* FROM conversations c WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ?`)
    .all(...args, limit + 1);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = more && last ? encodeCursor({ k: f.order === "queue" ? queueKey(last) : last.last_message_at, id: last.id }) : null;
  return { rows: page, next };
}

/** Prepared once: triage, routing and every conversation change read it (store/prepared.ts). */
export function getConversation(db: Database, id: number): ConversationRow | null {
  return prepared<ConversationRow, [number]>(db, "SELECT * FROM conversations WHERE id = ?").get(id);
}

export interface ConversationPatch {
  status?: string;
  assigneeId?: number | null;
  teamId?: number | null;
  priority?: Priority;
  labels?: string[];
  intent?: string | null;
  urgent?: boolean;
  snoozedUntil?: number | null;
}

/** Applies a change, writes one audit row per field (the timeline shows them), emits one event. */
export function updateConversation(tx: Tx, id: number, patch: ConversationPatch, actor: { type: "user" | "system" | "api"; id: number | null }): ConversationRow | null {
  const cur = getConversation(tx.db, id);
  if (!cur) return null;
  const sets: string[] = [];
  const args: (string | number | null)[] = [];
  const changes: string[] = [];
  const audit = (action: string, from: unknown, to: unknown) =>
    tx.db.query("INSERT INTO audit_log (actor_type, actor_id, action, conversation_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(actor.type, actor.id, action, id, JSON.stringify({ from, to }), tx.now);
  if (patch.status !== undefined && patch.status !== cur.status) {
    sets.push("status = ?", "resolved_at = ?", "snoozed_until = ?");
    args.push(patch.status, patch.status === "resolved" ? tx.now : null, patch.status === "snoozed" ? patch.snoozedUntil ?? null : null);
    if (patch.status === "resolved") sets.push("waiting_since = NULL");
    changes.push("status");
    audit("conversation.status", cur.status, patch.status);
  }
  if (patch.assigneeId !== undefined && patch.assigneeId !== cur.assignee_id) {
    sets.push("assignee_id = ?"); args.push(patch.assigneeId); changes.push("assignee_id"); audit("conversation.assigned", cur.assignee_id, patch.assigneeId);
  }
  if (patch.teamId !== undefined && patch.teamId !== cur.team_id) {
    sets.push("team_id = ?"); args.push(patch.teamId); changes.push("team_id"); audit("conversation.team", cur.team_id, patch.teamId);
  }
  if (patch.priority !== undefined && patch.priority !== cur.priority) {
    sets.push("priority = ?", "priority_rank = ?"); args.push(patch.priority, PRIORITY_RANK[patch.priority]); changes.push("priority"); audit("conversation.priority", cur.priority, patch.priority);
  }
  if (patch.labels !== undefined) {
    const next = [...new Set(patch.labels.map(normaliseLabel).filter(Boolean))].sort();
    const prev = JSON.parse(cur.labels) as string[];
    if (JSON.stringify(next) !== JSON.stringify(prev)) {
      sets.push("labels = ?"); args.push(JSON.stringify(next)); changes.push("labels"); audit("conversation.labels", prev, next);
    }
  }
  if (patch.intent !== undefined && patch.intent !== cur.intent) {
    sets.push("intent = ?"); args.push(patch.intent); changes.push("intent"); audit("conversation.intent", cur.intent, patch.intent);
  }
  if (patch.urgent !== undefined && (patch.urgent ? 1 : 0) !== cur.urgent) {
    sets.push("urgent = ?"); args.push(patch.urgent ? 1 : 0); changes.push("urgent"); audit("conversation.urgent", !!cur.urgent, patch.urgent);
  }
  if (patch.status === "snoozed" && patch.snoozedUntil !== undefined && cur.status === "snoozed") {
    sets.push("snoozed_until = ?"); args.push(patch.snoozedUntil); changes.push("snoozed_until");
  }
  if (sets.length) {
    sets.push("updated_at = ?");
    args.push(tx.now);
    tx.db.query(`UPDATE conversations SET ${sets.join(", ")} WHERE id = ?`).run(...args, id);
    tx.emit({ type: "conversation.updated", conversationId: id, changes, actorId: actor.id });
  }
  return getConversation(tx.db, id);
}

export function markRead(tx: Tx, id: number): void {
  const r = tx.db.query("UPDATE conversations SET unread_count = 0 WHERE id = ? AND unread_count > 0").run(id);
  if (r.changes) tx.emit({ type: "conversation.updated", conversationId: id, changes: ["unread_count"] });
}

export interface ContactConversation {
  id: number;
  channel_id: number;
  status: string;
  last_preview: string;
  last_message_at: number;
  assignee_id: number | null;
  team_id: number | null;
}

/** A contact's conversations, the most recent activity first (the panel's history, name refreshes). */
export function recentConversationsOf(db: Database, contactId: number, limit: number): ContactConversation[] {
  return db
    .query<ContactConversation, [number, number]>(
      "SELECT id, channel_id, status, last_preview, last_message_at, assignee_id, team_id FROM conversations WHERE contact_id = ? ORDER BY last_message_at DESC LIMIT ?",
    )
    .all(contactId, limit);
}

export interface ConversationHolder {
  id?: number;
  assigneeId: number | null;
  teamId: number | null;
}

/** Who holds a conversation (for who may be told of it); null when it is gone. */
export function conversationHolder(db: Database, id: number): ConversationHolder | null {
  const r = db.query<{ assignee_id: number | null; team_id: number | null }, [number]>("SELECT assignee_id, team_id FROM conversations WHERE id = ?").get(id);
  return r ? { id, assigneeId: r.assignee_id, teamId: r.team_id } : null;
}

/** Every holder of a contact's conversations; a profile merged away answers with its survivor's. */
export function contactConversationHolders(db: Database, contactId: number): ConversationHolder[] {
  return db
    .query<{ assignee_id: number | null; team_id: number | null }, [number, number]>(
      "SELECT DISTINCT assignee_id, team_id FROM conversations WHERE contact_id = coalesce((SELECT merged_into FROM contacts WHERE id = ?), ?)",
    )
    .all(contactId, contactId)
    .map((r) => ({ assigneeId: r.assignee_id, teamId: r.team_id }));
}

/** Labels in use, for the filter bar: those of recent conversations only (scanning 100,000 rows on every page load is not worth it). */
export function recentLabels(db: Database): string[] {
  return db
    .query<{ value: string }, []>(
      "SELECT DISTINCT j.value FROM (SELECT labels FROM conversations WHERE labels != '[]' ORDER BY id DESC LIMIT 5000) c, json_each(c.labels) j ORDER BY 1 LIMIT 100",
    )
    .all()
    .map((r) => r.value);
}
