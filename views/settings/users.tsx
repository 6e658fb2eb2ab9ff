// Settings > Users: who works in Pano, their role, teams and capacity; invite and edit forms.
import type { ViewContext } from "../context.ts";
import type { UserRow } from "../../src/store/users.ts";
import { ROLES } from "../../src/domain/conversation.ts";
import { Avatar } from "../layout.tsx";
import { SettingsFrame, DataTable, Csrf, ActionButton } from "./frame.tsx";
import { TextField, Select, CheckboxGroup, FormError } from "./fields.tsx";
import { label } from "./channels.tsx";

export interface TeamOption { id: number; name: string }
export interface UserForm { values: Record<string, string>; teamIds: string[]; errors: Record<string, string>; formError?: string | null }

const roleLabel = (ctx: ViewContext, role: string) => label(ctx, `settings.users.role.${role}`, role);
const roleOptions = (ctx: ViewContext) => ROLES.map((r) => ({ value: r, label: roleLabel(ctx, r) }));
const teamOptions = (teams: TeamOption[]) => teams.map((t) => ({ value: String(t.id), label: t.name }));

/** Shown once after an invite or a reset: the password never appears again. */
function OneTimePassword(props: { ctx: ViewContext; email: string; password: string }) {
  return (
    <div class="secret-once" role="status">
      <p>{props.ctx.t("settings.users.created", { email: props.email })}</p>
      <p>{props.ctx.t("settings.users.one_time_password")}</p>
      <code data-secret="password">{props.password}</code>
    </div>
  );
}

export function UsersPage(props: {
  ctx: ViewContext; users: UserRow[]; teamsOf: Map<number, string[]>; teams: TeamOption[]; form: UserForm;
  created?: { email: string; password: string } | null; notice?: string | null;
}) {
  const { ctx, form } = props;
  return (
    <SettingsFrame ctx={ctx} area="users" title={ctx.t("settings.users.title")} notice={props.notice}>
      {props.created ? <OneTimePassword ctx={ctx} email={props.created.email} password={props.created.password} /> : null}
      <DataTable ctx={ctx} class="users-table" columns={[ctx.t("settings.name"), ctx.t("settings.users.email"), ctx.t("settings.users.role"), ctx.t("settings.users.teams"), ctx.t("settings.users.capacity")]}>
          {props.users.map((u) => (
            <tr data-user-id={String(u.id)}>
              <td><Avatar name={u.name} /> <a href={`/settings/users/${u.id}`}>{u.name}</a> {u.id === ctx.user.id ? <span class="muted">{ctx.t("settings.users.you")}</span> : null}</td>
              <td>{u.email}</td>
              <td><span class="badge role">{roleLabel(ctx, u.role)}</span></td>
              <td>{(props.teamsOf.get(u.id) ?? []).join(", ")}</td>
              <td>{String(u.capacity)}</td>
              <td class="row-actions">
                <a class="button" href={`/settings/users/${u.id}`}>{ctx.t("common.edit")}</a>
                {u.id === ctx.user.id ? null : (
                  <ActionButton ctx={ctx} action={`/settings/users/${u.id}/disable`} label={ctx.t("settings.users.disable")} confirm={ctx.t("settings.users.disable_confirm")} danger />
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      <section aria-labelledby="invite-title">
        <h2 id="invite-title">{ctx.t("settings.users.invite")}</h2>
        <form method="post" action="/settings/users" class="settings-form" novalidate>
          <Csrf ctx={ctx} />
          <FormError message={form.formError} />
          <TextField name="name" label={ctx.t("settings.name")} value={form.values.name} error={form.errors.name} />
          <TextField name="email" type="email" label={ctx.t("settings.users.email")} value={form.values.email} required error={form.errors.email} />
          <Select name="role" label={ctx.t("settings.users.role")} value={form.values.role || "agent"} options={roleOptions(ctx)} error={form.errors.role} />
          {props.teams.length ? <CheckboxGroup name="team_ids" legend={ctx.t("settings.users.teams")} options={teamOptions(props.teams)} checked={form.teamIds} error={form.errors.team_ids} /> : null}
          <TextField name="capacity" type="number" min={1} max={500} label={ctx.t("settings.users.capacity")} value={form.values.capacity || "20"} error={form.errors.capacity} />
          <TextField name="phone_user_id" label={ctx.t("call.phone_user_id")} hint={ctx.t("call.phone_user_id_hint")} value={form.values.phone_user_id} error={form.errors.phone_user_id} />
          <TextField name="password" type="password" autocomplete="new-password" label={ctx.t("settings.users.password")} hint={ctx.t("settings.users.password_hint")} error={form.errors.password} />
          <div class="form-actions"><button type="submit" class="primary">{ctx.t("settings.users.invite")}</button></div>
        </form>
      </section>
    </SettingsFrame>
  );
}

export function UserEditPage(props: { ctx: ViewContext; user: UserRow; teams: TeamOption[]; form: UserForm; notice?: string | null }) {
  const { ctx, user, form } = props;
  return (
    <SettingsFrame ctx={ctx} area="users" title={`${ctx.t("settings.users.edit")}: ${user.name}`} notice={props.notice}>
      <form method="post" action={`/settings/users/${user.id}`} class="settings-form" novalidate>
        <Csrf ctx={ctx} />
        <FormError message={form.formError} />
        <TextField name="name" label={ctx.t("settings.name")} value={form.values.name} required error={form.errors.name} />
        <p><strong>{ctx.t("settings.users.email")}:</strong> {user.email}</p>
        <Select name="role" label={ctx.t("settings.users.role")} value={form.values.role} options={roleOptions(ctx)} error={form.errors.role} />
        {props.teams.length ? <CheckboxGroup name="team_ids" legend={ctx.t("settings.users.teams")} options={teamOptions(props.teams)} checked={form.teamIds} error={form.errors.team_ids} /> : null}
        <TextField name="capacity" type="number" min={1} max={500} label={ctx.t("settings.users.capacity")} value={form.values.capacity} error={form.errors.capacity} />
        <TextField name="phone_user_id" label={ctx.t("call.phone_user_id")} hint={ctx.t("call.phone_user_id_hint")} value={form.values.phone_user_id} error={form.errors.phone_user_id} />
        <TextField name="password" type="password" autocomplete="new-password" label={ctx.t("settings.users.new_password")} hint={ctx.t("settings.users.password_keep")} error={form.errors.password} />
        <div class="form-actions">
          <button type="submit" class="primary">{ctx.t("common.save")}</button>
          <a class="button link" href="/settings/users">{ctx.t("common.cancel")}</a>
        </div>
      </form>
    </SettingsFrame>
  );
}
