// /notifications: the bell's count and menu, the full list, marking read, opening an item (which
// checks again that the reader may see its conversation), per-person settings, Web Push
// subscriptions of this device, and the note composer's @mention suggestions.
import { Hono, type Context } from "hono";
import { setCookie } from "hono/cookie";
import type { Pano } from "../../../pano.ts";
import { joinHtml, pageErrorHandler, pageSession, type PageEnv } from "../../view-context.ts";
import { PanoError } from "../../../domain/errors.ts";
import { matchMentionables } from "../../../domain/mention.ts";
import { DELIVERY_WAYS, kindsFor, type NotificationData } from "../../../domain/notification.ts";
import { mentionables } from "../../../store/mentions.ts";
import {
  listNotifications, markAllNotificationsRead, markConversationNotificationsRead, markNotificationRead, notificationPrefs, saveNotificationPrefs, unreadCount, visibleNotification, type NotificationRow,
} from "../../../store/notifications.ts";
import { removeSubscription, saveSubscription, subscriptionsOf } from "../../../store/push-subscriptions.ts";
import { PUSH_DEVICE_COOKIE } from "../../auth.ts";
import { NotificationCount, NotificationEntry, NotificationPanel, type NotificationItem } from "../../../../views/notifications/bell.tsx";
import { NotificationSettingsPage, NotificationsPage } from "../../../../views/notifications/page.tsx";
import { MentionList } from "../../../../views/notifications/mentions.tsx";
import { notificationTarget } from "../../../../views/notifications/words.ts";
import { pushSubscriptionInput } from "./push-subscription-input.ts";

const PANEL_SIZE = 15;
const PAGE_SIZE = 50;

const toItem = (r: NotificationRow): NotificationItem => ({ ...r, data: JSON.parse(r.data) as NotificationData });

const idParam = (c: Context<PageEnv>) => {
  const id = Number(c.req.param("id"));
  if (!Number.isInteger(id) || id <= 0) throw new PanoError("not_found", "Notification not found");
  return id;
};

