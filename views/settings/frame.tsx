// The settings shell: the page layout plus a side menu of settings areas for this user's role.
import type { Child } from "hono/jsx";
import type { ViewContext } from "../context.ts";
import type { MessageKey } from "../i18n/index.ts";
import { Layout, asset } from "../layout.tsx";

export type SettingsArea = "channels" | "users" | "teams" | "canned" | "tokens" | "routing" | "system";

const AREAS: { area: SettingsArea; href: string; label: MessageKey; adminOnly: boolean }[] = [
  { area: "channels", href: "/settings/channels", label: "settings.nav.channels", adminOnly: true },
  { area: "users", href: "/settings/users", label: "settings.nav.users", adminOnly: true },
  { area: "teams", href: "/settings/teams", label: "settings.nav.teams", adminOnly: true },
  { area: "canned", href: "/settings/canned-replies", label: "settings.nav.canned", adminOnly: false },
  { area: "routing", href: "/settings/routing", label: "settings.nav.routing", adminOnly: true },
  { area: "tokens", href: "/settings/tokens", label: "settings.nav.tokens", adminOnly: true },
  { area: "system", href: "/settings/system", label: "settings.nav.system", adminOnly: true },
];

export function SettingsFrame(props: { ctx: ViewContext; area: SettingsArea; title: string; notice?: string | null; children?: Child }) {
  const { ctx } = props;
  const areas = AREAS.filter((a) => !a.adminOnly || ctx.user.role === "admin");
  return (
    <Layout ctx={ctx} title={props.title} area="settings" bodyClass="settings-page">
      <link rel="stylesheet" href={asset("settings.css")} />
      <div class="settings">
        <nav class="settings-nav" aria-label={ctx.t("settings.title")}>
          <h2>{ctx.t("settings.title")}</h2>
          <ul>
            {areas.map((a) => (
              <li><a href={a.href} aria-current={a.area === props.area ? "page" : undefined}>{ctx.t(a.label)}</a></li>
            ))}
          </ul>
        </nav>
        <section class="settings-body">
          <h1>{props.title}</h1>
          {props.notice ? <p class="notice" role="status">{props.notice}</p> : null}
          {props.children}
        </section>
      </div>
    </Layout>
  );
}

/** The hidden CSRF field every settings form carries (works without JavaScript too). */
export const Csrf = (props: { ctx: ViewContext }) => <input type="hidden" name="_csrf" value={props.ctx.csrf} />;

/** A one-button form (pause, delete, revoke) with an optional confirmation. */
export function ActionButton(props: { ctx: ViewContext; action: string; label: string; confirm?: string; danger?: boolean; fields?: Record<string, string> }) {
  return (
    <form method="post" action={props.action} class="inline-form" data-confirm={props.confirm}>
      <Csrf ctx={props.ctx} />
      {Object.entries(props.fields ?? {}).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
      <button type="submit" class={props.danger ? "btn btn-danger" : "btn"}>{props.label}</button>
    </form>
  );
}
