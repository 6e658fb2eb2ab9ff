// Settings > API tokens: create (the token is shown once), list, revoke.
import type { ViewContext } from "../context.ts";
import type { TokenListRow } from "../../src/store/api-tokens-admin.ts";
import { formatDateTime } from "../i18n/index.ts";
import { SettingsFrame, DataTable, Csrf, ActionButton } from "./frame.tsx";
import { TextField, Select, FormError, CheckboxGroup } from "./fields.tsx";
import { TOKEN_SCOPES } from "../../src/domain/token-scope.ts";

export interface TokenForm {
  values: Record<string, string>; errors: Record<string, string>; formError?: string | null;
  /** Ticked boxes; a fresh form ticks every scope (a token's default is its user's full rights). */
  scopes?: string[]; channelIds?: string[];
}

export function TokensPage(props: {
  ctx: ViewContext; tokens: TokenListRow[]; people: { id: number; name: string; email: string }[]; form: TokenForm;
  channels: { id: number; name: string }[]; created?: string | null; notice?: string | null;
}) {
  const { ctx, form } = props;
  const when = (ms: number | null) => (ms === null ? ctx.t("settings.tokens.never") : formatDateTime(ms, ctx.lang, ctx.timeZone));
  const scopeLabel = (s: string) => ctx.t(`settings.tokens.scope.${s as (typeof TOKEN_SCOPES)[number]}`);
  const channelNames = (json: string | null) =>
    json === null ? ctx.t("settings.tokens.all_channels") : (JSON.parse(json) as number[]).map((id) => props.channels.find((c) => c.id === id)?.name ?? `#${id}`).join(", ");
  return (
    <SettingsFrame ctx={ctx} area="tokens" title={ctx.t("settings.tokens.title")} notice={props.notice}>
      {props.created ? (
        <div class="secret-once" role="status">
          <p>{ctx.t("settings.tokens.created")}</p>
          <code data-secret="token">{props.created}</code>
        </div>
      ) : null}
      {props.tokens.length === 0 ? <p class="empty">{ctx.t("settings.tokens.empty")}</p> : (
        <DataTable ctx={ctx} class="tokens-table" columns={[ctx.t("settings.name"), ctx.t("settings.tokens.prefix"), ctx.t("settings.tokens.owner"), ctx.t("settings.tokens.scopes"), ctx.t("settings.created_at"), ctx.t("settings.tokens.last_used"), ctx.t("settings.tokens.status")]}>
            {props.tokens.map((tk) => (
              <tr data-token-id={String(tk.id)}>
                <td>{tk.name}</td>
                <td><code>{tk.prefix}…</code></td>
                <td>{tk.owner_name ?? tk.owner_email ?? `#${tk.user_id}`}</td>
                <td>{tk.scopes.split(",").map(scopeLabel).join(", ")} · {channelNames(tk.channel_ids)}</td>
                <td>{when(tk.created_at)}</td>
                <td>{when(tk.last_used_at)}</td>
                <td>
                  {tk.revoked_at === null
                    ? <span class="badge status-active">{ctx.t("settings.tokens.active")}</span>
                    : <span class="badge status-paused">{ctx.t("settings.tokens.revoked")}</span>}
                </td>
                <td class="row-actions">
                  {tk.revoked_at === null ? (
                    <ActionButton ctx={ctx} action={`/settings/tokens/${tk.id}/revoke`} label={ctx.t("settings.tokens.revoke")} confirm={ctx.t("settings.tokens.revoke_confirm")} danger />
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
      )}
      <section aria-labelledby="token-add-title">
        <h2 id="token-add-title">{ctx.t("settings.tokens.add")}</h2>
        <form method="post" action="/settings/tokens" class="settings-form" novalidate>
          <Csrf ctx={ctx} />
          <FormError message={form.formError} />
          <TextField name="name" label={ctx.t("settings.name")} value={form.values.name} required error={form.errors.name} />
          <Select name="user_id" label={ctx.t("settings.tokens.owner")} value={form.values.user_id ?? String(ctx.user.id)}
            options={props.people.map((p) => ({ value: String(p.id), label: `${p.name} <${p.email}>` }))} error={form.errors.user_id} />
          {/* Sent even with every box cleared, so that is told apart from a client that names no scopes. */}
          <input type="hidden" name="scopes" value="" />
          <CheckboxGroup name="scopes" legend={ctx.t("settings.tokens.scopes")} options={TOKEN_SCOPES.map((s) => ({ value: s, label: scopeLabel(s) }))}
            checked={form.scopes ?? [...TOKEN_SCOPES]} error={form.errors.scopes} />
          {props.channels.length ? (
            <CheckboxGroup name="channel_ids" legend={ctx.t("settings.tokens.channels")} options={props.channels.map((c) => ({ value: String(c.id), label: c.name }))}
              checked={form.channelIds ?? []} error={form.errors.channel_ids} />
          ) : null}
          {props.channels.length ? <p class="hint">{ctx.t("settings.tokens.channels_hint")}</p> : null}
          <div class="form-actions"><button type="submit" class="primary">{ctx.t("settings.tokens.add")}</button></div>
        </form>
      </section>
    </SettingsFrame>
  );
}
