// Settings > Canned replies: short texts agents insert by typing "/" and a shortcut, per team.
import type { ViewContext } from "../context.ts";
import type { CannedReplyRow } from "../../src/store/canned-replies.ts";
import { SettingsFrame, DataTable, Csrf, ActionButton } from "./frame.tsx";
import { TextField, TextArea, Select, FormError } from "./fields.tsx";

export interface CannedForm { values: Record<string, string>; errors: Record<string, string>; formError?: string | null }

function ReplyFields(props: { ctx: ViewContext; form: CannedForm; teams: { id: number; name: string }[] }) {
  const { ctx, form } = props;
  const options = [{ value: "", label: ctx.t("settings.canned.global") }, ...props.teams.map((t) => ({ value: String(t.id), label: t.name }))];
  return (
    <>
      <FormError message={form.formError} />
      <Select name="team_id" label={ctx.t("settings.canned.team")} value={form.values.team_id ?? ""} options={options} error={form.errors.team_id} />
      <TextField name="shortcut" label={ctx.t("settings.canned.shortcut")} value={form.values.shortcut} required hint={ctx.t("settings.canned.shortcut_format")} error={form.errors.shortcut} />
      <TextArea name="text" label={ctx.t("settings.canned.text")} value={form.values.text} required rows={5} hint={ctx.t("variables.hint")} error={form.errors.text} />
    </>
  );
}

export function CannedRepliesPage(props: { ctx: ViewContext; replies: CannedReplyRow[]; teams: { id: number; name: string }[]; form: CannedForm; notice?: string | null }) {
  const { ctx } = props;
  const teamName = new Map(props.teams.map((t) => [t.id, t.name]));
  return (
    <SettingsFrame ctx={ctx} area="canned" title={ctx.t("settings.canned.title")} notice={props.notice}>
      <p class="hint">{ctx.t("settings.canned.hint")}</p>
      {props.replies.length === 0 ? <p class="empty">{ctx.t("settings.canned.empty")}</p> : (
        <DataTable ctx={ctx} class="canned-table" columns={[ctx.t("settings.canned.shortcut"), ctx.t("settings.canned.text"), ctx.t("settings.canned.team")]}>
            {props.replies.map((r) => (
              <tr data-reply-id={String(r.id)}>
                <td><code>/{r.shortcut}</code></td>
                <td class="reply-text">{r.text}</td>
                <td>{r.team_id === null ? ctx.t("settings.canned.global") : teamName.get(r.team_id) ?? `#${r.team_id}`}</td>
                <td class="row-actions">
                  <a class="button" href={`/settings/canned-replies/${r.id}`}>{ctx.t("common.edit")}</a>
                  <ActionButton ctx={ctx} action={`/settings/canned-replies/${r.id}/delete`} label={ctx.t("common.delete")} confirm={ctx.t("settings.confirm_delete")} danger />
                </td>
              </tr>
            ))}
          </DataTable>
      )}
      <section aria-labelledby="canned-add-title">
        <h2 id="canned-add-title">{ctx.t("settings.canned.add")}</h2>
        <form method="post" action="/settings/canned-replies" class="settings-form" novalidate>
          <Csrf ctx={ctx} />
          <ReplyFields ctx={ctx} form={props.form} teams={props.teams} />
          <div class="form-actions"><button type="submit" class="primary">{ctx.t("settings.canned.add")}</button></div>
        </form>
      </section>
    </SettingsFrame>
  );
}

export function CannedReplyEditPage(props: { ctx: ViewContext; id: number; teams: { id: number; name: string }[]; form: CannedForm }) {
  const { ctx } = props;
  return (
    <SettingsFrame ctx={ctx} area="canned" title={ctx.t("settings.canned.edit")}>
      <form method="post" action={`/settings/canned-replies/${props.id}`} class="settings-form" novalidate>
        <Csrf ctx={ctx} />
        <ReplyFields ctx={ctx} form={props.form} teams={props.teams} />
        <div class="form-actions">
          <button type="submit" class="primary">{ctx.t("common.save")}</button>
          <a class="button link" href="/settings/canned-replies">{ctx.t("common.cancel")}</a>
        </div>
      </form>
    </SettingsFrame>
  );
}
