// /api/v1/notifications: the token's person's notifications (newest first, the same visibility
// re-check as the bell), marking read, and their choices of how to be told. For a phone app or a
// desktop tray that is not the web page; the page uses /notifications.
import { Hono } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { DELIVERY_WAYS, kindsFor, type NotificationData } from "../../../domain/notification.ts";
import { listNotifications, markAllNotificationsRead, markNotificationRead, notificationPrefs, saveNotificationPrefs, unreadCount, visibleNotification, type NotificationRow } from "../../../store/notifications.ts";
import { readJson, idParam, pageLimit } from "./input.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const present = (r: NotificationRow) => ({
  id: String(r.id), kind: r.kind, conversation_id: r.conversation_id === null ? null : String(r.conversation_id), message_id: r.message_id === null ? null : String(r.message_id),
  channel_id: r.channel_id === null ? null : String(r.channel_id), data: JSON.parse(r.data) as NotificationData, created_at: iso(r.created_at), read_at: iso(r.read_at),
});

const wayChoice = z.object({ in_app: z.boolean(), browser: z.boolean(), push: z.boolean() }).partial().strict();
const prefsSchema = z.record(z.string(), wayChoice);

export function notificationApiRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const db = pano.store.sqlite;

  app.get("/", (c) => {
    const viewer = c.get("viewer");
    const limit = pageLimit(c);
    const cursor = c.req.query("cursor");
    const [at, id] = cursor ? Buffer.from(cursor, "base64url").toString().split(".").map(Number) : [];
    if (cursor && !(Number.isInteger(at) && Number.isInteger(id))) throw new PanoError("validation_failed", "cursor: not a cursor from a previous page", "cursor");
    const rows = listNotifications(db, viewer, limit + 1, cursor ? { at: at!, id: id! } : null, c.req.query("unread") === "true" || c.req.query("unread") === "1");
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json({ data: page.map(present), unread: unreadCount(db, viewer), next_cursor: rows.length > limit && last ? Buffer.from(`${last.created_at}.${last.id}`).toString("base64url") : null });
  });

  app.post("/read-all", async (c) => {
    const userId = c.get("user").id;
    const n = await pano.writer.submit((tx) => markAllNotificationsRead(tx, userId));
    return c.json({ marked: n });
  });

  app.post("/:id/read", async (c) => {
    const id = idParam(c);
    const viewer = c.get("viewer");
    if (!visibleNotification(db, viewer, id)) throw new PanoError("not_found", "Notification not found");
    await pano.writer.submit((tx) => markNotificationRead(tx, viewer.userId, id));
    return c.json(present(visibleNotification(db, viewer, id)!));
  });

  app.get("/settings", (c) => c.json(notificationPrefs(db, c.get("user").id)));

  app.put("/settings", async (c) => {
    const user = c.get("user");
    const body = await readJson(c, prefsSchema);
    const prefs = notificationPrefs(db, user.id);
    const kinds = kindsFor(user.role);
    for (const [kind, ways] of Object.entries(body)) {
      if (!(kinds as string[]).includes(kind)) throw new PanoError("validation_failed", `${kind}: not a notification kind (${kinds.join(", ")})`, kind);
      for (const w of DELIVERY_WAYS) if (ways[w] !== undefined) prefs[kind as (typeof kinds)[number]][w] = ways[w];
    }
    await pano.writer.submit((tx) => saveNotificationPrefs(tx, user.id, prefs));
    return c.json(prefs);
  });

  return app;
}
