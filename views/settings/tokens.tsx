// Settings > API tokens: create (the token is shown once), list, revoke.
import type { ViewContext } from "../context.ts";
import type { TokenListRow } from "../../src/store/api-tokens-admin.ts";
import { formatDateTime } from "../i18n/index.ts";
import { SettingsFrame, DataTable, Csrf, ActionButton } from "./frame.tsx";
import { TextField, Select, FormError } from "./fields.tsx";

export interface TokenForm { values: Record<string, string>; errors: Record<string, string>; formError?: string | null }

export function TokensPage(props: {
  ctx: ViewContext; tokens: TokenListRow[]; people: { id: number; name: string; email: string }[]; form: TokenForm;
  created?: string | null; notice?: string | null;
}) {
  const { ctx, form } = props;
  const when = (ms: number | null) => (ms === null ? ctx.t("settings.tokens.never") : formatDateTime(ms, ctx.lang, ctx.timeZone));
  return (
    <SettingsFrame ctx={ctx} area="tokens" title={ctx.t("settings.tokens.title")} notice={props.notice}>
      {props.created ? (
        <div class="secret-once" role="status">
          <p>{ctx.t("settings.tokens.created")}</p>
          <code data-secret="token">{props.created}</code>
        </div>
      ) : null}
      {props.tokens.length === 0 ? <p class="empty">{ctx.t("settings.tokens.empty")}</p> : (
        <DataTable ctx={ctx} class="tokens-table" columns={[ctx.t("settings.name"), ctx.t("settings.tokens.prefix"), ctx.t("settings.tokens.owner"), ctx.t("settings.created_at"), ctx.t("settings.tokens.last_used"), ctx.t("settings.tokens.status")]}>
            {props.tokens.map((tk) => (
              <tr data-token-id={String(tk.id)}>
                <td>{tk.name}</td>
                <td><code>{tk.prefix}…</code></td>
                <td>{tk.owner_name ?? tk.owner_email ?? `#${tk.user_id}`}</td>
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
          <div class="form-actions"><button type="submit" class="primary">{ctx.t("settings.tokens.add")}</button></div>
        </form>
      </section>
    </SettingsFrame>
  );
}
