// Rows -> the JSON shapes of interface.md (snake_case, ISO times, string ids): what the REST API
// answers and what outgoing webhooks carry as `data`, so both live outside the web layer.
import type { Database } from "bun:sqlite";
import type { ConversationRow } from "./store/conversations.ts";
import type { MessageRow, AttachmentRow } from "./store/messages.ts";
import type { ContactRow } from "./store/contacts.ts";
import { identitiesOf, conversationIdsOf } from "./store/contacts.ts";
import type { UserRow } from "./store/users.ts";
import type { Viewer } from "./domain/conversation.ts";
import type { CallRecord, CallOutcomeMark } from "./domain/call.ts";

export const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
export const sid = (n: number | null | undefined) => (n === null || n === undefined ? null : String(n));

// previous_conversation_id (migration 0006) comes with the rest of the stored row.
export function presentConversation(c: ConversationRow & { previous_conversation_id?: number | null }) {
  return {
    id: sid(c.id), channel_id: sid(c.channel_id), contact_id: sid(c.contact_id), status: c.status,
    assignee_id: sid(c.assignee_id), team_id: sid(c.team_id), priority: c.priority, intent: c.intent,
    urgent: !!c.urgent, labels: JSON.parse(c.labels), subject: c.subject, unread_count: c.unread_count,
    last_message_at: iso(c.last_message_at), first_response_at: iso(c.first_response_at),
    resolved_at: iso(c.resolved_at), snoozed_until: iso(c.snoozed_until), created_at: iso(c.created_at),
    previous_conversation_id: sid(c.previous_conversation_id),
    categories: c.categories ? (JSON.parse(c.categories) as { tag: string; confidence: number }[]) : [],
  };
}

/**
 * A call item's record as the API shows it (interface.md, Calls). recording_url: Pano's stored copy
 * once fetched (a provider's own address may need its key, or expire), else the address the PBX gave.
 */
function presentCall(c: CallRecord, stored: string | null, outcome: CallOutcomeMark | undefined) {
  const recording = stored ?? c.recording_url;
  return {
    ...(outcome ? { outcome: outcome.value } : {}),
    direction: c.direction, status: c.status, duration_s: c.duration_s ?? 0, answered_by: c.answered_by,
    ...(recording ? { recording_url: recording } : {}),
    started_at: c.started_at, answered_at: c.answered_at, ended_at: c.ended_at, ring_s: c.ring_s, end_cause: c.end_cause,
  };
}

const storedRecording = (files: AttachmentRow[], publicUrl: string) => {
  const rec = files.find((a) => a.kind === "recording" && a.status === "stored" && a.path);
  return rec ? `${publicUrl}/files/${rec.path!.split("/").pop()}` : null;
};

/**
 * interface.md gives a call's status as answered|missed|failed: an outcome. A call still ringing has
 * none yet, so the API lists it once it is answered or has ended (the inbox shows it live meanwhile).
 */
export function isRingingCall(meta: string | null): boolean {
  if (!meta || !meta.includes('"call"')) return false;
  const m = JSON.parse(meta);
  return m.kind === "call" && m.call?.status === "ringing";
}

export function presentMessage(m: MessageRow, files: AttachmentRow[], publicUrl: string) {
  const meta = m.meta ? JSON.parse(m.meta) : {};
  return {
    id: sid(m.id), conversation_id: sid(m.conversation_id), direction: m.direction, private: !!m.private,
    author: { type: m.author_type, id: sid(m.author_id), ...(m.author_label ? { label: m.author_label } : {}) },
    text: m.text, ...(m.html ? { html: m.html } : {}),
    attachments: files.map((a) => ({
      name: a.name, content_type: a.content_type, size: a.size, kind: a.kind,
      url: a.path ? `${publicUrl}/files/${a.path.split("/").pop()}` : a.source_url,
    })),
    status: m.status, ...(m.error ? { error: m.error } : {}), ...(m.error_vi ? { error_vi: m.error_vi } : {}), external_id: m.external_id,
    // A message made from a provider's template (a ZNS): which, with what, and the daily quota left after it.
    ...(meta.template ? { template: { id: meta.template.id, name: meta.template.name, data: meta.template.data, quota: meta.quota ?? null } } : {}),
    ...(m.reaction ? { reaction: m.reaction } : {}), ...(meta.unsupported ? { unsupported: true } : {}),
    ...(meta.kind === "call" && meta.call ? { kind: "call", call: presentCall(meta.call, storedRecording(files, publicUrl), meta.outcome) } : {}),
    created_at: iso(m.created_at),
  };
}

export function presentContact(db: Database, c: ContactRow, viewer?: Viewer) {
  return {
    id: sid(c.id), name: c.name, email: c.email, phone: c.phone, avatar_url: c.avatar_url,
    attributes: JSON.parse(c.attributes),
    identities: identitiesOf(db, c.id).map((i) => ({ channel_id: sid(i.channel_id), channel_type: i.channel_type, external_id: i.external_id, ...(i.follows !== null ? { follows: !!i.follows } : {}) })),
    conversation_ids: conversationIdsOf(db, c.id, viewer).map(String),
    // They answered a survey STOP, or followed its stop link (docs/csat.md).
    surveys_stopped_at: iso(c.surveys_stopped_at),
    created_at: iso(c.created_at),
  };
}

export function presentUser(u: UserRow, teamIds: number[]) {
  return { id: sid(u.id), email: u.email, name: u.name, role: u.role, language: u.language, availability: u.availability, capacity: u.capacity, phone_user_id: u.phone_user_id, team_ids: teamIds.map(String), created_at: iso(u.created_at) };
}
