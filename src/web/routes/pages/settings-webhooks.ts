// Settings › Webhooks (admins): add, edit, pause and delete outgoing webhooks, read each one's
// deliveries with the answers they got, and send one again. The same rules as /api/v1/webhooks.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import type { ViewContext } from "../../../../views/context.ts";
import { PanoError } from "../../../domain/errors.ts";
import type { WebhookRow, WebhookInput } from "../../../store/webhooks.ts";
import { getDelivery, listDeliveries, pendingByWebhook, redeliver } from "../../../store/webhook-deliveries.ts";
import { webhookSchema, privateWebhookUrl } from "../../webhook-input.ts";
import { WebhooksPage, WebhookPage, Deliveries, type WebhookForm, type DeliveryPage } from "../../../../views/settings/webhooks.tsx";
import { issuesByField, list, readForm, text, type FormValues } from "./settings-form.ts";
import { noticeFrom, redirectWithNotice } from "./settings-notice.ts";
import { cursorAfterId, idCursor } from "../api/input.ts";

const PAGE = 25;
const STATUSES = ["pending", "delivered", "failed"];

/** A fresh secret offered in the add form: long, random, and shown until the admin saves it. */
const newSecret = () => Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");

type Checked = { ok: true; input: WebhookInput } | { ok: false; form: WebhookForm };

function check(pano: Pano, ctx: ViewContext, f: FormValues, editing: WebhookRow | null): Checked {
  const values = { url: text(f, "url"), description: text(f, "description"), secret: text(f, "secret"), active: list(f, "active").includes("true"), events: list(f, "events") };
  const candidate = { url: values.url, events: values.events, secret: values.secret || (editing ? "unchanged" : ""), description: values.description || null, active: values.active };
  const parsed = webhookSchema.safeParse(candidate);
  const errors = parsed.success ? {} : issuesByField(parsed.error, ctx.t, candidate);
  // events.3 (a value not offered) and an empty list both belong beside the one group of boxes.
  const eventError = Object.keys(errors).find((k) => k.startsWith("events"));
  if (eventError) errors.events = values.events.length ? errors[eventError] : ctx.t("webhooks.events_required");
  if (!errors.url && privateWebhookUrl(values.url, pano.config.allowPrivateFetch)) errors.url = ctx.t("settings.err.private_url");
  if (!parsed.success || Object.keys(errors).length) return { ok: false, form: { values, errors, formError: ctx.t("settings.fix_errors") } };
  return { ok: true, input: { ...parsed.data, secret: values.secret || undefined } };
}

export function webhookSettings(pano: Pano) {
  const app = new Hono<PageEnv>();
  const { directory } = pano.webhooks;
  const db = pano.store.sqlite;

  const found = (c: Context<PageEnv>) => {
    const id = Number(c.req.param("id"));
    const w = Number.isSafeInteger(id) ? directory.get(id) : null;
    if (!w) throw new PanoError("not_found", "Webhook not found");
    return w;
  };
  const deliveryPage = (c: Context<PageEnv>, w: WebhookRow): DeliveryPage => {
    const status = STATUSES.includes(c.req.query("status") ?? "") ? c.req.query("status")! : null;
    const before = cursorAfterId(c);
    const rows = listDeliveries(db, w.id, before, PAGE, status ?? undefined);
    const shown = rows.slice(0, PAGE);
    return { rows: shown, status, older: rows.length > PAGE ? idCursor(shown[shown.length - 1].id) : null, first: before === null };
  };
  const formOf = (w: WebhookRow): WebhookForm => ({
    values: { url: w.url, description: w.description ?? "", events: JSON.parse(w.events), active: !!w.active, secret: "" }, errors: {},
  });
  const listPage = (c: Context<PageEnv>, form: WebhookForm, status: 200 | 422 = 200) =>
    c.html(WebhooksPage({ ctx: c.get("view"), webhooks: directory.list(), pending: pendingByWebhook(db), form, notice: status === 200 ? noticeFrom(c) : null }), status);
  const onePage = (c: Context<PageEnv>, w: WebhookRow, form: WebhookForm, status: 200 | 422 = 200) =>
    c.html(WebhookPage({ ctx: c.get("view"), webhook: w, form, deliveries: deliveryPage(c, w), notice: status === 200 ? noticeFrom(c) : null }), status);

  app.get("/", (c) => listPage(c, { values: { secret: newSecret() }, errors: {} }));

  app.post("/", async (c) => {
    const r = check(pano, c.get("view"), await readForm(c), null);
    if (!r.ok) return listPage(c, r.form, 422);
    const w = await directory.create({ ...r.input, secret: r.input.secret! }, c.get("user").id);
    return redirectWithNotice(c, `/settings/webhooks/${w.id}`, "saved");
  });

  app.get("/:id{[0-9]+}", (c) => {
    const w = found(c);
    return onePage(c, w, formOf(w));
  });

  app.get("/:id{[0-9]+}/deliveries", (c) => {
    const w = found(c);
    return c.html(Deliveries({ ctx: c.get("view"), webhookId: w.id, page: deliveryPage(c, w) }));
  });

  app.post("/:id{[0-9]+}", async (c) => {
    const w = found(c);
    const r = check(pano, c.get("view"), await readForm(c), w);
    if (!r.ok) return onePage(c, w, r.form, 422);
    await directory.update(w.id, r.input, c.get("user").id);
    pano.webhooks.sender.kick();
    return redirectWithNotice(c, `/settings/webhooks/${w.id}`, "saved");
  });

  app.post("/:id{[0-9]+}/delete", async (c) => {
    await directory.remove(found(c).id, c.get("user").id);
    return redirectWithNotice(c, "/settings/webhooks", "deleted");
  });

  app.post("/:id{[0-9]+}/ping", async (c) => {
    await pano.webhooks.ping(found(c).id);
    return redirectWithNotice(c, `/settings/webhooks/${c.req.param("id")}`, "pinged");
  });

  app.post("/:id{[0-9]+}/deliveries/:uid/redeliver", async (c) => {
    const w = found(c);
    const d = getDelivery(db, w.id, c.req.param("uid"));
    if (!d) throw new PanoError("not_found", "Delivery not found");
    const again = await pano.writer.submit((tx) => redeliver(tx, w.id, d.uid, pano.webhooks.policy.windowMs, c.get("user").id));
    // Already waiting to be sent (a second click): the page shows it pending.
    if (!again) return c.redirect(`/settings/webhooks/${w.id}`, 303);
    pano.webhooks.sender.kick();
    return redirectWithNotice(c, `/settings/webhooks/${w.id}`, "redelivered");
  });

  return app;
}
