// Reads what the conversation pane shows: the latest page of messages with the audit events
// of the same span, older pages on demand, and only-what-is-new for live sync.
import type { Pano } from "../../../pano.ts";
import type { Viewer } from "../../../domain/conversation.ts";
import type { Context } from "hono";
import type { PageEnv } from "../../view-context.ts";
import { canSee, scopeOf } from "../../../domain/conversation.ts";
import { PanoError } from "../../../domain/errors.ts";
import { getConversation, type ConversationRow } from "../../../store/conversations.ts";
import { messagesBefore, messagesAfter, attachmentsFor, messageCreatedAt, type MessageRow } from "../../../store/messages.ts";
import { contactName, contactPhone } from "../../../store/contacts.ts";
import { canPlaceCalls } from "./dial.ts";
import { teamNames } from "../../../store/teams.ts";
import { mentionables } from "../../../store/mentions.ts";
import { userNames, switchboardUserNames } from "../../../store/user-names.ts";
import { conversationAuditAfter, conversationAuditBetween, type ConversationAuditRow } from "../../../store/audit.ts";
import type { Lang } from "../../../../views/i18n/index.ts";
import type { ConversationHead, ActionOptions } from "../../../../views/conversation/header.tsx";
import type { EventView, MessageView, TimelineItem } from "../../../../views/conversation/timeline.tsx";
import { splitEmailHtml, quotedText } from "../../../../views/conversation/email-parts.ts";
import { withRemoteImages } from "../../../channels/email/remote-images.ts";
import type { CallView } from "../../../../views/conversation/call.tsx";
import type { CallRecord, CallOutcomeMark } from "../../../domain/call.ts";
import type { AttachmentRow } from "../../../store/messages.ts";
import { scheduledSends } from "../../../store/conversation-start.ts";

export const TIMELINE_PAGE = 50;

/** The conversation if this agent may see it; otherwise it does not exist for them. */
export function visibleTo(pano: Pano, c: Context<PageEnv>, id: string | undefined): ConversationRow {
  const conv = id && /^\d+$/.test(id) ? getConversation(pano.store.sqlite, Number(id)) : null;
  if (!conv || !canSee(c.get("viewer"), scopeOf(conv))) throw new PanoError("not_found", "Conversation not found");
  return conv;
}

export function loadHead(pano: Pano, conv: ConversationRow): ConversationHead {
  const ch = pano.channels.get(conv.channel_id);
  return {
    id: conv.id, contactName: contactName(pano.store.sqlite, conv.contact_id), channelType: ch?.type ?? "api", channelName: ch?.name ?? "",
    status: conv.status, assigneeId: conv.assignee_id, teamId: conv.team_id, priority: conv.priority,
    labels: JSON.parse(conv.labels), intent: conv.intent, urgent: !!conv.urgent, snoozedUntil: conv.snoozed_until,
    categories: conv.categories ? JSON.parse(conv.categories) : [],
    contactId: conv.contact_id, canDial: !!contactPhone(pano.store.sqlite, conv.contact_id) && canPlaceCalls(pano),
  };
}

export function actionOptions(pano: Pano, viewer: Viewer): ActionOptions {
  const teams = teamNames(pano.store.sqlite);
  return {
    agents: pano.users.list().map((u) => ({ id: u.id, name: u.name })),
    teams: viewer.role === "agent" ? teams.filter((t) => viewer.teamIds.includes(t.id)) : teams,
  };
}

/** An email's body as the timeline shows it: quoted history apart, remote images only on request. */
function emailParts(m: MessageRow, showImages: boolean): Pick<MessageView, "html" | "quoted" | "remoteImages"> {
  if (m.html) {
    const hasRemote = m.html.includes("data-remote-src=");
    const parts = splitEmailHtml(showImages && hasRemote ? withRemoteImages(m.html) : m.html);
    return { html: parts.fresh, quoted: parts.quoted, remoteImages: hasRemote ? (showImages ? "shown" : "blocked") : null };
  }
  const fullText = m.meta?.includes('"full_text"') ? (JSON.parse(m.meta) as { full_text?: unknown }).full_text : undefined;
  return { html: null, quoted: typeof fullText === "string" ? quotedText(m.text, fullText) : null, remoteImages: null };
}

/** A call item's record (message kind "call"), else null. */
const callOf = (m: MessageRow): (CallRecord & { outcome?: CallOutcomeMark }) | null => {
  if (!m.meta?.includes('"kind":"call"')) return null;
  const meta = JSON.parse(m.meta) as { call?: CallRecord; outcome?: CallOutcomeMark };
  return meta.call ? { ...meta.call, outcome: meta.outcome } : null;
};

