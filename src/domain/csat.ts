// Customer satisfaction surveys (docs/csat.md): when a resolved conversation is asked for a rating,
// what a customer's message says in answer, and the question itself. Pure: the store asks.
import { foldVietnamese } from "./contact.ts";

export type SurveyLanguage = "vi" | "en";

/** A team's survey settings (Settings › Teams). */
export interface CsatSettings {
  enabled: boolean;
  /** Minutes between the resolution and the survey (0: at once). */
  delayMinutes: number;
  /** The team's own question; null asks the shipped one. */
  textVi: string | null;
  textEn: string | null;
  /** No second survey to the same customer within this many days (0: every resolved conversation). */
  minDaysBetween: number;
}

export const DEFAULT_CSAT_SETTINGS: CsatSettings = { enabled: false, delayMinutes: 0, textVi: null, textEn: null, minDaysBetween: 30 };

export const DEFAULT_QUESTION: Record<SurveyLanguage, string> = {
  vi: "Bạn hài lòng thế nào với hỗ trợ của chúng tôi?",
  en: "How satisfied are you with the help you received?",
};

export const RATINGS = [1, 2, 3, 4, 5] as const;
export const MAX_COMMENT = 2000;
/** An answer in the conversation counts for this long after the survey went out. */
export const ANSWER_WINDOW_MS = 7 * 86400_000;
/** Emailed links work this long. */
export const LINK_DAYS = 30;
/** Limits of the settings form and API. */
export const MAX_DELAY_MINUTES = 7 * 24 * 60;
export const MAX_DAYS_BETWEEN = 365;
export const MAX_QUESTION = 500;

export function surveyQuestion(s: CsatSettings, lang: SurveyLanguage): string {
  return (lang === "en" ? s.textEn : s.textVi)?.trim() || DEFAULT_QUESTION[lang];
}

/** Why a resolved conversation gets no survey; null: it gets one. */
export type SurveyHold =
  | "disabled" // the team keeps surveys off, or the conversation has no team
  | "channel_cannot_ask" // its channel kind sends no surveys (phone, api)
  | "channel_inactive"
  | "not_resolved" // reopened before the survey went out
  | "newer_conversation" // the customer wrote again (after the reopen window) and that conversation is still open
  | "stopped" // the customer asked for no more surveys
  | "automatic" // the other side is a machine: its last message was an auto-reply, a bounce or bulk mail
  | "no_customer_message"
  | "no_agent_reply" // nobody handled it (spam closed unanswered)
  | "recent_survey"; // surveyed within the team's minimum days

export interface SurveyCandidate {
  settings: CsatSettings | null;
  kindAsks: boolean;
  channelActive: boolean;
  status: string;
  stopped: boolean;
  /** Whether the customer's last message was automatic; null when they never wrote. */
  lastInboundAutomatic: boolean | null;
  agentReplied: boolean;
  /** The customer has a later conversation that is not resolved (they wrote again before the survey went out). */
  newerOpen?: boolean;
  /** When this customer was last sent a survey (any channel, any conversation). */
  lastSurveyAt: number | null;
  now: number;
}

export function surveyHold(c: SurveyCandidate): SurveyHold | null {
  if (!c.settings?.enabled) return "disabled";
  if (!c.kindAsks) return "channel_cannot_ask";
  if (!c.channelActive) return "channel_inactive";
  if (c.status !== "resolved") return "not_resolved";
  if (c.newerOpen) return "newer_conversation";
  if (c.stopped) return "stopped";
  if (c.lastInboundAutomatic === null) return "no_customer_message";
  if (c.lastInboundAutomatic) return "automatic";
  if (!c.agentReplied) return "no_agent_reply";
  if (c.lastSurveyAt !== null && c.settings.minDaysBetween > 0 && c.now - c.lastSurveyAt < c.settings.minDaysBetween * 86400_000) return "recent_survey";
  return null;
}

/** What a customer's message says to a survey waiting for their answer. */
export type SurveyReply =
  | { kind: "rating"; rating: number; comment: string | null }
  | { kind: "out_of_range"; value: string }
  | { kind: "stop" };

// Words a customer sends to be left alone, compared without diacritics or case.
const STOP = new Set([
  "stop", "unsubscribe", "dung", "dung lai", "dung gui", "dung gui nua", "ngung", "ngung gui", "huy", "huy dang ky",
  "khong nhan", "khong nhan khao sat", "khong khao sat", "tu choi", "dung khao sat", "ngung khao sat",
]);

const FULLWIDTH = /[０-９]/g;

