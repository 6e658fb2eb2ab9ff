// Pages (not the API) run behind this: the session cookie gives the user, the CSRF token and
// the ViewContext every view renders with (language, time zone). Settings pages use it too.
import type { Context, ErrorHandler, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Pano } from "../pano.ts";
import type { UserRow } from "../store/users.ts";
import type { ViewContext } from "../../views/context.ts";
import { isLang, translator, type Lang } from "../../views/i18n/index.ts";
import { ErrorPage } from "../../views/layout.tsx";
import { SESSION_COOKIE, redirectToLogin, timingSafeEqual, type AuthVars } from "./auth.ts";
import { PanoError } from "../domain/errors.ts";

export type PageEnv = { Variables: AuthVars & { view: ViewContext } };

export const DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh";

function validTimeZone(tz: string | null | undefined): string {
  if (!tz) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

export function buildViewContext(user: UserRow, csrf: string, lang?: Lang): ViewContext {
  const l = lang ?? (isLang(user.language) ? user.language : "vi");
  return { user, lang: l, t: translator(l), timeZone: validTimeZone(user.timezone), csrf, now: Date.now() };
}

/** A context for pages shown before login (login, first run): language from the browser. */
export function anonymousViewContext(c: Context): Omit<ViewContext, "user"> & { user: null } {
  const lang: Lang = /^en/i.test(c.req.query("lang") ?? c.req.header("accept-language") ?? "") && !/^vi/i.test(c.req.query("lang") ?? "") ? "en" : "vi";
  return { user: null, lang, t: translator(lang), timeZone: DEFAULT_TIME_ZONE, csrf: "", now: Date.now() };
}

const formContent = (c: Context) => /form/.test(c.req.header("content-type") ?? "");

/** Session -> user, viewer, CSRF check on writes, ViewContext. Expired: to login (HX-Redirect for htmx). */
export function pageSession(pano: Pano): MiddlewareHandler<PageEnv> {
  return async (c, next) => {
    const sid = getCookie(c, SESSION_COOKIE);
    const s = sid ? pano.users.session(sid, Date.now()) : null;
    if (!s) return redirectToLogin(c);
    c.set("user", s.user);
    c.set("viewer", pano.users.viewer(s.user));
    c.set("csrf", s.csrf);
    const view = buildViewContext(s.user, s.csrf);
    c.set("view", view);
    if (!["GET", "HEAD"].includes(c.req.method)) {
      // A browser sends its Referer as an absolute URL; one that does not parse was written by hand.
      const referer = c.req.header("referer");
      if (referer !== undefined && !URL.canParse(referer)) return renderError(c, view, 403, view.t("error.csrf"));
      const body = formContent(c) ? await c.req.parseBody() : {};
      const sent = c.req.header("x-csrf-token") ?? (typeof body._csrf === "string" ? body._csrf : null);
      if (!sent || !timingSafeEqual(sent, s.csrf)) return renderError(c, view, 403, view.t("error.csrf"));
    }
    await next();
  };
}

export function renderError(c: Context, view: ViewContext | ReturnType<typeof anonymousViewContext>, status: 400 | 403 | 404 | 422 | 429 | 500, message: string) {
  // htmx swaps only the message into the toast area (pano.js); a full page otherwise.
  if (c.req.header("hx-request")) return c.html(`<p role="alert">${escapeText(message)}</p>`, status, { "HX-Reswap": "none" });
  return c.html(ErrorPage({ ctx: view, status, message }), status);
}

/** Several rendered views as one fragment (a route file has no JSX of its own). */
export const joinHtml = (...nodes: unknown[]): string => nodes.map((n) => (n === null || n === undefined ? "" : String(n))).join("");

const escapeText = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Page routers' onError: domain errors become localised pages, never JSON or a stack trace. */
export function pageErrorHandler(pano: Pano): ErrorHandler<PageEnv> {
  return (err, c) => {
    const view = c.get("view") ?? anonymousViewContext(c);
    if (err instanceof PanoError) {
      const status = err.code === "not_found" ? 404 : err.code === "forbidden" || err.code === "csrf_failed" ? 403 : err.code === "rate_limited" ? 429 : 422;
      const key = status === 404 ? "error.not_found" : err.code === "csrf_failed" ? "error.csrf" : status === 403 ? "error.forbidden" : null;
      return renderError(c, view, status, key ? view.t(key) : err.message);
    }
    pano.log("error", "page failed", { path: c.req.path, error: String((err as Error)?.stack ?? err) });
    return renderError(c, view, 500, view.t("error.generic"));
  };
}
