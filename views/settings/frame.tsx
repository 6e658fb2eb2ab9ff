// The settings shell: the page layout plus a side menu of settings areas for this user's role.
import type { Child } from "hono/jsx";
import type { ViewContext } from "../context.ts";
import { Layout, asset } from "../layout.tsx";
import type { Role } from "../../src/domain/conversation.ts";

export type SettingsArea = "channels" | "users" | "teams" | "canned" | "tokens" | "routing" | "system" | "webhooks" | "sla" | "categories" | "qa" | "macros" | "duplicates";

const AREAS: { area: SettingsArea; href: string; label: Parameters<ViewContext["t"]>[0]; roles: Role[] }[] = [
  { area: "channels", href: "/settings/channels", label: "settings.nav.channels", roles: ["admin"] },
  { area: "users", href: "/settings/users", label: "settings.nav.users", roles: ["admin"] },
  { area: "teams", href: "/settings/teams", label: "settings.nav.teams", roles: ["admin", "supervisor"] },
  { area: "canned", href: "/settings/canned-replies", label: "settings.nav.canned", roles: ["admin", "supervisor"] },
  { area: "macros", href: "/settings/macros", label: "settings.nav.macros", roles: ["admin", "supervisor", "agent"] },
  { area: "routing", href: "/settings/routing", label: "settings.nav.routing", roles: ["admin"] },
  { area: "sla", href: "/settings/sla", label: "settings.nav.sla", roles: ["admin", "supervisor"] },
  { area: "categories", href: "/settings/categories", label: "settings.nav.categories", roles: ["admin"] },
  { area: "qa", href: "/settings/qa", label: "qa.settings.nav", roles: ["admin"] },
  { area: "duplicates", href: "/contacts/duplicates", label: "dup.title", roles: ["admin", "supervisor"] },
  { area: "tokens", href: "/settings/tokens", label: "settings.nav.tokens", roles: ["admin"] },
  { area: "webhooks", href: "/settings/webhooks", label: "settings.nav.webhooks", roles: ["admin"] },
  { area: "system", href: "/settings/system", label: "settings.nav.system", roles: ["admin"] },
];

/** Which settings areas a role may open; the router enforces the same table. */
export const mayOpen = (role: Role, area: SettingsArea) => AREAS.some((a) => a.area === area && a.roles.includes(role));
/** Where /settings lands for this role. */
export const firstArea = (role: Role) => AREAS.find((a) => a.roles.includes(role))?.href ?? null;

export function SettingsFrame(props: { ctx: ViewContext; area: SettingsArea; title: string; notice?: string | null; children?: Child }) {
  const { ctx } = props;
  const areas = AREAS.filter((a) => a.roles.includes(ctx.user.role));
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

/**
 * A one-button form (pause, delete, revoke). With `confirm` it is a disclosure: the first click
 * reveals the question and the real button, so nothing is destroyed by one stray click and no
 * script is needed.
 */
export function ActionButton(props: { ctx: ViewContext; action: string; label: string; confirm?: string; danger?: boolean; fields?: Record<string, string> }) {
  const form = (
    <form method="post" action={props.action} class="inline-form">
      <Csrf ctx={props.ctx} />
      {Object.entries(props.fields ?? {}).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
      <button type="submit" class={props.danger ? "danger" : undefined}>{props.label}</button>
    </form>
  );
  if (!props.confirm) return form;
  return (
    <details class="confirm">
      <summary class={props.danger ? "button danger" : "button"}>{props.label}</summary>
      <div class="confirm-box" role="group" aria-label={props.label}>
        <p>{props.confirm}</p>
        {form}
      </div>
    </details>
  );
}

/** A settings list: column headings, then the rows; the last column holds the row's buttons. */
export function DataTable(props: { ctx: ViewContext; class: string; columns: string[]; actions?: boolean; children?: Child }) {
  return (
    <table class={`table ${props.class}`}>
      <thead>
        <tr>
          {props.columns.map((c) => <th scope="col">{c}</th>)}
          {props.actions === false ? null : <th scope="col"><span class="visually-hidden">{props.ctx.t("settings.actions")}</span></th>}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}