/**
 * "5", "5 sao", "5/5", "⭐⭐⭐⭐", "4 - giao hơi chậm" rate; a bare number outside 1–5 ("0", "10") is
 * refused; "STOP", "dừng", "hủy" stop surveys; anything else is not an answer (a new question).
 */
export function readSurveyReply(text: string): SurveyReply | null {
  const t = text.replace(FULLWIDTH, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).trim();
  if (!t || t.length > MAX_COMMENT) return null;
  const folded = foldVietnamese(t).replace(/[.!,;:~]+$/g, "").replace(/\s+/g, " ").trim();
  if (STOP.has(folded)) return { kind: "stop" };
  const stars = /^(?:⭐|★|🌟){1,9}$/u.exec(t.replace(/\uFE0F|\s/g, ""));
  if (stars) {
    const n = Array.from(stars[0]).length;
    return n >= 1 && n <= 5 ? { kind: "rating", rating: n, comment: null } : { kind: "out_of_range", value: String(n) };
  }
  const m = /^(\d{1,3})\s*(\/\s*5|sao|điểm|diem|stars?|⭐|★)?([\s\S]*)$/iu.exec(t);
  if (!m) return null;
  const n = Number(m[1]);
  const rest = m[3];
  // A comment follows a separator ("4 - chậm") or a unit ("5 sao shop nhiệt tình"); "5 cái" is an order.
  const sep = /^\s*[-–:,.;]\s*/.exec(rest);
  const comment = !rest.trim() ? null : sep ? rest.slice(sep[0].length).trim() || null : m[2] && /^\s/.test(rest) ? rest.trim() : undefined;
  if (comment === undefined) return null;
  if (n >= 1 && n <= 5) return { kind: "rating", rating: n, comment: comment ? comment.slice(0, MAX_COMMENT) : null };
  // "10 cái" is an order, not a rating; a bare out-of-range number answers the survey wrongly.
  return comment ? null : { kind: "out_of_range", value: m[1] };
}

/** The survey's language: English when the customer wrote in English, else Vietnamese. */
export function surveyLanguage(customerText: string | null): SurveyLanguage {
  if (!customerText) return "vi";
  if (/[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i.test(customerText)) return "vi";
  return /\b(?:the|please|thanks?|thank you|hello|hi|my|order|you|is|what|when|can|how)\b/i.test(customerText) ? "en" : "vi";
}

/** Response rate of a set of surveys sent (reports: beside the `csat` score, per agent, team and channel). */
export interface SurveyFigures {
  csat_surveys_sent: number;
  csat_surveys_answered: number;
  /** answered / sent, 0..1 with two decimals; null with nothing sent. */
  csat_response_rate: number | null;
}

export function surveyFigures(surveys: { answered: boolean }[] = []): SurveyFigures {
  const answered = surveys.filter((s) => s.answered).length;
  return {
    csat_surveys_sent: surveys.length,
    csat_surveys_answered: answered,
    csat_response_rate: surveys.length ? Math.round((answered / surveys.length) * 100) / 100 : null,
  };
}

/** A survey as the outbox hands it to a kind's sendSurvey (OutboundMessage.survey). */
export interface OutboundSurvey {
  id: number;
  language: SurveyLanguage;
  /** The team's question (also the message's text). */
  question: string;
  /** One signed, single-use link per rating, for kinds that answer by link (email). */
  links: { rating: number; url: string }[];
  /** A signed link that stops surveys to this customer. */
  stopUrl: string;
}

/** What the customer reads around the question, by how the channel takes the answer. */
export const SURVEY_WORDS: Record<SurveyLanguage, { tap: string; reply: string; click: string; stop: string; stopReply: string; subject: string }> = {
  vi: {
    tap: "Chọn từ 1 (rất không hài lòng) đến 5 (rất hài lòng).",
    reply: "Trả lời bằng một số từ 1 (rất không hài lòng) đến 5 (rất hài lòng).",
    click: "Bấm vào một số để đánh giá, từ 1 (rất không hài lòng) đến 5 (rất hài lòng):",
    stop: "Không nhận khảo sát nữa",
    stopReply: "Nhắn STOP nếu không muốn nhận khảo sát.",
    subject: "Bạn đánh giá hỗ trợ của chúng tôi thế nào?",
  },
  en: {
    tap: "Choose from 1 (very unsatisfied) to 5 (very satisfied).",
    reply: "Reply with a number from 1 (very unsatisfied) to 5 (very satisfied).",
    click: "Click a number to rate us, from 1 (very unsatisfied) to 5 (very satisfied):",
    stop: "No more surveys",
    stopReply: "Reply STOP to get no more surveys.",
    subject: "How did we do?",
  },
};