/** A call as the timeline draws it; its recording is the message's attachment of kind "recording". */
function callView(call: CallRecord & { outcome?: CallOutcomeMark }, files: AttachmentRow[], answeredBy: Map<string, string>, users: Map<number, string>): CallView {
  const rec = files.find((a) => a.kind === "recording");
  return {
    ended: call.ended, outcome: call.outcome ? { value: call.outcome.value, by: users.get(call.outcome.by) ?? "?" } : null,
    direction: call.direction, status: call.status, ringS: call.ring_s, talkS: call.duration_s, endCause: call.end_cause,
    answeredBy: call.answered_by ? answeredBy.get(call.answered_by) ?? call.answered_by : null,
    recording: !rec ? null : rec.status === "stored" && rec.path ? { url: `/files/${rec.path.split("/").pop()}`, contentType: rec.content_type } : rec.status === "pending" ? "pending" : null,
  };
}

export function toMessageViews(pano: Pano, conv: ConversationRow, rows: MessageRow[], lang: Lang, opts: { showImages?: boolean } = {}): MessageView[] {
  const db = pano.store.sqlite;
  const files = attachmentsFor(db, rows.map((m) => m.id));
  const calls = new Map(rows.flatMap((m) => { const c = callOf(m); return c ? [[m.id, c] as const] : []; }));
  const users = userNames(db, [
    ...rows.flatMap((m) => (m.author_type === "user" && m.author_id ? [m.author_id] : [])),
    ...[...calls.values()].flatMap((c) => (c.outcome ? [c.outcome.by] : [])),
  ]);
  const contact = contactName(db, conv.contact_id);
  const answeredBy = switchboardUserNames(db, [...calls.values()].flatMap((c) => (c.answered_by ? [c.answered_by] : [])));
  // A queued message held for later (quiet hours) says when it will go; a minute's margin skips the ones about to.
  // Notes mark the names they mention, as the note was read when it was saved (store/mentions.ts).
  const mentionable = rows.some((m) => m.private && m.text.includes("@")) ? mentionables(db) : null;
  const scheduled = scheduledSends(db, rows.filter((m) => m.status === "queued").map((m) => m.id), Date.now() + 60_000);
  return rows.map((m) => ({
    id: m.id, direction: m.direction, private: !!m.private,
    author: m.author_type === "user" ? users.get(m.author_id ?? 0) ?? "?" : m.author_type === "contact" ? m.author_label ?? contact ?? "?" : m.author_label ?? "Pano",
    text: m.text, status: m.status, ...emailParts(m, !!opts.showImages),
    error: lang === "vi" ? m.error_vi ?? m.error : m.error,
    createdAt: m.created_at, reaction: m.reaction, automatic: !!m.automatic, survey: surveyMark(m.meta),
    call: calls.has(m.id) ? callView(calls.get(m.id)!, files.get(m.id) ?? [], answeredBy, users) : null,
    template: templateOf(m.meta),
    sendAt: scheduled.get(m.id) ?? null,
    mentionable: m.private && m.text.includes("@") ? mentionable : null,
    attachments: (files.get(m.id) ?? []).filter((a) => a.kind !== "recording").map((a) => ({
      kind: a.kind, name: a.name, contentType: a.content_type, size: a.size,
      url: a.path && a.status === "stored" ? `/files/${a.path.split("/").pop()}` : null,
    })),
  }));
}

/** A message made from a provider's template (meta.template, meta.quota from its send). */
function templateOf(meta: string | null): MessageView["template"] {
  if (!meta || !meta.includes('"template"')) return null;
  const m = JSON.parse(meta) as { template?: { name?: string }; quota?: { daily: number | null; remaining: number | null } };
  return m.template?.name ? { name: m.template.name, quota: m.quota ?? null } : null;
}

/** A satisfaction survey sent, or a customer's answer to one (meta written by store/csat.ts). */
function surveyMark(meta: string | null): MessageView["survey"] {
  if (!meta?.includes('"csat_')) return null;
  return meta.includes('"csat_survey"') ? "question" : meta.includes('"csat_answer"') ? "answer" : null;
}

