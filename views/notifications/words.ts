// A notification in its reader's words (the bell's list, a browser notification, a Web Push),
// and where opening it leads. Made when shown, from the stored facts, in the reader's language.
import type { NotificationData, NotificationKind } from "../../src/domain/notification.ts";
import type { NotificationWords } from "../i18n/notifications.ts";

export interface NotificationFacts {
  id: number | null;
  kind: NotificationKind;
  conversation_id: number | null;
  message_id: number | null;
  channel_id: number | null;
  data: NotificationData & { team?: string };
}

export function notificationTitle(n: NotificationFacts, t: NotificationWords): string {
  const d = n.data;
  const actor = d.actor ?? t("notif.someone");
  // A customer without a name yet (a new Zalo follower before the profile arrives): the conversation's number.
  const contact = d.contact || `${t("notif.customer")}${n.conversation_id ? ` #${n.conversation_id}` : ""}`;
  switch (n.kind) {
    case "mention":
      return d.team ? t("notif.mention_team", { actor, team: d.team }) : t("notif.mention", { actor });
    case "assigned":
      return d.actor ? t("notif.assigned", { actor, contact }) : t("notif.assigned_auto", { contact });
    case "message":
      return (d.count ?? 1) > 1 ? t("notif.message_many", { contact, n: d.count ?? 1 }) : t("notif.message", { contact });
    case "sla": {
      const target = d.target === "first_response" || d.target === "next_response" || d.target === "resolution" ? t(`notif.sla.${d.target}`) : "SLA";
      return t(d.level === "red" ? "notif.sla_red" : "notif.sla_amber", { target, contact });
    }
    case "channel":
      return t(d.status === "needs_reconnect" ? "notif.channel_needs_reconnect" : d.status === "error" ? "notif.channel_error" : "notif.channel_trouble", { channel: d.channel ?? `#${n.channel_id}` });
  }
}

/** Where the item leads: the conversation (a mention, at its note), or the channel's settings. */
export function notificationTarget(n: NotificationFacts): string {
  if (n.kind === "channel") return n.channel_id ? `/settings/channels/${n.channel_id}` : "/settings/channels";
  if (!n.conversation_id) return "/inbox";
  if (n.kind === "mention" && n.message_id) return `/inbox?c=${n.conversation_id}&m=${n.message_id}#msg-${n.message_id}`;
  return `/inbox?c=${n.conversation_id}`;
}

/** What a click on a browser notification or a push opens: through the bell's "open", which marks it read. */
export function notificationOpenUrl(n: NotificationFacts): string {
  return n.id ? `/notifications/${n.id}/open` : notificationTarget(n);
}