export function notificationPageRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  app.onError(pageErrorHandler(pano));
  app.use("*", pageSession(pano));
  const noStore = (c: Context<PageEnv>) => c.header("Cache-Control", "no-store");

  app.get("/count", (c) => {
    noStore(c);
    return c.html(joinHtml(NotificationCount({ ctx: c.get("view"), unread: unreadCount(db, c.get("viewer")) })));
  });

  app.get("/panel", (c) => {
    noStore(c);
    const viewer = c.get("viewer");
    return c.html(joinHtml(NotificationPanel({ ctx: c.get("view"), items: listNotifications(db, viewer, PANEL_SIZE).map(toItem), unread: unreadCount(db, viewer) })));
  });

  app.get("/", (c) => {
    const viewer = c.get("viewer");
    const unreadOnly = c.req.query("unread") === "1";
    const [at, id] = (c.req.query("before") ?? "").split(".").map(Number);
    const before = Number.isInteger(at) && Number.isInteger(id) ? { at: at!, id: id! } : null;
    const rows = listNotifications(db, viewer, PAGE_SIZE + 1, before, unreadOnly);
    const last = rows.length > PAGE_SIZE ? rows[PAGE_SIZE - 1] : null;
    return c.html(NotificationsPage({
      ctx: c.get("view"), items: rows.slice(0, PAGE_SIZE).map(toItem), unread: unreadCount(db, viewer), unreadOnly,
      older: last ? `${last.created_at}.${last.id}` : null, gone: c.req.query("gone") === "1",
    }));
  });

  app.post("/read-all", async (c) => {
    const userId = c.get("user").id;
    await pano.writer.submit((tx) => markAllNotificationsRead(tx, userId));
    if (!c.req.header("hx-request")) return c.redirect("/notifications", 303);
    const viewer = c.get("viewer");
    return c.html(joinHtml(NotificationPanel({ ctx: c.get("view"), items: listNotifications(db, viewer, PANEL_SIZE).map(toItem), unread: 0 })), 200, { "HX-Trigger": "pano:notif" });
  });

  // The agent opened (or is looking at) a conversation: what told them of it is read.
  app.post("/conversation/:id/read", async (c) => {
    const id = idParam(c);
    const userId = c.get("user").id;
    const n = await pano.writer.submit((tx) => markConversationNotificationsRead(tx, userId, id));
    return c.body(null, 204, n ? { "HX-Trigger": "pano:notif" } : {});
  });

  app.post("/:id/read", async (c) => {
    const id = idParam(c);
    const userId = c.get("user").id;
    await pano.writer.submit((tx) => markNotificationRead(tx, userId, id));
    const row = visibleNotification(db, c.get("viewer"), id);
    if (!c.req.header("hx-request")) return c.redirect("/notifications", 303);
    return c.html(row ? joinHtml(NotificationEntry({ ctx: c.get("view"), n: toItem(row) })) : "", 200, { "HX-Trigger": "pano:notif" });
  });

  // Opening an item reads it and goes to what it is about, if the reader may still see that.
  app.get("/:id/open", async (c) => {
    const id = idParam(c);
    const row = visibleNotification(db, c.get("viewer"), id);
    if (!row) return c.redirect("/notifications?gone=1", 302);
    const userId = c.get("user").id;
    if (!row.read_at) await pano.writer.submit((tx) => markNotificationRead(tx, userId, id));
    return c.redirect(notificationTarget(toItem(row)), 302);
  });

  app.get("/settings", (c) => {
    const user = c.get("user");
    return c.html(NotificationSettingsPage({ ctx: c.get("view"), prefs: notificationPrefs(db, user.id), devices: subscriptionsOf(db, user.id), saved: c.req.query("saved") === "1" }));
  });

  app.post("/settings", async (c) => {
    const user = c.get("user");
    const form = await c.req.parseBody();
    const prefs = notificationPrefs(db, user.id);
    // Only the kinds this person receives are on the form: the others keep their values.
    for (const k of kindsFor(user.role)) for (const w of DELIVERY_WAYS) prefs[k][w] = form[`${k}.${w}`] === "1";
    await pano.writer.submit((tx) => saveNotificationPrefs(tx, user.id, prefs));
    return c.redirect("/notifications/settings?saved=1", 303);
  });

  app.post("/devices/:id/delete", async (c) => {
    const id = idParam(c);
    const userId = c.get("user").id;
    await pano.writer.submit((tx) => removeSubscription(tx, userId, { id }));
    return c.redirect("/notifications/settings", 303);
  });

  // Web Push: the page asks for the key to subscribe with, then hands over this device's subscription.
  app.get("/push/key", (c) => {
    noStore(c);
    return c.json({ public_key: pano.push.publicKey });
  });

  app.post("/push/subscribe", async (c) => {
    const input = pushSubscriptionInput(await c.req.json().catch(() => null), pano.config.allowPrivateFetch, c.req.header("user-agent"));
    if (typeof input === "string") return c.json({ error: { code: "validation_failed", message: input } }, 422);
    const userId = c.get("user").id;
    const row = await pano.writer.submit((tx) => saveSubscription(tx, userId, input));
    // This browser remembers which subscription is its own, so logging out here ends it (auth.ts).
    setCookie(c, PUSH_DEVICE_COOKIE, String(row.id), { httpOnly: true, sameSite: "Lax", secure: pano.config.publicUrl.startsWith("https:"), path: "/", maxAge: 400 * 86400 });
    return c.json({ id: row.id }, 201);
  });

  app.post("/push/unsubscribe", async (c) => {
    const body = (await c.req.json().catch(() => null)) as { endpoint?: unknown } | null;
    if (!body || typeof body.endpoint !== "string") return c.json({ error: { code: "validation_failed", message: "endpoint: required" } }, 422);
    const userId = c.get("user").id;
    const removed = await pano.writer.submit((tx) => removeSubscription(tx, userId, { endpoint: body.endpoint as string }));
    return c.json({ removed });
  });

  // The note composer's list after "@": active teammates and teams, folded match.
  app.get("/mentionables", (c) => {
    noStore(c);
    const q = (c.req.query("q") ?? "").slice(0, 60);
    const me = c.get("user").id;
    const options = matchMentionables(q, mentionables(db).filter((m) => m.kind !== "user" || m.id !== me));
    if (!options.length) return c.body(null, 204);
    return c.html(joinHtml(MentionList({ ctx: c.get("view"), options })));
  });

  return app;
}
