// The page shell every signed-in page renders in: skip link, header with navigation, language
// switch and user menu, then the page. Scripts are deferred files (CSP allows no inline script).
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { ViewContext } from "./context.ts";
import { ChannelAlertSlot } from "./shell/channel-alert.tsx";
import { Icon, asset } from "./shell/icon.tsx";
import { NotificationBell } from "./notifications/bell.tsx";

export type NavArea = "inbox" | "reports" | "qa" | "settings" | "account" | "none";

/** A context before login has no user; the shell then shows no navigation. */
export type ShellContext = Omit<ViewContext, "user"> & { user: ViewContext["user"] | null };

// Re-exported: every view takes Icon and asset from the layout.
export { Icon, asset };

export function Layout(props: { ctx: ShellContext; title: string; area?: NavArea; bodyClass?: string; children?: Child }) {
  const { ctx } = props;
  return (
    <>
      {/* Raw: as a string child it was escaped into visible text and the page fell into quirks mode. */}
      {raw("<!doctype html>")}
      <html lang={ctx.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"historyCacheSize":0,"selfRequestsOnly":true,"defaultSettleDelay":0}' />
          {ctx.csrf ? <meta name="csrf-token" content={ctx.csrf} /> : null}
          <title>{`${props.title} · Pano`}</title>
          <link rel="stylesheet" href={asset("pano.css")} />
          <link rel="stylesheet" href={asset("calls.css")} />
          <link rel="icon" href={`${asset("icons.svg")}`} type="image/svg+xml" />
          <link rel="manifest" href="/manifest.webmanifest" />
          <link rel="apple-touch-icon" href={asset("pano-icon-192.png")} />
          <meta name="theme-color" content="#1d4ed8" />
          <link rel="stylesheet" href={asset("notifications.css")} />
          <script src={asset("htmx.min.js")} defer></script>
          <script src={asset("sse.js")} defer></script>
          <script src={asset("pano.js")} defer></script>
          {ctx.user ? <script src={asset("notifications.js")} defer></script> : null}
        </head>
        <body class={props.bodyClass} hx-headers={ctx.csrf ? JSON.stringify({ "X-CSRF-Token": ctx.csrf }) : undefined} data-lang={ctx.lang}>
          <a class="skip-link" href="#main">{ctx.t("nav.skip")}</a>
          {ctx.user ? <Header ctx={ctx as ViewContext} area={props.area ?? "none"} /> : null}
          {ctx.user ? <ChannelAlertSlot ctx={ctx as ViewContext} /> : null}
          <main id="main" tabindex={-1}>{props.children}</main>
          <div id="toast" class="toast" role="status" aria-live="polite"></div>
        </body>
      </html>
    </>
  );
}

function Header(props: { ctx: ViewContext; area: NavArea }) {
  const { ctx, area } = props;
  const current = (a: NavArea) => (area === a ? "page" : undefined);
  return (
    <header class="topbar">
      <a class="brand" href="/inbox">
        <Icon name="logo" /> <span>Pano</span>
      </a>
      <nav aria-label={ctx.t("nav.main")}>
        <ul>
          <li><a href="/inbox" aria-current={current("inbox")}><Icon name="inbox" /> <span class="label">{ctx.t("nav.inbox")}</span></a></li>
          {ctx.user.role !== "agent" ? (
            <li><a href="/reports" aria-current={current("reports")}><Icon name="chart" /> <span class="label">{ctx.t("nav.reports")}</span></a></li>
          ) : null}
          <li><a href="/qa" aria-current={current("qa")}><Icon name="check" /> <span class="label">{ctx.t("qa.nav")}</span></a></li>
          {ctx.user.role === "admin" ? (
            <li><a href="/settings" aria-current={current("settings")}><Icon name="settings" /> <span class="label">{ctx.t("nav.settings")}</span></a></li>
          ) : null}
        </ul>
      </nav>
      <div class="topbar-end">
        <NotificationBell ctx={ctx} />
        <form class="lang-switch" method="post" action="/account/language">
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <label for="lang-select" class="visually-hidden">{ctx.t("nav.language")}</label>
          <select id="lang-select" name="language" data-autosubmit="">
            <option value="vi" selected={ctx.lang === "vi"}>Tiếng Việt</option>
            <option value="en" selected={ctx.lang === "en"}>English</option>
          </select>
          <button type="submit" class="js-hidden">{ctx.t("nav.language_apply")}</button>
        </form>
        <button type="button" class="icon-button" data-shortcuts="" aria-label={ctx.t("nav.shortcuts")} title={ctx.t("nav.shortcuts")}>?</button>
        <details class="user-menu">
          <summary aria-label={ctx.t("nav.account")}>
            <Avatar name={ctx.user.name} /> <span class="user-name">{ctx.user.name}</span>
          </summary>
          <div class="menu">
            <a href="/account" aria-current={current("account")}>{ctx.t("nav.preferences")}</a>
            <form method="post" action="/logout">
              <input type="hidden" name="_csrf" value={ctx.csrf} />
              <button type="submit">{ctx.t("nav.logout")}</button>
            </form>
          </div>
        </details>
      </div>
    </header>
  );
}

/** Initials in a coloured circle; the colour comes from the name so it is stable. */
export function Avatar(props: { name: string | null | undefined; label?: string }) {
  const name = (props.name ?? "?").trim() || "?";
  const initials = name.split(/\s+/).filter(Boolean).map((w) => w[0]).slice(-2).join("").toUpperCase();
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 8;
  return (
    <span class={`avatar avatar-${h}`} title={props.label ?? name} aria-label={props.label} role={props.label ? "img" : undefined}>
      {initials}
    </span>
  );
}

export function ErrorPage(props: { ctx: ShellContext; status: number; message: string }) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={ctx.t("error.title", { status: props.status })}>
      <section class="error-page">
        <h1>{ctx.t("error.title", { status: props.status })}</h1>
        <p role="alert">{props.message}</p>
        <p><a href={ctx.user ? "/inbox" : "/login"}>{ctx.user ? ctx.t("error.back") : ctx.t("auth.login")}</a></p>
      </section>
    </Layout>
  );
}
