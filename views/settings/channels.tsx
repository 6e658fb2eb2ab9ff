// Settings > Channels: every channel with its health, and the add/edit form built from the
// channel kind's config schema (so new kinds show up without changes here).
import type { ViewContext } from "../context.ts";
import type { MessageKey } from "../i18n/index.ts";
import { SettingsFrame, DataTable, Csrf, ActionButton } from "./frame.tsx";
import { TextField, TextArea, Select, Checkbox, FormError } from "./fields.tsx";
import { ChannelUsage, type ChannelUsageView } from "./channel-usage.tsx";

export interface ChannelListItem { id: number; type: string; name: string; status: string; statusDetail: string | null }

export interface FieldView {
  name: string;
  label: string;
  kind: "text" | "secret" | "number" | "boolean" | "enum" | "group" | "list" | "channel" | "team" | "readonly";
  required: boolean;
  value: string;
  checked: boolean;
  saved: boolean;
  format?: string;
  /** Enum values, or for "channel" the saved channels it may name, for "team" the teams. */
  options?: { value: string; label: string }[];
  error?: string;
  children?: FieldView[];
}

/** A catalogue key built from data (a type, a status) may not exist: fall back to the raw word. */
export function label(ctx: ViewContext, key: string, fallback: string): string {
  const s = ctx.t(key as MessageKey);
  return s === key ? fallback : s;
}
export const typeLabel = (ctx: ViewContext, type: string) => label(ctx, `settings.channels.type.${type}`, type);

export function StatusBadge(props: { ctx: ViewContext; status: string }) {
  return <span class={`badge status-${props.status}`}>{label(props.ctx, `settings.channels.status.${props.status}`, props.status)}</span>;
}

export function ChannelsPage(props: { ctx: ViewContext; channels: ChannelListItem[]; types: string[]; notice?: string | null }) {
  const { ctx } = props;
  return (
    <SettingsFrame ctx={ctx} area="channels" title={ctx.t("settings.channels.title")} notice={props.notice}>
      <div class="toolbar">
        {props.types.map((type) => (
          <a class="button primary" href={`/settings/channels/new/${type}`}>{ctx.t("settings.channels.add_type", { type: typeLabel(ctx, type) })}</a>
        ))}
      </div>
      {props.channels.length === 0 ? (
        <p class="empty">{ctx.t("settings.channels.empty")}</p>
      ) : (
        <DataTable ctx={ctx} class="channels-table" columns={[ctx.t("settings.name"), ctx.t("settings.channels.type"), ctx.t("settings.channels.status"), ctx.t("settings.channels.last_error")]}>
            {props.channels.map((ch) => (
              <tr data-channel-id={String(ch.id)}>
                <td><a href={`/settings/channels/${ch.id}`}>{ch.name}</a></td>
                <td><span class={`channel-type type-${ch.type}`}>{typeLabel(ctx, ch.type)}</span></td>
                <td><StatusBadge ctx={ctx} status={ch.status} /></td>
                <td class="status-detail">{ch.statusDetail ?? ""}</td>
                <td class="row-actions">
                  <a class="button" href={`/settings/channels/${ch.id}`}>{ctx.t("common.edit")}</a>
                  {ch.status === "paused" ? (
                    <ActionButton ctx={ctx} action={`/settings/channels/${ch.id}/resume`} label={ctx.t("settings.channels.resume")} />
                  ) : (
                    <ActionButton ctx={ctx} action={`/settings/channels/${ch.id}/pause`} label={ctx.t("settings.channels.pause")} />
                  )}
                  <ActionButton ctx={ctx} action={`/settings/channels/${ch.id}/delete`} label={ctx.t("common.delete")} confirm={ctx.t("settings.channels.delete_confirm")} danger />
                </td>
              </tr>
            ))}
          </DataTable>
      )}
    </SettingsFrame>
  );
}

