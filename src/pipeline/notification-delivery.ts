// What the notifier is asked to deliver, in a file of its own so that what makes deliveries (the
// SLA timer, sla-watch.ts) and what delivers them (notify.ts) need not import each other.
import type { NotificationData } from "../domain/notification.ts";
import type { NewNotification } from "../store/notifications.ts";

/** A notification to deliver: its facts are made at write time from the unread row it refreshes. */
export interface Delivery extends Omit<NewNotification, "data" | "dedupe"> {
  /** The facts; `previous` is the unread row under the same key, if any (to count messages). */
  data: (previous: NotificationData | null) => NotificationData;
  dedupe?: string;
  /** Told once per key, ever (an SLA level): an existing row under the key, read or not, stops it. */
  once?: boolean;
}
