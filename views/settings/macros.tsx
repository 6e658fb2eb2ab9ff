// Settings › Macros: everyone keeps their own; admins and supervisors also share them with
// everyone or one team. One field per kind of action; what is left empty is not part of it.
import type { ViewContext } from "../context.ts";
import type { MessageKey } from "../i18n/index.ts";
import type { MacroAction } from "../../src/domain/macro.ts";
import { SettingsFrame, DataTable, Csrf, ActionButton } from "./frame.tsx";
import { TextField, TextArea, Select, FormError } from "./fields.tsx";
import { describeAction, type Names } from "../macros/summary.ts";

export interface MacroForm { values: Record<string, string>; errors: Record<string, string>; formError?: string | null }

export interface MacroListRow {
  id: number;
  name: string;
  /** "personal", "everyone" or the team's name. */
  who: string;
  actions: MacroAction[];
  manageable: boolean;
}

export interface MacroChoices {
  /** Whether this person may share macros (admins, supervisors). */
  share: boolean;
  teams: { id: number; name: string }[];
  /** Teams a macro may move conversations to: an agent's own, or all. */
  moveTeams: { id: number; name: string }[];
  agents: { id: number; name: string }[];
}

const STATUSES = ["open", "pending", "resolved"] as const;
const PRIORITIES = ["urgent", "high", "normal", "low"] as const;

function MacroFields(props: { ctx: ViewContext; form: MacroForm; choices: MacroChoices }) {
  const { ctx, form, choices } = props;
  const t = ctx.t;
  const v = form.values;
  const unchanged = { value: "", label: t("macros.unchanged") };
  const visibility = [
    { value: "personal", label: t("macros.visibility.personal") },
    ...(choices.share ? [{ value: "everyone", label: t("macros.visibility.everyone") }, ...choices.teams.map((x) => ({ value: `team:${x.id}`, label: t("macros.visibility.team", { team: x.name }) }))] : []),
  ];
  return (
    <>
      <FormError message={form.formError} />
      <TextField name="name" label={t("macros.name")} value={v.name} required error={form.errors.name} />
      <Select name="visibility" label={t("macros.visibility")} value={v.visibility ?? "personal"} options={visibility} error={form.errors.visibility} />
      <fieldset class="macro-actions">
        <legend>{t("macros.actions")}</legend>
        <TextArea name="reply" label={t("macros.reply")} value={v.reply} rows={4} hint={t("variables.hint")} error={form.errors.reply} />
        <TextArea name="note" label={t("macros.note")} value={v.note} rows={2} error={form.errors.note} />
        <TextField name="add_labels" label={t("macros.add_labels")} value={v.add_labels} hint={t("macros.labels_hint")} error={form.errors.add_labels} />
        <TextField name="remove_labels" label={t("macros.remove_labels")} value={v.remove_labels} hint={t("macros.labels_hint")} error={form.errors.remove_labels} />
        <Select name="assign" label={t("macros.assign")} value={v.assign} error={form.errors.assign}
          options={[unchanged, { value: "me", label: t("macros.assign_me") }, { value: "none", label: t("macros.nobody") }, ...choices.agents.map((a) => ({ value: String(a.id), label: a.name }))]} />
        <Select name="team" label={t("macros.team")} value={v.team} error={form.errors.team}
          options={[unchanged, { value: "none", label: t("macros.no_team") }, ...choices.moveTeams.map((x) => ({ value: String(x.id), label: x.name }))]} />
        <Select name="priority" label={t("macros.priority")} value={v.priority} error={form.errors.priority}
          options={[unchanged, ...PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}` as MessageKey) }))]} />
        <Select name="status" label={t("macros.status")} value={v.status} error={form.errors.status}
          options={[unchanged, ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as MessageKey) }))]} />
      </fieldset>
    </>
  );
}

export function MacrosPage(props: { ctx: ViewContext; rows: MacroListRow[]; names: Names; choices: MacroChoices; form: MacroForm; notice?: string | null }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <SettingsFrame ctx={ctx} area="macros" title={t("macros.title")} notice={props.notice}>
      <p class="hint">{t("macros.hint")}</p>
      {props.rows.length === 0 ? <p class="empty">{t("macros.empty")}</p> : (
        <DataTable ctx={ctx} class="macros-table" columns={[t("macros.name"), t("macros.visibility"), t("macros.actions")]}>
          {props.rows.map((m) => (
            <tr data-macro-id={String(m.id)}>
              <td>{m.name}</td>
              <td>{m.who}</td>
              <td>{m.actions.map((a) => describeAction(t, a, props.names)).join(" · ")}</td>
              <td class="row-actions">
                {m.manageable ? (
                  <>
                    <a class="button" href={`/settings/macros/${m.id}`}>{t("common.edit")}</a>
                    <ActionButton ctx={ctx} action={`/settings/macros/${m.id}/delete`} label={t("common.delete")} confirm={t("settings.confirm_delete")} danger />
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <section aria-labelledby="macro-add-title">
        <h2 id="macro-add-title">{t("macros.add")}</h2>
        <form method="post" action="/settings/macros" class="settings-form" novalidate>
          <Csrf ctx={ctx} />
          <MacroFields ctx={ctx} form={props.form} choices={props.choices} />
          <div class="form-actions"><button type="submit" class="primary">{t("macros.add")}</button></div>
        </form>
      </section>
    </SettingsFrame>
  );
}

export function MacroEditPage(props: { ctx: ViewContext; id: number; choices: MacroChoices; form: MacroForm }) {
  const { ctx } = props;
  return (
    <SettingsFrame ctx={ctx} area="macros" title={ctx.t("macros.edit")}>
      <form method="post" action={`/settings/macros/${props.id}`} class="settings-form" novalidate>
        <Csrf ctx={ctx} />
        <MacroFields ctx={ctx} form={props.form} choices={props.choices} />
        <div class="form-actions">
          <button type="submit" class="primary">{ctx.t("common.save")}</button>
          <a class="button link" href="/settings/macros">{ctx.t("common.cancel")}</a>
        </div>
      </form>
    </SettingsFrame>
  );
}
