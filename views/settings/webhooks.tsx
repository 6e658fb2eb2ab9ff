// Settings › Webhooks: the outgoing webhooks (list, add), one webhook's form and its deliveries
// with the answers they got, each of which can be sent again. The deliveries refresh themselves.
import type { ViewContext } from "../context.ts";
import type { WebhookRow } from "../../src/store/webhooks.ts";
import type { DeliveryRow } from "../../src/store/webhook-deliveries.ts";
import { WEBHOOK_EVENTS, webhookHealth, type WebhookHealth } from "../../src/domain/webhooks.ts";
import { formatDateTime } from "../i18n/index.ts";
import { SettingsFrame, DataTable, Csrf, ActionButton } from "./frame.tsx";
import { TextField, Checkbox, FormError, CheckboxGroup } from "./fields.tsx";

export interface WebhookForm {
  values: { url?: string; description?: string; secret?: string; active?: boolean; events?: string[] };
  errors: Record<string, string>;
  formError?: string | null;
}

const HEALTH_BADGE: Record<WebhookHealth, string> = { active: "status-active", failing: "status-error", paused: "status-paused" };
const DELIVERY_BADGE: Record<DeliveryRow["status"], string> = { delivered: "status-active", failed: "status-error", pending: "status-needs_reconnect" };

function HealthBadge(props: { ctx: ViewContext; w: WebhookRow }) {
  const h = webhookHealth(props.w);
  return <span class={`badge ${HEALTH_BADGE[h]}`} data-webhook-status={h}>{props.ctx.t(`webhooks.status.${h}`)}</span>;
}

function FormFields(props: { ctx: ViewContext; form: WebhookForm; editing: boolean }) {
  const { ctx, form } = props;
  const v = form.values;
  return (
    <>
      <FormError message={form.formError} />
      <TextField name="url" label={ctx.t("webhooks.url")} type="url" value={v.url} required hint={ctx.t("webhooks.url_hint")} placeholder="https://crm.example.vn/pano" error={form.errors.url} />
      <TextField name="description" label={ctx.t("webhooks.description")} value={v.description} error={form.errors.description} />
      <CheckboxGroup name="events" legend={ctx.t("webhooks.events")} options={WEBHOOK_EVENTS.map((e) => ({ value: e, label: `${e} · ${ctx.t(`webhooks.event.${e}`)}` }))}
        checked={v.events ?? [...WEBHOOK_EVENTS]} error={form.errors.events} />
      <TextField name="secret" label={ctx.t("webhooks.secret")} value={v.secret} required={!props.editing} error={form.errors.secret}
        hint={ctx.t(props.editing ? "webhooks.secret_hint_edit" : "webhooks.secret_hint_new")} />
      <Checkbox name="active" label={ctx.t("webhooks.active")} checked={v.active ?? true} />
    </>
  );
}

export function WebhooksPage(props: { ctx: ViewContext; webhooks: WebhookRow[]; pending: Map<number, number>; form: WebhookForm; notice?: string | null }) {
  const { ctx } = props;
  const when = (ms: number | null) => (ms === null ? ctx.t("webhooks.never") : formatDateTime(ms, ctx.lang, ctx.timeZone));
  return (
    <SettingsFrame ctx={ctx} area="webhooks" title={ctx.t("webhooks.title")} notice={props.notice}>
      <p class="hint">{ctx.t("webhooks.intro")}</p>
      {props.webhooks.length === 0 ? <p class="empty">{ctx.t("webhooks.empty")}</p> : (
        <DataTable ctx={ctx} class="webhooks-table" columns={[ctx.t("webhooks.url"), ctx.t("webhooks.events"), ctx.t("webhooks.status"), ctx.t("webhooks.last_success"), ctx.t("webhooks.pending")]}>
          {props.webhooks.map((w) => (
            <tr data-webhook-id={String(w.id)}>
              <td><a href={`/settings/webhooks/${w.id}`}>{w.url}</a>{w.description ? <div class="hint">{w.description}</div> : null}</td>
              <td>{(JSON.parse(w.events) as string[]).join(", ")}</td>
              <td><HealthBadge ctx={ctx} w={w} /></td>
              <td>{when(w.last_success_at)}</td>
              <td>{props.pending.get(w.id) ?? 0}</td>
              <td class="row-actions"><a class="button" href={`/settings/webhooks/${w.id}`}>{ctx.t("webhooks.open")}</a></td>
            </tr>
          ))}
        </DataTable>
      )}
      <section aria-labelledby="webhook-add-title">
        <h2 id="webhook-add-title">{ctx.t("webhooks.add")}</h2>
        <form method="post" action="/settings/webhooks" class="settings-form" novalidate>
          <Csrf ctx={ctx} />
          <FormFields ctx={ctx} form={props.form} editing={false} />
          <div class="form-actions"><button type="submit" class="primary">{ctx.t("webhooks.add")}</button></div>
        </form>
      </section>
    </SettingsFrame>
  );
}

export interface DeliveryPage {
  rows: DeliveryRow[];
  status: string | null;
  older: string | null;
  /** The newest page: it refreshes itself. */
  first: boolean;
}

