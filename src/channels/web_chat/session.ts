// Visitors' sessions are signed tokens, stored nowhere: a visitor who never writes costs Pano no
// row, so a flood of new sessions cannot fill the database. The token names its subject, the
// contact identity on this channel: "v_<128 random bits>" for an anonymous visitor, "u_<id>" for a
// shop customer whose identity hash was checked when the session was made.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export interface VisitorSession {
  channelId: number;
  /** The contact identity's external id on this channel. */
  subject: string;
  verified: boolean;
  issuedAt: number;
  /** A verified customer's name, email and phone as the shop vouched for them. */
  claims?: { name?: string; email?: string; phone?: string };
}

/** An unused session (no message yet) older than this is refused: the widget starts a new one. */
export const UNUSED_SESSION_MS = 24 * 60 * 60_000;

const sign = (key: string, body: string) => createHmac("sha256", key).update(body).digest().subarray(0, 24).toString("base64url");

export function anonymousSubject(): string {
  return "v_" + randomBytes(16).toString("base64url");
}

export function issueSession(key: string, channelId: number, subject: string, verified: boolean, now: number, claims?: VisitorSession["claims"]): string {
  const body = Buffer.from(JSON.stringify({ c: channelId, s: subject, v: verified ? 1 : 0, t: now, ...(claims ? { u: claims } : {}) })).toString("base64url");
  return `${body}.${sign(key, body)}`;
}

/** The session a token carries, or null when it was not signed with this channel's key. */
export function readSession(key: string, channelId: number, token: string | undefined | null): VisitorSession | null {
  if (!token || token.length > 600) return null;
  const dot = token.indexOf(".");
  if (dot < 1) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), "base64url");
  const want = Buffer.from(sign(key, body), "base64url");
  if (given.length !== want.length || !timingSafeEqual(given, want)) return null;
  try {
    const p = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    if (p.c !== channelId || typeof p.s !== "string" || typeof p.t !== "number") return null;
    return { channelId, subject: p.s, verified: p.v === 1, issuedAt: p.t, ...(p.v === 1 && p.u ? { claims: p.u } : {}) };
  } catch {
    return null;
  }
}
