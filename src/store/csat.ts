// Satisfaction surveys (docs/csat.md): each team's settings, the survey a resolved conversation
// gets, and the customer's answer, which lands in csat_responses once per survey (a second answer
// updates it) credited to the agent who handled the conversation (most of its replies; qa-queue.ts).
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";
import { auditAction } from "./audit.ts";
import { createReply } from "./outbound.ts";
import { conversationAgent } from "./qa-queue.ts";
import {
  DEFAULT_CSAT_SETTINGS, ANSWER_WINDOW_MS, surveyHold, surveyLanguage, surveyQuestion, readSurveyReply,
  type CsatSettings, type SurveyHold, type SurveyLanguage, type SurveyReply,
} from "../domain/csat.ts";

interface SettingsRow { team_id: number; enabled: number; delay_minutes: number; text_vi: string | null; text_en: string | null; min_days_between: number }

const settingsOf = (r: SettingsRow): CsatSettings => ({
  enabled: !!r.enabled, delayMinutes: r.delay_minutes, textVi: r.text_vi, textEn: r.text_en, minDaysBetween: r.min_days_between,
});

export function readCsatSettings(db: Database, teamId: number): CsatSettings {
  const r = prepared<SettingsRow, [number]>(db, "SELECT * FROM csat_settings WHERE team_id = ?").get(teamId);
  return r ? settingsOf(r) : { ...DEFAULT_CSAT_SETTINGS };
}

export function saveCsatSettings(tx: Tx, teamId: number, s: CsatSettings, actorId: number | null): void {
  tx.db.query(
    `INSERT INTO csat_settings (team_id, enabled, delay_minutes, text_vi, text_en, min_days_between, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(team_id) DO UPDATE SET enabled = excluded.enabled, delay_minutes = excluded.delay_minutes, text_vi = excluded.text_vi,
       text_en = excluded.text_en, min_days_between = excluded.min_days_between, updated_at = excluded.updated_at`,
  ).run(teamId, s.enabled ? 1 : 0, s.delayMinutes, s.textVi, s.textEn, s.minDaysBetween, tx.now);
  auditAction(tx, actorId, "team.csat_settings", { type: "team", id: teamId }, s);
}

interface ConversationFacts {
  id: number; status: string; team_id: number | null; channel_id: number; contact_id: number;
  stopped: number | null; newer_open: number; last_in_automatic: number | null; last_in_text: string | null; last_agent: number | null; last_survey_at: number | null;
}

function conversationFacts(db: Database, conversationId: number): ConversationFacts | null {
  return prepared<ConversationFacts, [number]>(db,
    `SELECT c.id, c.status, c.team_id, c.channel_id, c.contact_id, ct.surveys_stopped_at AS stopped,
       (SELECT automatic FROM messages WHERE conversation_id = c.id AND direction = 'in' ORDER BY id DESC LIMIT 1) AS last_in_automatic,
       (SELECT text FROM messages WHERE conversation_id = c.id AND direction = 'in' AND automatic = 0 ORDER BY id DESC LIMIT 1) AS last_in_text,
       (SELECT author_id FROM messages WHERE conversation_id = c.id AND direction = 'out' AND author_type = 'user' AND private = 0 AND automatic = 0 ORDER BY id DESC LIMIT 1) AS last_agent,
       (SELECT max(sent_at) FROM csat_surveys WHERE contact_id = c.contact_id AND sent_at IS NOT NULL AND conversation_id != c.id) AS last_survey_at,
       EXISTS (SELECT 1 FROM conversations n WHERE n.contact_id = c.contact_id AND n.id > c.id AND n.status != 'resolved') AS newer_open
     FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE c.id = ?`,
  ).get(conversationId);
}

/** What the store knows of the channel: whether its kind asks and it is active (the registry is not the store's to read). */
export type ChannelAsks = (channelId: number) => { kindAsks: boolean; active: boolean };

