// "New message" on a customer's profile (the panel beside a conversation): every channel says
// before anything is typed whether it can reach this customer now, and why not; the chosen one
// asks for what its first message is made of (a text, a mail, a template's params, nothing for a call).
import type { ViewContext } from "../context.ts";
import { Icon } from "../layout.tsx";
import { channelLabel } from "../inbox/list.tsx";

export type OutreachFormKind = "text" | "mail" | "template" | "call";

export interface TemplateView {
  id: string;
  name: string;
  usable: boolean;
  status: string;
  preview: string;
  previewUrl: string | null;
  price: string | null;
  params: { name: string; type: string; required: boolean; maxLength: number | null }[];
}

export interface NewMessageData {
  contactId: number;
  /** The conversation the panel sits beside in the inbox; null on the customer's profile page. */
  conversationId: number | null;
  name: string;
  channels: { id: number; type: string; name: string; ok: boolean; form?: OutreachFormKind; reason?: string }[];
  chosen: { id: number; form: OutreachFormKind } | null;
  templates: TemplateView[];
  template: TemplateView | null;
  values: Record<string, string>;
  quota: { daily: number | null; remaining: number | null } | null;
  error: string | null;
}

const url = (d: NewMessageData, extra = "") => `/contacts/${d.contactId}/new-message?${d.conversationId === null ? "in=profile" : `c=${d.conversationId}`}${extra}`;
/** Where the panel lives: the inbox's contact pane, or a box on the profile page; every swap targets it. */
const home = (d: NewMessageData) => (d.conversationId === null ? "#profile-new-message" : "#contact-pane");

export function NewMessagePanel(props: { ctx: ViewContext; d: NewMessageData }) {
  const { ctx, d } = props;
  const t = ctx.t;
  const body = (
    <section class="contact-card">
      <header>
        <h2 id="new-message-title">{t("outreach.title", { name: d.name })}</h2>
        {d.conversationId === null ? null : (
          <button type="button" class="icon-button close" hx-get={`/contacts/${d.contactId}/panel?c=${d.conversationId}`} hx-target="#contact-pane" hx-swap="outerHTML" aria-label={t("outreach.back")}>×</button>
        )}
      </header>
      <h3>{t("outreach.channels")}</h3>
      <ul class="outreach-channels">
        {d.channels.map((ch) => (
          <li data-channel={ch.id} data-can-start={ch.ok ? "1" : "0"}>
            {ch.ok ? (
              <button type="button" class={d.chosen?.id === ch.id ? "primary" : ""} aria-pressed={d.chosen?.id === ch.id ? "true" : "false"}
                hx-get={url(d, `&channel=${ch.id}`)} hx-target={home(d)} hx-swap="outerHTML">
                <Icon name={ch.type} /> {ch.name} <span class="muted">· {channelLabel(ctx, ch.type)} · {t(`outreach.form.${ch.form!}`)}</span>
              </button>
            ) : (
              <p class="outreach-refused">
                <Icon name={ch.type} /> <strong>{ch.name}</strong> <span class="muted">· {t("outreach.cannot")}</span>
                <br /><small class="verdict" role="note">{ch.reason}</small>
              </p>
            )}
          </li>
        ))}
      </ul>
      {d.chosen ? <OutreachForm ctx={ctx} d={d} chosen={d.chosen} /> : null}
    </section>
  );
  return d.conversationId === null ? (
    <div id="profile-new-message" class="new-message" aria-labelledby="new-message-title" data-contact={d.contactId}>{body}</div>
  ) : (
    <aside id="contact-pane" class="pane pane-contact new-message" aria-labelledby="new-message-title" data-contact={d.contactId}>{body}</aside>
  );
}

function OutreachForm(props: { ctx: ViewContext; d: NewMessageData; chosen: { id: number; form: OutreachFormKind } }) {
  const { ctx, d, chosen } = props;
  const t = ctx.t;
  return (
    <form class="outreach-form" method="post" action={url(d)} hx-post={url(d)} hx-target={home(d)} hx-swap="outerHTML">
      <input type="hidden" name="_csrf" value={ctx.csrf} />
      <input type="hidden" name="channel_id" value={String(chosen.id)} />
      {d.error ? <p class="error" role="alert" id="outreach-error">{d.error}</p> : null}
      {chosen.form === "mail" ? (
        <label>{t("outreach.subject")}<input type="text" name="subject" required maxlength={250} value={d.values.subject ?? ""} autofocus /></label>
      ) : null}
      {chosen.form === "text" || chosen.form === "mail" ? (
        <label>{t("outreach.text")}<textarea name="text" rows={5} required autofocus={chosen.form === "text"}>{d.values.text ?? ""}</textarea></label>
      ) : null}
      {chosen.form === "template" ? <TemplateFields ctx={ctx} d={d} /> : null}
      <div class="bar">
        <button type="submit" class="primary" disabled={chosen.form === "template" && !d.template?.usable}>
          <Icon name={chosen.form === "call" ? "phone" : "send"} /> {chosen.form === "call" ? t("outreach.call") : t("outreach.send")}
        </button>
      </div>
    </form>
  );
}

function TemplateFields(props: { ctx: ViewContext; d: NewMessageData }) {
  const { ctx, d } = props;
  const t = ctx.t;
  const tpl = d.template;
  const preview = tpl ? tpl.preview.replace(/<([^<>]+)>/g, (m, k) => d.values[`p.${k}`] || m) : "";
  return (
    <>
      <label>{t("outreach.template")}
        <select name="template" hx-get={url(d, `&channel=${d.chosen!.id}`)} hx-trigger="change" hx-target={home(d)} hx-swap="outerHTML" autofocus={!tpl}>
          <option value="">{t("outreach.pick")}…</option>
          {d.templates.map((x) => (
            <option value={x.id} selected={tpl?.id === x.id} disabled={!x.usable}>{x.name}{x.usable ? "" : ` — ${t("outreach.template_status", { status: x.status })}`}</option>
          ))}
        </select>
      </label>
      {!d.templates.some((x) => x.usable) ? <p class="muted">{t("outreach.template_none")}</p> : null}
      {tpl ? (
        <>
          <input type="hidden" name="template_id" value={tpl.id} />
          <fieldset class="template-params">
            <legend>{t("outreach.params")}</legend>
            {tpl.params.map((p, i) => (
              <label>
                <code>{p.name}</code>
                <small class="muted"> {[p.required ? t("outreach.required") : "", p.maxLength ? t("outreach.max", { n: p.maxLength }) : "", p.type === "number" || p.type === "date" ? t(`outreach.type.${p.type}`) : ""].filter(Boolean).join(" · ")}</small>
                <input type="text" name={`p.${p.name}`} value={d.values[`p.${p.name}`] ?? ""} required={p.required} maxlength={p.maxLength ?? undefined}
                  inputmode={p.type === "number" ? "numeric" : undefined} autofocus={i === 0} />
              </label>
            ))}
          </fieldset>
          <h4>{t("outreach.preview")}</h4>
          <p class="template-preview">{preview}</p>
          <p class="muted">
            {tpl.previewUrl ? <a href={tpl.previewUrl} target="_blank" rel="noopener noreferrer">{t("outreach.preview_link")}</a> : null}
            {tpl.price ? <> · {t("outreach.price", { price: tpl.price })}</> : null}
            {d.quota && d.quota.remaining !== null ? <> · <span data-quota="">{t("outreach.quota", { remaining: d.quota.remaining, daily: d.quota.daily ?? "?" })}</span></> : null}
          </p>
        </>
      ) : null}
    </>
  );
}
