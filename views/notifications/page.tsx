// /notifications: every notification, newest first, paged; /notifications/settings: which events
// notify and how (in Pano, browser with sound, push), and the devices that receive pushes.
import type { ViewContext } from "../context.ts";
import { Layout } from "../layout.tsx";
import { formatDateTime } from "../i18n/index.ts";
import { notificationWords } from "../i18n/notifications.ts";
import { DELIVERY_WAYS, kindsFor, type NotificationPrefs } from "../../src/domain/notification.ts";
import { NotificationItems, PermissionButton, type NotificationItem } from "./bell.tsx";

export function NotificationsPage(props: { ctx: ViewContext; items: NotificationItem[]; unread: number; unreadOnly: boolean; older: string | null; gone?: boolean }) {
  const { ctx } = props;
  const t = notificationWords(ctx.lang);
  return (
    <Layout ctx={ctx} title={t("notif.title")} area="none">
      <div class="page-narrow notif-page">
        <h1>{t("notif.title")}</h1>
        {props.gone ? <p role="alert" class="notice">{t("notif.gone")}</p> : null}
        <nav class="notif-tabs" aria-label={t("notif.title")}>
          <a href="/notifications" aria-current={props.unreadOnly ? undefined : "page"}>{t("notif.see_all")}</a>
          <a href="/notifications?unread=1" aria-current={props.unreadOnly ? "page" : undefined}>{t("notif.unread")} ({props.unread})</a>
          <a href="/notifications/settings">{t("notif.settings")}</a>
        </nav>
        {props.unread ? (
          <form method="post" action="/notifications/read-all">
            <input type="hidden" name="_csrf" value={ctx.csrf} />
            <button type="submit">{t("notif.mark_all")}</button>
          </form>
        ) : null}
        <PermissionButton ctx={ctx} />
        <NotificationItems ctx={ctx} items={props.items} />
        {props.older ? <p><a href={`/notifications?${props.unreadOnly ? "unread=1&" : ""}before=${props.older}`}>{t("notif.older")}</a></p> : null}
      </div>
    </Layout>
  );
}

export interface DeviceView {
  id: number;
  device: string | null;
  created_at: number;
  last_error: string | null;
}

export function NotificationSettingsPage(props: { ctx: ViewContext; prefs: NotificationPrefs; devices: DeviceView[]; saved: boolean }) {
  const { ctx } = props;
  const t = notificationWords(ctx.lang);
  return (
    <Layout ctx={ctx} title={t("notif.settings")} area="account">
      <div class="page-narrow notif-page">
        <h1>{t("notif.settings")}</h1>
        <p>{t("notif.settings_intro")}</p>
        {props.saved ? <p role="status" class="notice ok">{t("notif.settings_saved")}</p> : null}
        <form method="post" action="/notifications/settings" class="card">
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <table class="notif-prefs">
            <thead>
              <tr><th scope="col">{t("notif.event")}</th>{DELIVERY_WAYS.map((w) => <th scope="col">{t(`notif.way.${w}`)}</th>)}</tr>
            </thead>
            <tbody>
              {kindsFor(ctx.user.role).map((k) => (
                <tr>
                  <th scope="row">{t(`notif.kind.${k}`)}</th>
                  {DELIVERY_WAYS.map((w) => (
                    <td><input type="checkbox" name={`${k}.${w}`} value="1" checked={props.prefs[k][w]} aria-label={`${t(`notif.kind.${k}`)}: ${t(`notif.way.${w}`)}`} /></td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit" class="primary">{t("notif.save")}</button>
        </form>
        <section class="card" aria-labelledby="devices-h">
          <h2 id="devices-h">{t("notif.devices")}</h2>
          <PermissionButton ctx={ctx} />
          {props.devices.length ? (
            <ul class="notif-devices">
              {props.devices.map((d) => (
                <li>
                  <span>{d.device || t("notif.device_unknown")}</span> <small class="muted">{t("notif.device_added", { time: formatDateTime(d.created_at, ctx.lang, ctx.timeZone) })}</small>
                  {d.last_error ? <small class="muted"> · {d.last_error}</small> : null}
                  <form method="post" action={`/notifications/devices/${d.id}/delete`} class="inline">
                    <input type="hidden" name="_csrf" value={ctx.csrf} />
                    <button type="submit" class="link">{t("notif.device_remove")}</button>
                  </form>
                </li>
              ))}
            </ul>
          ) : <p class="muted">{t("notif.devices_none")}</p>}
          <p class="muted">{t("notif.install_hint")}</p>
        </section>
      </div>
    </Layout>
  );
}