export function WebhookPage(props: { ctx: ViewContext; webhook: WebhookRow; form: WebhookForm; deliveries: DeliveryPage; notice?: string | null }) {
  const { ctx, webhook: w } = props;
  const failing = webhookHealth(w) === "failing";
  return (
    <SettingsFrame ctx={ctx} area="webhooks" title={ctx.t("webhooks.edit")} notice={props.notice}>
      <p><a href="/settings/webhooks">{ctx.t("webhooks.back")}</a></p>
      <p><HealthBadge ctx={ctx} w={w} /> <code>{w.url}</code></p>
      {failing ? (
        <p class="form-error" role="alert" data-failing>
          {ctx.t("webhooks.failing_detail", { n: w.consecutive_failures, since: formatDateTime(w.failing_since ?? w.updated_at, ctx.lang, ctx.timeZone), error: w.last_error ?? "" })}
        </p>
      ) : null}
      <form method="post" action={`/settings/webhooks/${w.id}`} class="settings-form" novalidate>
        <Csrf ctx={ctx} />
        <FormFields ctx={ctx} form={props.form} editing />
        <div class="form-actions"><button type="submit" class="primary">{ctx.t("webhooks.save")}</button></div>
      </form>
      <p class="row-actions">
        <ActionButton ctx={ctx} action={`/settings/webhooks/${w.id}/ping`} label={ctx.t("webhooks.ping")} />
        <ActionButton ctx={ctx} action={`/settings/webhooks/${w.id}/delete`} label={ctx.t("webhooks.delete")} confirm={ctx.t("webhooks.delete_confirm")} danger />
      </p>
      <section aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">{ctx.t("webhooks.deliveries")}</h2>
        <nav class="filters" aria-label={ctx.t("webhooks.delivery.status")}>
          {[null, "pending", "delivered", "failed"].map((s) => (
            <a href={`/settings/webhooks/${w.id}${s ? `?status=${s}` : ""}`} aria-current={props.deliveries.status === s ? "page" : undefined}>
              {s ? ctx.t(`webhooks.delivery.status.${s as DeliveryRow["status"]}`) : ctx.t("webhooks.filter.all")}
            </a>
          )).flatMap((a, i) => (i ? [" · ", a] : [a]))}
        </nav>
        <Deliveries ctx={ctx} webhookId={w.id} page={props.deliveries} />
      </section>
    </SettingsFrame>
  );
}

/** The deliveries table; the newest page asks for itself again every few seconds (htmx). */
export function Deliveries(props: { ctx: ViewContext; webhookId: number; page: DeliveryPage }) {
  const { ctx, page } = props;
  const base = `/settings/webhooks/${props.webhookId}`;
  const query = page.status ? `status=${page.status}` : "";
  const live = page.first ? { "hx-get": `${base}/deliveries${query ? `?${query}` : ""}`, "hx-trigger": "every 4s", "hx-swap": "outerHTML" } : {};
  return (
    <div id="deliveries" {...live}>
      {page.rows.length === 0 ? <p class="empty">{ctx.t("webhooks.deliveries_empty")}</p> : (
        <DataTable ctx={ctx} class="deliveries-table" columns={[ctx.t("webhooks.delivery.time"), ctx.t("webhooks.delivery.event"), ctx.t("webhooks.delivery.status"), ctx.t("webhooks.delivery.response"), ctx.t("webhooks.delivery.duration"), ctx.t("webhooks.delivery.attempts")]}>
          {page.rows.map((d) => <DeliveryRowView ctx={ctx} base={base} d={d} />)}
        </DataTable>
      )}
      <p class="pager">
        {page.first ? null : <a href={`${base}${query ? `?${query}` : ""}`}>{ctx.t("webhooks.newest")}</a>}{" "}
        {page.older ? <a href={`${base}?${query ? `${query}&` : ""}cursor=${page.older}`}>{ctx.t("webhooks.older")}</a> : null}
      </p>
    </div>
  );
}

function DeliveryRowView(props: { ctx: ViewContext; base: string; d: DeliveryRow }) {
  const { ctx, d } = props;
  const at = (ms: number) => formatDateTime(ms, ctx.lang, ctx.timeZone);
  return (
    <tr data-delivery-id={d.uid} data-delivery-status={d.status}>
      <td>{at(d.created_at)}</td>
      <td><code>{d.event}</code></td>
      <td>
        <span class={`badge ${DELIVERY_BADGE[d.status]}`}>{ctx.t(`webhooks.delivery.status.${d.status}`)}</span>
        {d.status === "pending" && d.due_at !== null && d.attempts > 0 ? <div class="hint">{ctx.t("webhooks.delivery.next_attempt", { time: at(d.due_at) })}</div> : null}
      </td>
      <td>
        {d.response_status !== null ? <code>HTTP {d.response_status}</code> : d.error ? <span>{d.error}</span> : "—"}
        {/* Kept as it is when the table refreshes itself, so a disclosure the admin opened stays open. */}
        <details id={`delivery-${d.uid}`} hx-preserve="true">
          <summary>{ctx.t("webhooks.open")}</summary>
          <p>{ctx.t("webhooks.delivery.id")}: <code>{d.uid}</code></p>
          <p>{ctx.t("webhooks.delivery.payload")}</p>
          <pre class="json">{JSON.stringify(JSON.parse(d.payload), null, 2)}</pre>
          <p>{ctx.t("webhooks.delivery.answer")}</p>
          <pre class="json" data-answer>{d.response_body ?? d.error ?? ctx.t("webhooks.delivery.no_answer")}</pre>
        </details>
      </td>
      <td>{d.duration_ms === null ? "—" : `${d.duration_ms} ms`}</td>
      <td>{d.attempts}</td>
      <td class="row-actions">
        {d.status === "pending" ? null : <ActionButton ctx={ctx} action={`${props.base}/deliveries/${d.uid}/redeliver`} label={ctx.t("webhooks.redeliver")} />}
      </td>
    </tr>
  );
}