function ConfigField(props: { ctx: ViewContext; f: FieldView }) {
  const { ctx, f } = props;
  const name = `config.${f.name}`;
  if (f.kind === "group") {
    return (
      <fieldset class="field-group">
        <legend>{f.label}</legend>
        {f.children!.map((c) => <ConfigField ctx={ctx} f={c} />)}
      </fieldset>
    );
  }
  if (f.kind === "boolean") return <Checkbox name={name} label={f.label} checked={f.checked} error={f.error} />;
  if (f.kind === "enum" || f.kind === "channel" || f.kind === "team") {
    const options = [...(f.required ? [] : [{ value: "", label: "—" }]), ...f.options!];
    return <Select name={name} label={f.label} value={f.value} options={options} error={f.error} />;
  }
  if (f.kind === "list") return <TextArea name={name} label={f.label} value={f.value} required={f.required} error={f.error} rows={3} />;
  if (f.kind === "readonly") {
    // Not a form field: Pano made it and a save keeps it.
    const id = `f-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
    return (
      <div class="field">
        <label for={id}>{f.label}</label>
        <input id={id} type="text" value={f.value} readonly placeholder={ctx.t("settings.channels.generated")} />
      </div>
    );
  }
  if (f.kind === "secret") {
    return (
      <TextField name={name} label={f.label} type="password" autocomplete="new-password" error={f.error} required={f.required && !f.saved}
        placeholder={f.saved ? "••••" : undefined} hint={f.saved ? ctx.t("settings.channels.secret_kept") : undefined} />
    );
  }
  const type = f.kind === "number" ? "number" : f.format === "url" ? "url" : f.format === "email" ? "email" : "text";
  return <TextField name={name} label={f.label} type={type} value={f.value} required={f.required} error={f.error} />;
}

export function TestResult(props: { result: { ok: boolean; message: string } | null }) {
  if (!props.result) return null;
  return <p class={props.result.ok ? "test-result ok" : "test-result failed"} role="status">{props.result.message}</p>;
}

export function ChannelFormPage(props: {
  ctx: ViewContext; type: string; channelId: number | null; name: string; fields: FieldView[]; errors: Record<string, string>;
  formError?: string | null; test?: { ok: boolean; message: string } | null; endpoints: { label: string; url: string }[];
  /** The kind's own links for a saved channel ("Connect with Zalo"), labels already translated. */
  links: { href: string; label: string; hint?: string }[];
  /** Lines to paste elsewhere (a widget's snippet), with a copy button; labels translated. */
  snippets?: { label: string; code: string }[];
  /** A live preview of what customers see: a page of Pano's own, framed. */
  preview?: { src: string; title: string } | null;
  /** A template channel's quota, failures and "sync templates" (settings-channel-usage.ts). */
  usage?: ChannelUsageView | null;
  notice?: string | null;
}) {
  const { ctx } = props;
  const editing = props.channelId !== null;
  const action = editing ? `/settings/channels/${props.channelId}` : `/settings/channels/new/${props.type}`;
  const title = editing ? `${ctx.t("settings.channels.edit")}: ${props.name}` : ctx.t("settings.channels.add_type", { type: typeLabel(ctx, props.type) });
  return (
    <SettingsFrame ctx={ctx} area="channels" title={title} notice={props.notice}>
      {props.endpoints.length ? (
        <dl class="endpoints">
          {props.endpoints.map((e) => (<><dt>{e.label}</dt><dd><code>{e.url}</code></dd></>))}
        </dl>
      ) : null}
      {props.links.map((l) => (
        <div class="connect-box">
          <a class="button primary" href={l.href}>{l.label}</a>
          {l.hint ? <small class="hint">{l.hint}</small> : null}
        </div>
      ))}
      {props.usage ? <ChannelUsage ctx={ctx} u={props.usage} /> : null}
      {(props.snippets ?? []).map((sn, i) => (
        <div class="snippet-box">
          <p id={`snippet-${i}-label`}>{sn.label}</p>
          <pre><code id={`snippet-${i}`} aria-labelledby={`snippet-${i}-label`}>{sn.code}</code></pre>
          <button type="button" data-copy={`snippet-${i}`} data-copied={ctx.t("settings.channels.copied")}>{ctx.t("settings.channels.copy")}</button>
        </div>
      ))}
      {props.preview ? (
        <figure class="channel-preview">
          <figcaption>{props.preview.title}</figcaption>
          <iframe src={props.preview.src} title={props.preview.title} loading="lazy"></iframe>
        </figure>
      ) : null}
      <form method="post" action={action} class="settings-form channel-form" novalidate>
        <Csrf ctx={ctx} />
        <input type="hidden" name="type" value={props.type} />
        {editing ? <input type="hidden" name="channel_id" value={String(props.channelId)} /> : null}
        <FormError message={props.formError} />
        <TextField name="name" label={ctx.t("settings.name")} value={props.name} required error={props.errors.name} />
        {props.fields.map((f) => <ConfigField ctx={ctx} f={f} />)}
        <div class="form-actions">
          <button type="submit" class="primary">{ctx.t("common.save")}</button>
          <button type="submit" formaction="/settings/channels/test" hx-post="/settings/channels/test" hx-target="#conn-test" hx-swap="innerHTML">
            {ctx.t("settings.channels.test")}
          </button>
          <a class="button link" href="/settings/channels">{ctx.t("common.cancel")}</a>
        </div>
        <div id="conn-test" aria-live="polite"><TestResult result={props.test ?? null} /></div>
      </form>
    </SettingsFrame>
  );
}