function holdFor(db: Database, f: ConversationFacts, asks: ChannelAsks, now: number): SurveyHold | null {
  const ch = asks(f.channel_id);
  return surveyHold({
    settings: f.team_id === null ? null : readCsatSettings(db, f.team_id),
    kindAsks: ch.kindAsks, channelActive: ch.active, status: f.status, stopped: f.stopped !== null, newerOpen: !!f.newer_open,
    lastInboundAutomatic: f.last_in_automatic === null ? null : !!f.last_in_automatic,
    agentReplied: f.last_agent !== null, lastSurveyAt: f.last_survey_at, now,
  });
}

/**
 * A conversation was resolved: schedule its survey (at most one per conversation; resolved again
 * after a reopen that cancelled it, it is scheduled again). Returns why not, when not.
 */
export function scheduleSurvey(tx: Tx, conversationId: number, asks: ChannelAsks): SurveyHold | "already" | null {
  const f = conversationFacts(tx.db, conversationId);
  if (!f) return "not_resolved";
  const hold = holdFor(tx.db, f, asks, tx.now);
  if (hold) return hold;
  const s = readCsatSettings(tx.db, f.team_id!);
  // Credited to whoever handled it, as QA reviews and the reports credit work (qa-queue.ts).
  const agent = conversationAgent(tx.db, f.id);
  const r = tx.db.query(
    `INSERT INTO csat_surveys (conversation_id, contact_id, channel_id, team_id, agent_id, language, status, due_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'scheduled', ?, ?)
     ON CONFLICT(conversation_id) DO UPDATE SET status = 'scheduled', due_at = excluded.due_at, agent_id = excluded.agent_id, skip_reason = NULL
     WHERE csat_surveys.status = 'skipped'`,
  ).run(f.id, f.contact_id, f.channel_id, f.team_id, agent, surveyLanguage(f.last_in_text), tx.now + s.delayMinutes * 60_000, tx.now);
  return r.changes ? null : "already";
}

/** A reopened conversation's survey that has not gone out yet is called off. */
export function cancelScheduledSurvey(tx: Tx, conversationId: number): void {
  tx.db.query("UPDATE csat_surveys SET status = 'skipped', skip_reason = 'not_resolved' WHERE conversation_id = ? AND status = 'scheduled'").run(conversationId);
}

export function dueSurveys(db: Database, now: number, limit = 100): number[] {
  return prepared<{ id: number }, [number, number]>(db, "SELECT id FROM csat_surveys WHERE status = 'scheduled' AND due_at <= ? ORDER BY due_at LIMIT ?")
    .all(now, limit).map((r) => r.id);
}

/**
 * Sends a due survey as an automatic message through the outbox (one path out), unless something
 * changed since it was scheduled (reopened, the customer said stop, surveyed meanwhile): then it is skipped.
 */
export function sendSurvey(tx: Tx, surveyId: number, asks: ChannelAsks): number | null {
  const s = tx.db.query<{ conversation_id: number; team_id: number | null; language: SurveyLanguage; status: string }, [number]>(
    "SELECT conversation_id, team_id, language, status FROM csat_surveys WHERE id = ?",
  ).get(surveyId);
  if (!s || s.status !== "scheduled") return null;
  // Claimed first: on PostgreSQL another instance may be sending the same survey in its own
  // transaction; this UPDATE waits for that one and then finds the survey no longer scheduled.
  if (tx.db.query("UPDATE csat_surveys SET status = 'sent' WHERE id = ? AND status = 'scheduled'").run(surveyId).changes === 0) return null;
  const f = conversationFacts(tx.db, s.conversation_id);
  const hold = f ? holdFor(tx.db, f, asks, tx.now) : "not_resolved";
  if (hold) {
    tx.db.query("UPDATE csat_surveys SET status = 'skipped', skip_reason = ? WHERE id = ?").run(hold, surveyId);
    return null;
  }
  const question = surveyQuestion(readCsatSettings(tx.db, s.team_id!), s.language);
  const messageId = createReply(tx, { conversationId: s.conversation_id, text: question, private: false, userId: null, automatic: true });
  tx.db.query("UPDATE messages SET meta = json_set(coalesce(meta, '{}'), '$.csat_survey', ?) WHERE id = ?").run(surveyId, messageId);
  tx.db.query("UPDATE csat_surveys SET status = 'sent', message_id = ?, sent_at = ? WHERE id = ?").run(messageId, tx.now, surveyId);
  // The survey is not the conversation's news: a resolved conversation keeps its place.
  tx.db.query("INSERT INTO audit_log (actor_type, action, conversation_id, data, created_at) VALUES ('system', 'conversation.csat_sent', ?, ?, ?)")
    .run(s.conversation_id, JSON.stringify({ survey_id: surveyId }), tx.now);
  return messageId;
}

