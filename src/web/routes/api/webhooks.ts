// /api/v1/webhooks: admins register outgoing webhooks (the secret is write-only) and read each
// one's deliveries with the answers they got; a finished delivery can be sent again.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { requireRole } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { getDelivery, listDeliveries, pendingByWebhook, redeliver } from "../../../store/webhook-deliveries.ts";
import { webhookSchema, webhookPatchSchema, privateWebhookUrl, presentWebhook, presentDelivery } from "../../webhook-input.ts";
import { readJson, idParam, pageById, pageLimit, cursorAfterId, idCursor } from "./input.ts";

const DELIVERY_STATUSES = ["pending", "delivered", "failed"];

export function webhookRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const { directory } = pano.webhooks;
  const db = pano.store.sqlite;
  app.use("*", requireRole("admin"));

  const found = (c: Context<Env>) => {
    const w = directory.get(idParam(c));
    if (!w) throw new PanoError("not_found", "Webhook not found");
    return w;
  };
  const checkUrl = (url: string) => {
    if (privateWebhookUrl(url, pano.config.allowPrivateFetch)) throw new PanoError("validation_failed", "url: must not point at a private, loopback or link-local address", "url");
  };
  const shown = (id: number) => presentWebhook(directory.get(id)!, pendingByWebhook(db).get(id) ?? 0);

  app.get("/", (c) => {
    const pending = pendingByWebhook(db);
    const page = pageById(c, directory.list(), (w) => w.id);
    return c.json({ data: page.data.map((w) => presentWebhook(w, pending.get(w.id) ?? 0)), next_cursor: page.next_cursor });
  });

  app.post("/", async (c) => {
    const body = await readJson(c, webhookSchema);
    checkUrl(body.url);
    const w = await directory.create(body, c.get("user").id);
    return c.json(shown(w.id), 201);
  });

  app.get("/:id", (c) => c.json(shown(found(c).id)));

  app.patch("/:id", async (c) => {
    const cur = found(c);
    const body = await readJson(c, webhookPatchSchema);
    if (body.url !== undefined) checkUrl(body.url);
    await directory.update(cur.id, {
      url: body.url ?? cur.url, events: body.events ?? JSON.parse(cur.events), secret: body.secret,
      description: body.description === undefined ? cur.description : body.description, active: body.active ?? !!cur.active,
    }, c.get("user").id);
    // Switched back on: what waited is sent now.
    pano.webhooks.sender.kick();
    return c.json(shown(cur.id));
  });

  app.delete("/:id", async (c) => {
    await directory.remove(found(c).id, c.get("user").id);
    return c.body(null, 204);
  });

  app.get("/:id/deliveries", (c) => {
    const w = found(c);
    const status = c.req.query("status") || undefined;
    if (status && !DELIVERY_STATUSES.includes(status)) throw new PanoError("validation_failed", `status: must be one of ${DELIVERY_STATUSES.join(", ")}`, "status");
    const limit = pageLimit(c);
    const rows = listDeliveries(db, w.id, cursorAfterId(c), limit, status);
    const data = rows.slice(0, limit);
    return c.json({ data: data.map(presentDelivery), next_cursor: rows.length > limit ? idCursor(data[data.length - 1].id) : null });
  });

  app.post("/:id/ping", async (c) => {
    const w = found(c);
    const uid = await pano.webhooks.ping(w.id);
    return c.json(presentDelivery(getDelivery(db, w.id, uid)!), 202);
  });

  const delivery = (c: Context<Env>) => {
    const d = getDelivery(db, found(c).id, c.req.param("delivery") ?? "");
    if (!d) throw new PanoError("not_found", "Delivery not found");
    return d;
  };

  app.get("/:id/deliveries/:delivery", (c) => c.json(presentDelivery(delivery(c))));

  app.post("/:id/deliveries/:delivery/redeliver", async (c) => {
    const d = delivery(c);
    const again = await pano.writer.submit((tx) => redeliver(tx, d.webhook_id, d.uid, pano.webhooks.policy.windowMs, c.get("user").id));
    if (!again) throw new PanoError("conflict", "This delivery is still being sent or retried");
    pano.webhooks.sender.kick();
    return c.json(presentDelivery(getDelivery(db, d.webhook_id, d.uid)!), 202);
  });

  return app;
}
