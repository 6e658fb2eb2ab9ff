// Who is asking: API bearer tokens for /api, session cookies (with CSRF) for the web UI.
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Pano } from "../pano.ts";
import type { UserRow } from "../store/users.ts";
import type { Viewer } from "../domain/conversation.ts";
import { PanoError } from "../domain/errors.ts";
import { grantRefusal, type RequestNeed, type TokenGrant } from "../domain/token-scope.ts";
import { getConversation } from "../store/conversations.ts";

export interface AuthVars {
  user: UserRow;
  viewer: Viewer;
  csrf: string | null;
  /** An API token's grant and what this request asks of it; unset for a signed-in session (its role decides alone). */
  token?: { grant: TokenGrant; need: RequestNeed };
}

export type Env = { Variables: AuthVars };

export const SESSION_COOKIE = "pano_session";
/** Names this browser's own Web Push subscription, so logging out stops pushes to a shared device. */
export const PUSH_DEVICE_COOKIE = "pano_push_device";

export function bearerAuth(pano: Pano): MiddlewareHandler<Env> {
  return async (c, next) => {
    const h = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    if (!m) throw new PanoError("unauthorized", "Missing bearer token: send Authorization: Bearer <token>");
    const auth = pano.users.tokenAuth(m[1]);
    if (!auth) throw new PanoError("unauthorized", "Invalid or revoked API token");
    const { user, grant } = auth;
    c.set("user", user);
    // Cached in the store (API calls come in thousands a second at peaks); a role or team change clears it.
    c.set("viewer", pano.users.cachedViewer(user));
    c.set("csrf", null);
    c.set("token", { grant, need: requestNeed(pano, c) });
    enforceGrant(c);
    await next();
  };
}

const CHANNEL_ROUTE = /^\/api\/v1\/channels\/(\d+)(\/inbound)?(?:\/|$)/;
const CONVERSATION_ROUTE = /^\/api\/v1\/conversations\/(\d+)(?:\/|$)/;

/** The route class of an API request: its method's scope and the channel it is about. */
function requestNeed(pano: Pano, c: Context<Env>): RequestNeed {
  const scope = ["GET", "HEAD"].includes(c.req.method) ? "read" : "write";
  const channel = CHANNEL_ROUTE.exec(c.req.path);
  if (channel) return { scope, channelId: Number(channel[1]), inbound: !!channel[2] && c.req.method === "POST" };
  const conv = CONVERSATION_ROUTE.exec(c.req.path);
  if (conv) return { scope, channelId: getConversation(pano.store.sqlite, Number(conv[1]))?.channel_id ?? null };
  return { scope, channelId: null };
}

/**
 * The one check of an API token's scopes and channels: every API request passes it before its
 * route (bearerAuth), and admin-only routes ask it again for the admin scope (requireRole).
 */
function enforceGrant(c: Context<Env>, adminRoute = false): void {
  const token = c.get("token");
  if (!token) return;
  const refusal = grantRefusal(token.grant, c.get("user").role, { ...token.need, admin: adminRoute });
  if (refusal) throw new PanoError("forbidden", refusal);
}

/**
 * A live stream lives as long as the credential that opened it (this request's session cookie or
 * bearer token): `end` is called as soon as that is revoked. Returns the unsubscribe function.
 */
export function endOnRevocation<E extends Env>(pano: Pano, c: Context<E>, end: () => void): () => void {
  const userId = c.get("user").id;
  const bearer = c.get("token") ? /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1] : undefined;
  const sid = bearer ? undefined : getCookie(c, SESSION_COOKIE);
  const valid = () => (bearer ? !!pano.users.tokenAuth(bearer) : !!sid && !!pano.users.session(sid, Date.now()));
  let ended = false;
  const check = () => {
    if (!ended && !valid()) (ended = true), end();
  };
  const stop = pano.users.onRevoked((id) => id === userId && check());
  check(); // revoked between the request's check and this subscription
  if (pano.store.kind !== "postgres") return stop;
  // Several instances: a revocation on another one is not heard here, so the credential is looked up again now and then.
  const timer = setInterval(check, REVOCATION_CHECK_MS);
  (timer as { unref?: () => void }).unref?.();
  return () => {
    clearInterval(timer);
    stop();
  };
}

/** How soon a live stream on one instance ends after its credential was revoked on another (PostgreSQL). */
export const REVOCATION_CHECK_MS = 10_000;

/** Pages: no session -> login (htmx requests get HX-Redirect so the whole page goes, not a fragment). */
export function sessionAuth(pano: Pano): MiddlewareHandler<Env> {
  return async (c, next) => {
    const sid = getCookie(c, SESSION_COOKIE);
    const s = sid ? pano.users.session(sid, Date.now()) : null;
    if (!s) return redirectToLogin(c);
    c.set("user", s.user);
    c.set("viewer", pano.users.viewer(s.user));
    c.set("csrf", s.csrf);
    if (!["GET", "HEAD"].includes(c.req.method)) {
      const sent = c.req.header("x-csrf-token") ?? (await formField(c, "_csrf"));
      if (!sent || !timingSafeEqual(sent, s.csrf)) throw new PanoError("csrf_failed", "CSRF token missing or wrong; reload the page");
    }
    await next();
  };
}

export function redirectToLogin(c: Context): Response {
  const next = encodeURIComponent(new URL(c.req.url).pathname);
  if (c.req.header("hx-request")) return c.body(null, 200, { "HX-Redirect": `/login?next=${next}` });
  return c.redirect(`/login?next=${next}`, 302);
}

async function formField(c: Context, name: string): Promise<string | null> {
  const type = c.req.header("content-type") ?? "";
  if (!type.includes("form")) return null;
  const body = await c.req.parseBody();
  const v = body[name];
  return typeof v === "string" ? v : null;
}

export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let r = 0;
  for (let i = 0; i < a.length; i++) r |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return r === 0;
}

export function requireRole(...roles: UserRow["role"][]): MiddlewareHandler<Env> {
  const adminOnly = roles.length === 1 && roles[0] === "admin";
  return async (c, next) => {
    if (!roles.includes(c.get("user").role)) throw new PanoError("forbidden", "Your role does not allow this");
    if (adminOnly) enforceGrant(c, true);
    await next();
  };
}

/** Bounded memory under a spray of addresses. */
const MAX_LIMITED_KEYS = 10_000;

/** A sliding-window limiter per key (IP): login attempts, webhooks. */
export class RateLimiter {
  // Oldest-seen first (a key is moved to the end on each look): over the cap the longest-quiet
  // key goes, so a spray of new addresses cannot wipe out an address that keeps guessing.
  private hits = new Map<string, number[]>();
  constructor(private max: number, private windowMs: number) {}
  /** True when `key` has used up its allowance, without counting this look as a hit. */
  exhausted(key: string, now = Date.now()): boolean {
    const list = this.hits.get(key)?.filter((t) => t > now - this.windowMs);
    if (!list || list.length < this.max) return false;
    this.remember(key, list);
    return true;
  }
  allow(key: string, now = Date.now()): boolean {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    const allowed = list.length < this.max;
    if (allowed) list.push(now);
    this.remember(key, list);
    return allowed;
  }
  private remember(key: string, list: number[]): void {
    this.hits.delete(key);
    this.hits.set(key, list);
    if (this.hits.size > MAX_LIMITED_KEYS) this.hits.delete(this.hits.keys().next().value!);
  }
  /** Takes back the latest hit of `key` (an attempt that turned out fine). */
  forgive(key: string): void {
    this.hits.get(key)?.pop();
  }
}