export interface SurveyRow {
  id: number; conversation_id: number; contact_id: number; channel_id: number; agent_id: number | null; language: SurveyLanguage;
  status: string; sent_at: number | null; link_used_at: number | null; message_id: number | null;
  rating: number | null; comment: string | null;
}

const SURVEY = `SELECT s.id, s.conversation_id, s.contact_id, s.channel_id, s.agent_id, s.language, s.status, s.sent_at, s.link_used_at, s.message_id,
  r.rating, r.comment FROM csat_surveys s LEFT JOIN csat_responses r ON r.survey_id = s.id`;

export function surveyById(db: Database, id: number): SurveyRow | null {
  return prepared<SurveyRow, [number]>(db, `${SURVEY} WHERE s.id = ?`).get(id);
}

export function surveyOfConversation(db: Database, conversationId: number): SurveyRow | null {
  return prepared<SurveyRow, [number]>(db, `${SURVEY} WHERE s.conversation_id = ?`).get(conversationId);
}

export type AnswerVia = "chat" | "button" | "link" | "widget" | "api";

/** Records (or updates) the rating of a survey that went out; false when it did not go out. */
export function answerSurvey(tx: Tx, surveyId: number, rating: number, comment: string | null, via: AnswerVia): boolean {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new RangeError("rating must be 1 to 5");
  const s = surveyById(tx.db, surveyId);
  if (!s || s.sent_at === null) return false;
  tx.db.query(
    `INSERT INTO csat_responses (conversation_id, assignee_id, rating, comment, survey_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(survey_id) DO UPDATE SET rating = excluded.rating, comment = coalesce(excluded.comment, csat_responses.comment), created_at = excluded.created_at`,
  ).run(s.conversation_id, s.agent_id, rating, comment, surveyId, tx.now);
  tx.db.query("UPDATE csat_surveys SET status = 'answered', answered_at = ? WHERE id = ?").run(tx.now, surveyId);
  tx.db.query("INSERT INTO audit_log (actor_type, action, conversation_id, data, created_at) VALUES ('system', 'conversation.csat', ?, ?, ?)")
    .run(s.conversation_id, JSON.stringify({ rating, comment, via, survey_id: surveyId, updated: s.rating !== null }), tx.now);
  tx.emit({ type: "conversation.updated", conversationId: s.conversation_id, changes: ["csat"] });
  return true;
}

/** A comment added after the rating (the email link's page, the widget): once the survey is rated. */
export function commentSurvey(tx: Tx, surveyId: number, comment: string): boolean {
  const r = tx.db.query("UPDATE csat_responses SET comment = ? WHERE survey_id = ?").run(comment, surveyId);
  if (!r.changes) return false;
  const s = surveyById(tx.db, surveyId)!;
  tx.db.query("INSERT INTO audit_log (actor_type, action, conversation_id, data, created_at) VALUES ('system', 'conversation.csat_comment', ?, ?, ?)")
    .run(s.conversation_id, JSON.stringify({ comment, survey_id: surveyId }), tx.now);
  tx.emit({ type: "conversation.updated", conversationId: s.conversation_id, changes: ["csat"] });
  return true;
}

