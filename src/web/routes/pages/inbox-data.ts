// Turns conversation rows into what the inbox list shows: contact names, channel kinds and
// assignees are read once per page (one query each), never once per row.
import { slaLookup } from "../../../store/sla-policies.ts";
import { nextDue, slaLevel } from "../../../domain/sla.ts";
import type { Pano } from "../../../pano.ts";
import type { Viewer } from "../../../domain/conversation.ts";
import { isValidPriority, isValidStatus, normaliseLabel } from "../../../domain/conversation.ts";
import { listConversations, queueKey, recentLabels, type ConversationFilter, type ConversationRow } from "../../../store/conversations.ts";
import { contactNames } from "../../../store/contacts.ts";
import { teamNames } from "../../../store/teams.ts";
import { userNames } from "../../../store/user-names.ts";
import type { ListRow, InboxFilters } from "../../../../views/inbox/list.tsx";

export const PAGE_SIZE = 40;

const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

/** Query string -> the filters the agent chose; anything unknown falls back to the default. */
export function readFilters(q: Record<string, string>): InboxFilters {
  const scope = q.scope === "mine" || q.scope === "unassigned" ? q.scope : "all";
  return {
    scope,
    status: q.status === "all" || (q.status && isValidStatus(q.status)) ? q.status : "open",
    channel: num(q.channel),
    team: num(q.team),
    label: q.label ? normaliseLabel(q.label) : undefined,
    priority: q.priority && isValidPriority(q.priority) ? q.priority : undefined,
    q: q.q?.trim() ? q.q.trim().slice(0, 100) : undefined,
  };
}

export function filterQuery(f: InboxFilters): string {
  const p = new URLSearchParams();
  if (f.scope !== "all") p.set("scope", f.scope);
  if (f.status !== "open") p.set("status", f.status);
  if (f.channel) p.set("channel", String(f.channel));
  if (f.team) p.set("team", String(f.team));
  if (f.label) p.set("label", f.label);
  if (f.priority) p.set("priority", f.priority);
  if (f.q) p.set("q", f.q);
  return p.toString();
}

function storeFilter(f: InboxFilters, userId: number): ConversationFilter {
  return {
    status: f.status,
    assigneeId: f.scope === "mine" ? userId : f.scope === "unassigned" ? "none" : undefined,
    teamId: f.team, channelId: f.channel, label: f.label, priority: f.priority, q: f.q, order: "queue",
  };
}

/** The same filter as a predicate, for deciding whether a live update belongs in the list. */
export function matchesFilters(c: ConversationRow, f: InboxFilters, userId: number): boolean {
  if (f.status !== "all" && c.status !== f.status) return false;
  if (f.scope === "mine" && c.assignee_id !== userId) return false;
  if (f.scope === "unassigned" && c.assignee_id !== null) return false;
  if (f.channel && c.channel_id !== f.channel) return false;
  if (f.team && c.team_id !== f.team) return false;
  if (f.priority && c.priority !== f.priority) return false;
  if (f.label && !(JSON.parse(c.labels) as string[]).includes(f.label)) return false;
  return true;
}

export function toListRows(pano: Pano, rows: ConversationRow[], now = Date.now()): ListRow[] {
  const db = pano.store.sqlite;
  // Each row's next SLA target under its team's policy, in the team's business hours.
  const slaOf = slaLookup(db);
  const slaRow = (r: ConversationRow): ListRow["sla"] => {
    const scope = slaOf(r.team_id, r.priority);
    const due = scope && nextDue({ createdAt: r.created_at, firstResponseAt: r.first_response_at, waitingSince: r.waiting_since, resolvedAt: r.resolved_at, status: r.status }, scope.policy, scope.hours);
    return due && Number.isFinite(due.dueAt) ? { target: due.target, dueAt: due.dueAt, level: slaLevel(due, now, scope.hours) } : null;
  };
  const contacts = contactNames(db, rows.map((r) => r.contact_id));
  const users = userNames(db, rows.flatMap((r) => (r.assignee_id ? [r.assignee_id] : [])));
  return rows.map((r) => {
    const ch = pano.channels.get(r.channel_id);
    return {
      id: r.id, channelType: ch?.type ?? "api", channelName: ch?.name ?? "", contactName: contacts.get(r.contact_id) ?? null,
      preview: r.last_preview, subject: r.subject, waitingSince: r.waiting_since, lastMessageAt: r.last_message_at, unread: r.unread_count,
      assignee: r.assignee_id ? users.get(r.assignee_id) ?? "?" : null, priority: r.priority, urgent: !!r.urgent, status: r.status,
      labels: JSON.parse(r.labels) as string[], intent: r.intent,
      sortKey: `${String(queueKey(r)).padStart(16, "0")}:${String(r.id).padStart(12, "0")}`,
      sla: r.status === "open" || r.status === "pending" ? slaRow(r) : null,
    };
  });
}

export function loadList(pano: Pano, viewer: Viewer, f: InboxFilters, cursor: string | null) {
  const { rows, next } = listConversations(pano.store.sqlite, viewer, storeFilter(f, viewer.userId), PAGE_SIZE, cursor);
  return { rows: toListRows(pano, rows), next };
}

/** What the filter bar offers: channels, teams the viewer may filter by, labels in use. */
export function filterOptions(pano: Pano, viewer: Viewer) {
  return { ...channelTeamOptions(pano, viewer), labels: recentLabels(pano.store.sqlite) };
}

/** Channels and the teams the viewer may filter by (the search page, which has no label filter, stops here). */
export function channelTeamOptions(pano: Pano, viewer: Viewer) {
  const teams = teamNames(pano.store.sqlite).filter((t) => viewer.role !== "agent" || viewer.teamIds.includes(t.id));
  return { channels: pano.channels.list().map((c) => ({ id: c.id, name: c.name, type: c.type })), teams };
}
