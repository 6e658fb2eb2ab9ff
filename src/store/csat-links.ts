// The links an emailed survey carries: one per rating and one to stop surveys, signed with a key
// kept in the database (made by the migration), valid LINK_DAYS after the survey went out. The
// signature covers the survey, the rating and the expiry; the conversation in the link is checked
// against the survey's own, so a link copied onto another conversation says so.
import type { Database } from "bun:sqlite";
import { createHmac, timingSafeEqual } from "node:crypto";
import { LINK_DAYS, RATINGS, type OutboundSurvey, type SurveyLanguage } from "../domain/csat.ts";

const keys = new WeakMap<Database, string>();

function keyOf(db: Database): string {
  let k = keys.get(db);
  if (!k) {
    k = db.query<{ key: string }, []>("SELECT key FROM csat_link_key WHERE id = 1").get()?.key;
    if (!k) throw new Error("csat_link_key is missing (migration 0011)");
    keys.set(db, k);
  }
  return k;
}

export type LinkPurpose = "rate" | "comment" | "stop";

const sign = (db: Database, purpose: LinkPurpose, surveyId: number, rating: number, expires: number) =>
  createHmac("sha256", keyOf(db)).update(`${purpose}|${surveyId}|${rating}|${expires}`).digest("base64url");

export interface LinkParams { c: number; s: number; r: number; e: number; sig: string }

export function linkQuery(db: Database, purpose: LinkPurpose, conversationId: number, surveyId: number, rating: number, expires: number): string {
  return new URLSearchParams({ c: String(conversationId), s: String(surveyId), r: String(rating), e: String(expires), sig: sign(db, purpose, surveyId, rating, expires) }).toString();
}

export type LinkVerdict = { ok: true; surveyId: number; rating: number; expires: number } | { ok: false; reason: "forged" | "expired" | "other_conversation" };

export function readLink(db: Database, purpose: LinkPurpose, q: (name: string) => string | undefined, surveyConversation: (surveyId: number) => number | null, now: number): LinkVerdict {
  const num = (n: string) => (/^\d{1,15}$/.test(q(n) ?? "") ? Number(q(n)) : NaN);
  const p = { c: num("c"), s: num("s"), r: num("r"), e: num("e"), sig: q("sig") ?? "" };
  if ([p.c, p.s, p.r, p.e].some(Number.isNaN)) return { ok: false, reason: "forged" };
  const want = Buffer.from(sign(db, purpose, p.s, p.r, p.e));
  const got = Buffer.from(p.sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return { ok: false, reason: "forged" };
  if (p.e < now) return { ok: false, reason: "expired" };
  if (surveyConversation(p.s) !== p.c) return { ok: false, reason: "other_conversation" };
  return { ok: true, surveyId: p.s, rating: p.r, expires: p.e };
}

/** The survey of an outgoing message, with its links, for the kind that sends it; null when it is no survey. */
export function outboundSurvey(db: Database, messageId: number, question: string, publicUrl: string): OutboundSurvey | null {
  const s = db.query<{ id: number; conversation_id: number; language: SurveyLanguage; sent_at: number | null }, [number]>(
    "SELECT id, conversation_id, language, sent_at FROM csat_surveys WHERE message_id = ?",
  ).get(messageId);
  if (!s || s.sent_at === null) return null;
  const expires = s.sent_at + LINK_DAYS * 86400_000;
  const base = publicUrl.replace(/\/$/, "");
  return {
    id: s.id,
    language: s.language,
    question,
    links: RATINGS.map((rating) => ({ rating, url: `${base}/csat/rate?${linkQuery(db, "rate", s.conversation_id, s.id, rating, expires)}` })),
    stopUrl: `${base}/csat/stop?${linkQuery(db, "stop", s.conversation_id, s.id, 0, expires)}`,
  };
}
