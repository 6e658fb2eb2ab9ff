// Login, logout, first run (create the first admin), preferences and password change.
import { PanoError } from "../../../domain/errors.ts";
import { phoneUserIdOf } from "../../../domain/phone-user.ts";
import { Hono, type Context } from "hono";
import { setCookie, deleteCookie, getCookie } from "hono/cookie";
import type { Pano } from "../../../pano.ts";
import { SESSION_COOKIE, PUSH_DEVICE_COOKIE } from "../../auth.ts";
import { rateLimiter } from "../../rate-limit.ts";
import { removeSubscription } from "../../../store/push-subscriptions.ts";
import { clientIp } from "../../client-ip.ts";
import { sameOriginPath } from "../../return-path.ts";
import { anonymousViewContext, buildViewContext, pageSession, type PageEnv } from "../../view-context.ts";
import { LoginPage, SetupPage } from "../../../../views/auth/login.tsx";
import { AccountPage } from "../../../../views/auth/account.tsx";
import { isLang } from "../../../../views/i18n/index.ts";

const MIN_PASSWORD = 10;
// 20 failed tries per IP in 10 minutes: enough for a typo-prone team behind one NAT, too few to
// guess. Successful sign-ins do not count, so a whole office signing in each morning is never locked out.
const LOGIN_TRIES = { max: 20, windowMs: 10 * 60_000 };

/** Only a path of Pano's own: anything else would make login an open redirect. */
const safeNext = (c: Context, next: string | undefined | null) => sameOriginPath(next, new URL(c.req.url).origin);

const field = (body: Record<string, unknown>, name: string) => (typeof body[name] === "string" ? (body[name] as string) : "");