/** The customer asked for no more surveys (a "STOP" answer, the email's link). */
export function stopSurveys(tx: Tx, contactId: number, conversationId: number | null, via: string): void {
  const r = tx.db.query("UPDATE contacts SET surveys_stopped_at = ? WHERE id = ? AND surveys_stopped_at IS NULL").run(tx.now, contactId);
  if (!r.changes) return;
  tx.db.query("INSERT INTO audit_log (actor_type, action, conversation_id, subject_type, subject_id, data, created_at) VALUES ('system', 'contact.surveys_stopped', ?, 'contact', ?, ?, ?)")
    .run(conversationId, contactId, JSON.stringify({ via }), tx.now);
  tx.emit({ type: "contact.updated", contactId });
}

/** An emailed link was followed: its survey's other links are spent. False when one was already. */
export function spendSurveyLink(tx: Tx, surveyId: number): boolean {
  return tx.db.query("UPDATE csat_surveys SET link_used_at = ? WHERE id = ? AND link_used_at IS NULL").run(tx.now, surveyId).changes > 0;
}

/** A customer's message read as an answer to their conversation's survey. */
export interface SurveyAnswerInMessage {
  surveyId: number;
  contactId: number;
  reply: SurveyReply;
}

/**
 * Whether an incoming message answers the conversation's survey: a button's payload (the kind read
 * it: `button`) answers a survey of this conversation that went out within the answer window; a
 * typed "5" or "STOP" does only while the conversation is still resolved (once reopened, "5" is
 * more likely "five of them").
 */
export function surveyAnswerIn(tx: Tx, conversationId: number, status: string, text: string, button: { surveyId?: number; rating: number } | undefined, at: number): SurveyAnswerInMessage | null {
  // Decided before any read: nearly every message is typed into an open conversation, and this
  // runs inside the ingest transaction for each of them.
  if (!button && status !== "resolved") return null;
  const own = surveyOfConversation(tx.db, conversationId);
  // A button of an earlier conversation's survey (the customer has written since): still theirs to answer.
  const s = button?.surveyId !== undefined && button.surveyId !== own?.id ? sameCustomersSurvey(tx.db, button.surveyId, conversationId) : own;
  if (!s || s.sent_at === null || at - s.sent_at > ANSWER_WINDOW_MS) return null;
  if (button) {
    const ok = Number.isInteger(button.rating) && button.rating >= 1 && button.rating <= 5;
    return { surveyId: s.id, contactId: s.contact_id, reply: ok ? { kind: "rating", rating: button.rating, comment: null } : { kind: "out_of_range", value: String(button.rating) } };
  }
  const reply = readSurveyReply(text);
  return reply ? { surveyId: s.id, contactId: s.contact_id, reply } : null;
}

function sameCustomersSurvey(db: Database, surveyId: number, conversationId: number): SurveyRow | null {
  const s = surveyById(db, surveyId);
  const c = prepared<{ contact_id: number; channel_id: number }, [number]>(db, "SELECT contact_id, channel_id FROM conversations WHERE id = ?").get(conversationId);
  return s && c && s.contact_id === c.contact_id && s.channel_id === c.channel_id ? s : null;
}

/** Applies what surveyAnswerIn found, in the message's own transaction. */
export function applySurveyAnswer(tx: Tx, a: SurveyAnswerInMessage, conversationId: number, messageId: number, via: AnswerVia): void {
  const r = a.reply;
  tx.db.query("UPDATE messages SET meta = json_set(coalesce(meta, '{}'), '$.csat_answer', json(?)) WHERE id = ?")
    .run(JSON.stringify(r.kind === "rating" ? { survey_id: a.surveyId, rating: r.rating } : { survey_id: a.surveyId, [r.kind]: true }), messageId);
  if (r.kind === "rating") answerSurvey(tx, a.surveyId, r.rating, r.comment, via);
  else if (r.kind === "stop") stopSurveys(tx, a.contactId, conversationId, via);
  else tx.db.query("INSERT INTO audit_log (actor_type, action, conversation_id, data, created_at) VALUES ('system', 'conversation.csat_refused', ?, ?, ?)")
    .run(conversationId, JSON.stringify({ value: r.value, survey_id: a.surveyId }), tx.now);
}