/** A survey's events (store/csat.ts): the rating and its comment, a comment, a refused answer. */
function surveyEvent(action: string, d: Record<string, unknown>): { from: string | null; to: string | null } | null {
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  if (action === "conversation.csat") return { from: str(d.comment), to: str(d.rating ?? d.to) ?? "" };
  if (action === "conversation.csat_comment") return { from: null, to: str(d.comment) };
  if (action === "conversation.csat_refused") return { from: null, to: str(d.value) };
  return null;
}

/** Audit rows become readable events: ids of agents and teams turn into their names. */
function toEventViews(pano: Pano, rows: ConversationAuditRow[]): EventView[] {
  const db = pano.store.sqlite;
  const parsed = rows.map((r) => ({ r, d: (r.data ? JSON.parse(r.data) : {}) as { from?: unknown; to?: unknown } }));
  const users = userNames(db, [
    ...rows.flatMap((r) => (r.actor_type === "user" && r.actor_id ? [r.actor_id] : [])),
    ...parsed.flatMap(({ r, d }) => (r.action === "conversation.assigned" && typeof d.to === "number" ? [d.to] : [])),
  ]);
  const teams = new Map(teamNames(db).map((t) => [t.id, t.name]));
  const show = (action: string, v: unknown): string | null => {
    if (v === null || v === undefined) return null;
    if (action === "conversation.assigned" && typeof v === "number") return users.get(v) ?? `#${v}`;
    if (action === "conversation.team" && typeof v === "number") return teams.get(v) ?? `#${v}`;
    if (Array.isArray(v)) return v.map((l) => `#${l}`).join(" ");
    return String(v);
  };
  return parsed.map(({ r, d }) => ({
    id: r.id, action: r.action, createdAt: r.created_at,
    actor: r.actor_type === "user" && r.actor_id ? users.get(r.actor_id) ?? null : null,
    ...surveyEvent(r.action, d) ?? { from: show(r.action, d.from), to: show(r.action, d.to) },
  }));
}

function merge(messages: MessageView[], events: EventView[]): TimelineItem[] {
  const items: (TimelineItem & { at: number; order: number })[] = [
    ...messages.map((m) => ({ kind: "msg" as const, m, at: m.createdAt, order: 0 })),
    ...events.map((e) => ({ kind: "event" as const, e, at: e.createdAt, order: 1 })),
  ];
  return items.sort((a, b) => a.at - b.at || a.order - b.order);
}

/** How many newer messages a search result's jump loads below the message it opens. */
const JUMP_SPAN = 500;

/**
 * The latest page (or the page before `beforeId`) with the events of the same span. `focusId` (a
 * search result being opened) older than the latest page: the page reaches back to it, so the
 * timeline stays continuous up to now and live updates keep appending.
 */
export function timelinePage(pano: Pano, conv: ConversationRow, lang: Lang, beforeId: number | null, focusId: number | null = null) {
  const db = pano.store.sqlite;
  const rows = messagesBefore(db, conv.id, beforeId ?? Number.MAX_SAFE_INTEGER, TIMELINE_PAGE + 1);
  // Like the page itself: one row more than shown says whether older ones exist.
  let more = rows.length > TIMELINE_PAGE;
  let page = more ? rows.slice(1) : rows;
  if (focusId && !beforeId && more && focusId < page[0].id) {
    const span = messagesAfter(db, conv.id, focusId - 1, JUMP_SPAN + 1);
    // Only a message of this conversation, and only when the span reaches the present.
    if (span[0]?.id === focusId && span.length <= JUMP_SPAN) {
      const context = messagesBefore(db, conv.id, focusId, 6);
      more = context.length > 5;
      page = [...(more ? context.slice(1) : context), ...span];
    }
  }
  const from = more ? page[0].created_at : 0;
  const until = (beforeId ? messageCreatedAt(db, beforeId) : null) ?? Number.MAX_SAFE_INTEGER;
  const events = conversationAuditBetween(db, conv.id, from, until);
  return {
    items: merge(toMessageViews(pano, conv, page, lang), toEventViews(pano, events)),
    olderBefore: more && page.length ? page[0].id : null,
  };
}

/** Only what is newer than what the agent's screen already has. */
export function timelineSince(pano: Pano, conv: ConversationRow, lang: Lang, afterMsg: number, afterAudit: number): TimelineItem[] {
  const db = pano.store.sqlite;
  const rows = messagesAfter(db, conv.id, afterMsg, 200);
  return merge(toMessageViews(pano, conv, rows, lang), toEventViews(pano, conversationAuditAfter(db, conv.id, afterAudit)));
}
