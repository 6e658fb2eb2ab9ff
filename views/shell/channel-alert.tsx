// The banner that tells admins (and supervisors) a channel stopped working, on every page.
// The shell holds an empty slot that fetches the banner on load and again when the live stream
// says a channel changed; pages without the stream (settings, reports) look again every minute
// instead of opening one, which would count the admin as online for routing. Agents get no slot,
// since they cannot fix a channel.
import type { ViewContext } from "../context.ts";
import { Icon } from "./icon.tsx";
import type { MessageKey } from "../i18n/index.ts";

export interface TroubledChannel {
  id: number;
  name: string;
  type: string;
  status: "needs_reconnect" | "error";
  detail: string | null;
}

export const CHANNEL_ALERT_URL = "/live/channel-alert";

export function ChannelAlertSlot(props: { ctx: ViewContext }) {
  if (props.ctx.user.role === "agent") return null;
  return <div id="channel-alert" hx-get={CHANNEL_ALERT_URL} hx-trigger="load, every 60s, pano:channels from:body" hx-swap="innerHTML"></div>;
}

export function ChannelAlert(props: { ctx: ViewContext; channels: TroubledChannel[] }) {
  const { ctx, channels } = props;
  if (!channels.length || ctx.user.role === "agent") return null;
  const t = ctx.t;
  const admin = ctx.user.role === "admin";
  return (
    <section class="channel-alert" role="alert" aria-label={t("alert.label")}>
      <ul>
        {channels.map((ch) => (
          <li data-channel={ch.id}>
            <Icon name="alert" />{" "}
            <span>{t(`alert.${ch.status}`, { name: ch.name, type: t(`channel.${ch.type}` as MessageKey) })}</span>{" "}
            {ch.detail ? <span class="detail">{t("alert.detail", { detail: ch.detail })}</span> : null}{" "}
            {admin ? <a href={`/settings/channels/${ch.id}`}>{t("alert.open_settings")}</a> : <span>{t("alert.ask_admin")}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
