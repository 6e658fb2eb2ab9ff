// The contact's details as a form inside the panel: name, phone, email and the attributes as
// key/value rows. Adding or removing a row re-renders the form on the server (no script of its own).
import type { ViewContext } from "../context.ts";
import { panelUrls } from "./urls.ts";

export interface ContactForm {
  name: string;
  phone: string;
  email: string;
  attrs: [string, string][];
}

export function ContactEditForm(props: {
  ctx: ViewContext; d: { id: number; conversationId: number }; form: ContactForm; error?: { field: string; message: string }; focusLast?: boolean;
}) {
  const { ctx, form, error } = props;
  const t = ctx.t;
  const urls = panelUrls(props.d);
  const invalid = (field: string) => (error?.field === field ? { "aria-invalid": "true", "aria-describedby": "contact-edit-error" } : {});
  const rowsUrl = urls.edit;
  return (
    <form id="contact-edit" class="contact-edit" hx-post={urls.save} hx-target="#contact-pane" hx-swap="outerHTML" novalidate aria-label={t("contact.edit")}>
      <input type="hidden" name="_csrf" value={ctx.csrf} />
      {error ? <p class="form-error" role="alert" id="contact-edit-error">{error.message}</p> : null}
      <label for="ce-name">{t("contact.name")}</label>
      <input id="ce-name" name="name" value={form.name} maxlength={200} autocomplete="off" autofocus={!error && !props.focusLast} {...invalid("name")} />
      <label for="ce-phone">{t("contact.phone")}</label>
      <input id="ce-phone" name="phone" type="tel" inputmode="tel" value={form.phone} maxlength={40} autocomplete="off" autofocus={error?.field === "phone"} {...invalid("phone")} />
      <label for="ce-email">{t("contact.email")}</label>
      <input id="ce-email" name="email" type="email" value={form.email} maxlength={200} autocomplete="off" autofocus={error?.field === "email"} {...invalid("email")} />
      <fieldset class="attr-rows">
        <legend>{t("contact.attributes")}</legend>
        {form.attrs.map(([k, v], i) => {
          const last = props.focusLast && i === form.attrs.length - 1;
          return (
            <div class="attr-row">
              <label class="visually-hidden" for={`ce-k${i}`}>{t("contact.attr_key_n", { n: i + 1 })}</label>
              <input id={`ce-k${i}`} name={`attr_key_${i}`} value={k} maxlength={100} placeholder={t("contact.attr_key")} autocomplete="off"
                autofocus={last || error?.field === `attr_${i}`} {...invalid(`attr_${i}`)} />
              <label class="visually-hidden" for={`ce-v${i}`}>{t("contact.attr_value_n", { n: i + 1 })}</label>
              <input id={`ce-v${i}`} name={`attr_value_${i}`} value={v} maxlength={1000} placeholder={t("contact.attr_value")} autocomplete="off" />
              <button type="button" class="icon-button" hx-post={rowsUrl} hx-vals={JSON.stringify({ op: `remove:${i}` })}
                aria-label={t("contact.attr_remove", { key: k || t("contact.attr_key_n", { n: i + 1 }) })}>×</button>
            </div>
          );
        })}
        <button type="button" hx-post={rowsUrl} hx-vals={JSON.stringify({ op: "add" })}>{t("contact.attr_add")}</button>
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="primary">{t("common.save")}</button>
        <button type="button" hx-get={`${urls.panel}&focus=1`} hx-target="#contact-pane" hx-swap="outerHTML">{t("common.cancel")}</button>
      </div>
    </form>
  );
}
