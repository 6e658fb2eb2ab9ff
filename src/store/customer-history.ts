// One customer's history on every channel, newest first (docs/customer-history.md): each
// conversation as one entry, except on call channels (a switchboard), whose conversations are
// shown as their calls, one entry per call with its outcome. Only what the viewer may see
// (scopeSql, the conversations' rule). Paged by a cursor over (time, kind, id): two indexed
// queries of at most one page each, merged.
import type { Database } from "bun:sqlite";
import type { Viewer } from "../domain/conversation.ts";
import type { CallOutcomeMark, CallRecord } from "../domain/call.ts";
import { scopeSql } from "./conversations.ts";

interface Base {
  conversation_id: number;
  channel_id: number;
  channel_type: string;
  channel_name: string;
  status: string;
  assignee_id: number | null;
  team_id: number | null;
  /** The entry's time: a conversation's last message, a call's start. */
  at: number;
}

export interface ConversationEntry extends Base {
  kind: "conversation";
  id: number;
  subject: string | null;
  preview: string;
  intent: string | null;
  message_count: number;
  created_at: number;
}

export interface CallEntry extends Base {
  kind: "call";
  /** The call's message id (the timeline item it opens). */
  id: number;
  call: CallRecord;
  outcome: CallOutcomeMark | null;
}

export type HistoryEntry = ConversationEntry | CallEntry;

/** Conversations sort after calls at the same millisecond (kind 1 > 0), then by id, all descending. */
export type HistoryCursor = { at: number; kind: 0 | 1; id: number };

export function encodeHistoryCursor(c: HistoryCursor): string {
  return Buffer.from(`${c.at}.${c.kind}.${c.id}`).toString("base64url");
}
export function decodeHistoryCursor(s: string | null | undefined): HistoryCursor | null {
  if (!s) return null;
  const m = /^(-?\d{1,16})\.([01])\.(\d{1,16})$/.exec(Buffer.from(s, "base64url").toString());
  return m ? { at: Number(m[1]), kind: Number(m[2]) as 0 | 1, id: Number(m[3]) } : null;
}

const rank = (e: HistoryEntry): 0 | 1 => (e.kind === "conversation" ? 1 : 0);
const newerFirst = (x: HistoryEntry, y: HistoryEntry) => y.at - x.at || rank(y) - rank(x) || y.id - x.id;

const BASE = `c.channel_id, ch.type AS channel_type, ch.name AS channel_name, c.status, c.assignee_id, c.team_id`;

/**
 * A page of the customer's history. `callTypes`: the channel types whose conversations are calls
 * (the registry's switchboard kinds); their other messages (notes) stay in the conversation.
 */
export function customerHistory(db: Database, contactId: number, viewer: Viewer, opts: { limit: number; cursor: HistoryCursor | null; callTypes: string[] }): { entries: HistoryEntry[]; next: HistoryCursor | null } {
  const scope = scopeSql(viewer);
  const cur = opts.cursor;
  const types = opts.callTypes.length ? opts.callTypes : ["\u0000"];
  const typeList = types.map(() => "?").join(",");
  // Strictly after the cursor in (at DESC, kind DESC, id DESC) order, per kind.
  const convAfter = cur ? (cur.kind === 1 ? [cur.at, cur.at, cur.id] : [cur.at, cur.at, 0]) : null;
  const callAfter = cur ? (cur.kind === 0 ? [cur.at, cur.at, cur.id] : [cur.at + 1, cur.at + 1, 0]) : null;
  const convs = db
    .query<Omit<ConversationEntry, "kind">, (number | string)[]>(
      `SELECT c.id, c.id AS conversation_id, ${BASE}, c.last_message_at AS at, c.subject, c.last_preview AS preview, c.intent, c.message_count, c.created_at
       FROM conversations c JOIN channels ch ON ch.id = c.channel_id
       WHERE c.contact_id = ? AND ch.type NOT IN (${typeList}) AND ${scope.sql}
       ${convAfter ? "AND (c.last_message_at < ? OR (c.last_message_at = ? AND c.id < ?))" : ""}
       ORDER BY c.last_message_at DESC, c.id DESC LIMIT ?`,
    )
    .all(contactId, ...types, ...scope.args, ...(convAfter ?? []), opts.limit + 1)
    .map((r): HistoryEntry => ({ kind: "conversation", ...r }));
  const calls = opts.callTypes.length
    ? db
      .query<Base & { id: number; meta: string }, (number | string)[]>(
        `SELECT m.id, m.conversation_id, ${BASE}, m.created_at AS at, m.meta
         FROM conversations c JOIN channels ch ON ch.id = c.channel_id JOIN messages m ON m.conversation_id = c.id
         WHERE c.contact_id = ? AND ch.type IN (${typeList}) AND ${scope.sql} AND json_extract(m.meta, '$.kind') = 'call'
         ${callAfter ? "AND (m.created_at < ? OR (m.created_at = ? AND m.id < ?))" : ""}
         ORDER BY m.created_at DESC, m.id DESC LIMIT ?`,
      )
      .all(contactId, ...types, ...scope.args, ...(callAfter ?? []), opts.limit + 1)
      .map(({ meta, ...r }): HistoryEntry => {
        const m = JSON.parse(meta) as { call: CallRecord; outcome?: CallOutcomeMark };
        return { kind: "call", ...r, call: m.call, outcome: m.outcome ?? null };
      })
    : [];
  const all = [...convs, ...calls].sort(newerFirst);
  const entries = all.slice(0, opts.limit);
  const last = entries[entries.length - 1];
  return { entries, next: all.length > opts.limit && last ? { at: last.at, kind: rank(last), id: last.id } : null };
}