export function authPageRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  const secure = pano.config.publicUrl.startsWith("https:");
  const needsSetup = () => !pano.config.adminEmail && !pano.users.hasActiveAdmin();
  // Counted across instances on PostgreSQL: a guesser spreading tries over them gains nothing.
  const loginLimiter = rateLimiter(pano, "login", LOGIN_TRIES.max, LOGIN_TRIES.windowMs);

  async function startSession(c: Context, userId: number, remember: boolean) {
    const s = await pano.users.createSession(userId, remember);
    // Without "remember me" the cookie dies with the browser; the server-side expiry still applies.
    setCookie(c, SESSION_COOKIE, s.id, { httpOnly: true, sameSite: "Lax", secure, path: "/", ...(remember ? { maxAge: s.maxAgeSec } : {}) });
    return s;
  }

  app.get("/", (c) => c.redirect("/inbox", 302));

  app.get("/login", (c) => {
    if (needsSetup()) return c.redirect("/setup", 302);
    const ctx = anonymousViewContext(c);
    const notice = c.req.query("out") ? ctx.t("auth.logged_out") : undefined;
    return c.html(LoginPage({ ctx, next: safeNext(c, c.req.query("next")), state: { notice } }));
  });

  app.post("/login", async (c) => {
    const ctx = anonymousViewContext(c);
    const body = await c.req.parseBody();
    const email = field(body, "email");
    const next = safeNext(c, field(body, "next"));
    // Behind a reverse proxy (PANO_TRUST_PROXY) each person is counted by the address the proxy saw.
    const ip = clientIp(c, pano.config.trustProxy);
    // Counted before the password check, so a burst of parallel guesses cannot all slip past it.
    if (!loginLimiter.allow(ip)) {
      return c.html(LoginPage({ ctx, next, state: { error: ctx.t("auth.rate_limited"), values: { email } } }), 429, { "retry-after": "600" });
    }
    const user = await pano.users.verifyPassword(email, field(body, "password"));
    if (!user) return c.html(LoginPage({ ctx, next, state: { error: ctx.t("auth.failed"), values: { email } } }), 401);
    loginLimiter.forgive(ip);
    await startSession(c, user.id, field(body, "remember") === "1");
    return c.redirect(next, 303);
  });

  app.get("/setup", (c) => (needsSetup() ? c.html(SetupPage({ ctx: anonymousViewContext(c), state: {} })) : c.redirect("/login", 302)));

  app.post("/setup", async (c) => {
    if (!needsSetup()) return c.redirect("/login", 302);
    const ctx = anonymousViewContext(c);
    const body = await c.req.parseBody();
    const values = { name: field(body, "name").trim(), email: field(body, "email").trim() };
    const password = field(body, "password");
    const error = !/^[^\s@]+@[^\s@]+$/.test(values.email) ? "auth.email_invalid"
      : password.length < MIN_PASSWORD ? "auth.password_short"
      : password !== field(body, "confirm") ? "auth.password_mismatch" : null;
    if (error) return c.html(SetupPage({ ctx, state: { error: ctx.t(error), values } }), 422);
    const user = await pano.users.create({ email: values.email, password, name: values.name || undefined, role: "admin" });
    await pano.users.setPreferences(user.id, { language: ctx.lang });
    await startSession(c, user.id, false);
    return c.redirect("/inbox", 303);
  });

  app.post("/logout", pageSession(pano), async (c) => {
    const sid = getCookie(c, SESSION_COOKIE);
    if (sid) await pano.users.endSession(sid);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    // A shared shop computer or phone stops receiving this person's customers' messages.
    const device = Number(getCookie(c, PUSH_DEVICE_COOKIE));
    if (Number.isSafeInteger(device) && device > 0) {
      const userId = c.get("user").id;
      await pano.writer.submit((tx) => removeSubscription(tx, userId, { id: device }));
    }
    deleteCookie(c, PUSH_DEVICE_COOKIE, { path: "/" });
    return c.redirect(`/login?out=1&lang=${c.get("view").lang}`, 303);
  });

  const account = new Hono<PageEnv>();
  account.use("*", pageSession(pano));
  const accountPage = (c: Context<PageEnv>, prefs = {}, password = {}, status: 200 | 422 = 200) =>
    c.html(AccountPage({ ctx: c.get("view"), prefs, password, phoneUserId: pano.users.byId(c.get("user").id)?.phone_user_id ?? null }), status);

  account.get("/", (c) => accountPage(c));

  account.post("/", async (c) => {
    const body = await c.req.parseBody();
    const lang = field(body, "language");
    const tz = field(body, "timezone");
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
    } catch {
      return accountPage(c, { error: c.get("view").t("prefs.timezone_invalid") }, {}, 422);
    }
    const user = c.get("user");
    // Only when the form has the field: the header's language switch posts elsewhere, older forms leave it out.
    if ("phone_user_id" in body) {
      const phoneUserId = phoneUserIdOf(field(body, "phone_user_id"));
      if (phoneUserId === undefined) return accountPage(c, { error: c.get("view").t("call.phone_user_id_invalid") }, {}, 422);
      try {
        await pano.users.setPhoneUserId(user.id, phoneUserId);
      } catch (err) {
        if (!(err instanceof PanoError && err.field === "phone_user_id")) throw err;
        return accountPage(c, { error: c.get("view").t("call.phone_user_id_taken") }, {}, 422);
      }
    }
    await pano.users.setPreferences(user.id, { language: isLang(lang) ? lang : user.language, timezone: tz });
    const fresh = pano.users.byId(user.id)!;
    c.set("view", buildViewContext(fresh, c.get("csrf")!));
    return accountPage(c, { notice: c.get("view").t("prefs.saved") });
  });

  // The header's language switch: save, then back to the page the agent was on.
  account.post("/language", async (c) => {
    const lang = field(await c.req.parseBody(), "language");
    if (isLang(lang)) await pano.users.setPreferences(c.get("user").id, { language: lang });
    return c.redirect(sameOriginPath(c.req.header("referer"), new URL(c.req.url).origin, "/inbox"), 303);
  });

  account.post("/password", async (c) => {
    const body = await c.req.parseBody();
    const { t } = c.get("view");
    const user = c.get("user");
    const password = field(body, "password");
    const fail = (key: Parameters<typeof t>[0]) => accountPage(c, {}, { error: t(key) }, 422);
    if (password.length < MIN_PASSWORD) return fail("auth.password_short");
    if (password !== field(body, "confirm")) return fail("auth.password_mismatch");
    if (!(await pano.users.verifyPassword(user.email, field(body, "current")))) return fail("auth.password_wrong");
    // setPassword ends every session (a leaked one too); this browser gets a fresh one.
    await pano.users.setPassword(user.id, password);
    const s = await startSession(c, user.id, false);
    c.set("view", buildViewContext(user, s.csrf));
    return accountPage(c, {}, { notice: t("auth.password_changed") });
  });

  app.route("/account", account);
  return app;
}