/** Surveys that went out in a range (their message not failed), for the response rate. */
export interface SurveyFact { channelId: number; teamId: number | null; agentId: number | null; answered: boolean; at: number }

export function surveyFacts(db: Database, range: { from: number; to: number }, f: { teamId?: number; agentId?: number; channelId?: number }): SurveyFact[] {
  const where = ["s.sent_at >= ? AND s.sent_at < ?", "coalesce(m.status, '') != 'failed'"];
  const args: number[] = [range.from, range.to];
  if (f.teamId !== undefined) { where.push("s.team_id = ?"); args.push(f.teamId); }
  if (f.agentId !== undefined) { where.push("s.agent_id = ?"); args.push(f.agentId); }
  if (f.channelId !== undefined) { where.push("s.channel_id = ?"); args.push(f.channelId); }
  return db.query<{ channel_id: number; team_id: number | null; agent_id: number | null; answered_at: number | null; sent_at: number }, number[]>(
    `SELECT s.channel_id, s.team_id, s.agent_id, s.answered_at, s.sent_at FROM csat_surveys s LEFT JOIN messages m ON m.id = s.message_id WHERE ${where.join(" AND ")}`,
  ).all(...args).map((r) => ({ channelId: r.channel_id, teamId: r.team_id, agentId: r.agent_id, answered: r.answered_at !== null, at: r.sent_at }));
}

/** What the widget shows beside a survey message: its id and the rating given, if any. */
export function surveysOfMessages(db: Database, messageIds: number[]): Map<number, { id: number; rating: number | null; comment: string | null }> {
  if (!messageIds.length) return new Map();
  const rows = db.query<{ message_id: number; id: number; rating: number | null; comment: string | null }, number[]>(
    `SELECT s.message_id, s.id, r.rating, r.comment FROM csat_surveys s LEFT JOIN csat_responses r ON r.survey_id = s.id WHERE s.message_id IN (${messageIds.map(() => "?").join(",")})`,
  ).all(...messageIds);
  return new Map(rows.map((r) => [r.message_id, { id: r.id, rating: r.rating, comment: r.comment }]));
}

/** Whether this channel identity is the customer the survey went to (a widget's session). */
export function surveyBelongsTo(db: Database, surveyId: number, channelId: number, externalId: string): boolean {
  return !!prepared<{ one: number }, [number, number, string]>(db,
    `SELECT 1 AS one FROM csat_surveys s JOIN contact_identities i ON i.contact_id = s.contact_id
     WHERE s.id = ? AND i.channel_id = ? AND i.external_id = ?`,
  ).get(surveyId, channelId, externalId);
}

export function responseOfSurvey(db: Database, surveyId: number): number | null {
  return prepared<{ id: number }, [number]>(db, "SELECT id FROM csat_responses WHERE survey_id = ?").get(surveyId)?.id ?? null;
}

/** GET /api/v1/conversations/:id/csat: the survey (null when none went out or is waiting) and its answer. */
export function presentSurvey(s: SurveyRow | null) {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    survey: s ? {
      id: String(s.id), status: s.status, language: s.language, agent_id: s.agent_id === null ? null : String(s.agent_id),
      sent_at: iso(s.sent_at), message_id: s.message_id === null ? null : String(s.message_id),
    } : null,
    rating: s?.rating ?? null,
    comment: s?.comment ?? null,
  };
}
