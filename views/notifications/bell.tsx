// The bell in the header: an unread count that refreshes when the live stream says so (the inbox)
// or every minute (other pages), and a menu with the latest notifications, fetched when opened.
// The button that asks the browser for permission to notify sits in the menu: never asked on load.
import type { ViewContext } from "../context.ts";
import { formatDateTime } from "../i18n/index.ts";
import { notificationWords } from "../i18n/notifications.ts";
import { notificationTarget, notificationTitle, type NotificationFacts } from "./words.ts";

export const BELL_COUNT_URL = "/notifications/count";
export const BELL_PANEL_URL = "/notifications/panel";

export function BellIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6zm-2.5 15.5a2.5 2.5 0 0 0 5 0z" fill="currentColor" />
    </svg>
  );
}

export function NotificationBell(props: { ctx: ViewContext }) {
  const t = notificationWords(props.ctx.lang);
  return (
    <details class="notif-menu" id="notif-menu" data-notif-menu="">
      <summary title={t("notif.bell")}>
        <BellIcon />
        <span id="notif-count" hx-get={BELL_COUNT_URL} hx-trigger="load, every 60s, pano:notif from:body, visibilitychange from:document" hx-swap="outerHTML" hx-sync="this:replace">
          <span class="visually-hidden">{t("notif.bell")}</span>
        </span>
      </summary>
      <div class="menu notif-panel" id="notif-panel" hx-get={BELL_PANEL_URL} hx-trigger="toggle from:#notif-menu, pano:notif-panel from:body" hx-swap="innerHTML" role="region" aria-label={t("notif.title")}></div>
    </details>
  );
}

/** The badge (none when nothing is unread) and, for screen readers, the bell's name with the number. */
export function NotificationCount(props: { ctx: ViewContext; unread: number }) {
  const { ctx, unread } = props;
  const t = notificationWords(ctx.lang);
  return (
    <span id="notif-count" data-unread={String(unread)}
      hx-get={BELL_COUNT_URL} hx-trigger="every 60s, pano:notif from:body, visibilitychange from:document" hx-swap="outerHTML" hx-sync="this:replace">
      {unread ? <span class="notif-badge" aria-hidden="true">{unread > 99 ? "99+" : String(unread)}</span> : null}
      <span class="visually-hidden">{unread ? t("notif.bell_unread", { n: unread }) : t("notif.bell")}</span>
    </span>
  );
}

export interface NotificationItem extends NotificationFacts {
  id: number;
  created_at: number;
  read_at: number | null;
}

export function NotificationItems(props: { ctx: ViewContext; items: NotificationItem[] }) {
  if (!props.items.length) return <p class="muted notif-empty">{notificationWords(props.ctx.lang)("notif.empty")}</p>;
  return <ul class="notif-list">{props.items.map((n) => <NotificationEntry ctx={props.ctx} n={n} />)}</ul>;
}

export function NotificationEntry(props: { ctx: ViewContext; n: NotificationItem }) {
  const { ctx, n } = props;
  const t = notificationWords(ctx.lang);
  return (
    <li class={n.read_at ? "notif-item" : "notif-item unread"} id={`notif-${n.id}`} data-kind={n.kind}>
      <a href={`/notifications/${n.id}/open`} data-target={notificationTarget(n)}>
        <strong>{notificationTitle(n, t)}</strong>
        {n.data.preview ? <span class="notif-preview">{n.data.preview}</span> : null}
        <time datetime={new Date(n.created_at).toISOString()}>{formatDateTime(n.created_at, ctx.lang, ctx.timeZone)}</time>
      </a>
      {n.read_at ? null : (
        <button type="button" class="link notif-read" hx-post={`/notifications/${n.id}/read`} hx-target={`#notif-${n.id}`} hx-swap="outerHTML" aria-label={t("notif.mark_read")} title={t("notif.mark_read")}>✓</button>
      )}
    </li>
  );
}

/** The menu's content: the latest items, mark all read, the permission button, the links onward. */
export function NotificationPanel(props: { ctx: ViewContext; items: NotificationItem[]; unread: number }) {
  const t = notificationWords(props.ctx.lang);
  return (
    <>
      <div class="notif-head">
        <strong>{t("notif.title")}</strong>
        {props.unread ? <button type="button" class="link" hx-post="/notifications/read-all" hx-target="#notif-panel" hx-swap="innerHTML">{t("notif.mark_all")}</button> : null}
      </div>
      <NotificationItems ctx={props.ctx} items={props.items} />
      <PermissionButton ctx={props.ctx} />
      <div class="notif-foot">
        <a href="/notifications">{t("notif.see_all")}</a>
        <a href="/notifications/settings">{t("notif.settings")}</a>
      </div>
    </>
  );
}

/** Shown by notifications.js only while the browser has not been asked (permission "default"). */
export function PermissionButton(props: { ctx: ViewContext }) {
  const t = notificationWords(props.ctx.lang);
  return (
    <p class="notif-permission" data-notif-permission="" hidden
      data-on={t("notif.browser_on")} data-blocked={t("notif.browser_blocked")} data-unsupported={t("notif.browser_unsupported")} data-push-on={t("notif.push_on")} data-push-failed={t("notif.push_failed")}>
      <button type="button" data-notif-enable="">{t("notif.enable_browser")}</button>
    </p>
  );
}
