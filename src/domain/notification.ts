// What a person is told about, and how: the kinds of notifications and each person's choice of
// ways (the notification centre, a browser notification with sound while Pano's tab is in the
// background, Web Push to a phone or a closed browser).
export const NOTIFICATION_KINDS = ["mention", "assigned", "message", "sla", "channel"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const DELIVERY_WAYS = ["in_app", "browser", "push"] as const;
export type DeliveryWay = (typeof DELIVERY_WAYS)[number];
export type DeliveryChoice = Record<DeliveryWay, boolean>;
export type NotificationPrefs = Record<NotificationKind, DeliveryChoice>;

export const isNotificationKind = (k: string): k is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(k);

/** Everything on, except that channel trouble is only for admins (who can fix it). */
export function defaultPrefs(): NotificationPrefs {
  return Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, { in_app: true, browser: true, push: true }])) as NotificationPrefs;
}

/** Which kinds a role can receive: agents cannot reconnect a channel. */
export function kindsFor(role: string): NotificationKind[] {
  return NOTIFICATION_KINDS.filter((k) => k !== "channel" || role === "admin");
}

/** A notification's stored facts, from which each reader's words are made in their language. */
export interface NotificationData {
  /** Who did it (a mention's author, who assigned), as a name. */
  actor?: string;
  /** The customer's name. */
  contact?: string;
  /** A short excerpt: the note, the customer's message. */
  preview?: string;
  /** How many messages an unread "message" notification stands for. */
  count?: number;
  /** SLA: which target and whether it is near (amber) or missed (red). */
  target?: string;
  level?: "amber" | "red";
  dueAt?: number;
  /** Channel trouble: its name and status. */
  channel?: string;
  status?: string;
}

/** An excerpt for a notification: one line, at most `max` characters. */
export function excerpt(text: string | null | undefined, max = 140): string {
  const line = (text ?? "").replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
