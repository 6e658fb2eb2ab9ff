// Settings > Teams: how conversations are shared out. Supervisors read, admins change.
import type { Child } from "hono/jsx";
import type { ViewContext } from "../context.ts";
import { SettingsFrame, DataTable, Csrf } from "./frame.tsx";
import { TextField, Select, CheckboxGroup, FormError } from "./fields.tsx";
import { label } from "./channels.tsx";

export interface TeamView { id: number; name: string; assignment: string; offline_return_minutes: number; memberIds: number[] }
export interface TeamForm { values: Record<string, string>; memberIds: string[]; errors: Record<string, string>; formError?: string | null }

export const ASSIGNMENT_MODES = ["round_robin", "least_open", "manual"] as const;
const modeLabel = (ctx: ViewContext, m: string) => label(ctx, `settings.teams.assignment.${m}`, m);

function TeamFields(props: { ctx: ViewContext; form: TeamForm; people: { id: number; name: string }[] }) {
  const { ctx, form } = props;
  return (
    <>
      <FormError message={form.formError} />
      <TextField name="name" label={ctx.t("settings.name")} value={form.values.name} required error={form.errors.name} />
      <Select name="assignment" label={ctx.t("settings.teams.assignment")} value={form.values.assignment || "round_robin"}
        options={ASSIGNMENT_MODES.map((m) => ({ value: m, label: modeLabel(ctx, m) }))} error={form.errors.assignment} />
      <TextField name="offline_return_minutes" type="number" min={1} max={1440} label={ctx.t("settings.teams.offline_return")}
        value={form.values.offline_return_minutes || "15"} error={form.errors.offline_return_minutes} />
      {props.people.length ? (
        <CheckboxGroup name="member_ids" legend={ctx.t("settings.teams.members")} options={props.people.map((p) => ({ value: String(p.id), label: p.name }))} checked={form.memberIds} />
      ) : null}
    </>
  );
}

export function TeamsPage(props: { ctx: ViewContext; teams: TeamView[]; people: { id: number; name: string }[]; form: TeamForm; notice?: string | null }) {
  const { ctx } = props;
  const admin = ctx.user.role === "admin";
  const nameOf = new Map(props.people.map((p) => [p.id, p.name]));
  return (
    <SettingsFrame ctx={ctx} area="teams" title={ctx.t("settings.teams.title")} notice={props.notice}>
      {props.teams.length === 0 ? <p class="empty">{ctx.t("settings.teams.empty")}</p> : (
        <DataTable ctx={ctx} class="teams-table" columns={[ctx.t("settings.name"), ctx.t("settings.teams.assignment"), ctx.t("settings.teams.offline_return"), ctx.t("settings.teams.members")]} actions={admin}>
            {props.teams.map((t) => (
              <tr data-team-id={String(t.id)}>
                <td>{admin ? <a href={`/settings/teams/${t.id}`}>{t.name}</a> : t.name}</td>
                <td>{modeLabel(ctx, t.assignment)}</td>
                <td>{String(t.offline_return_minutes)}</td>
                <td>{t.memberIds.map((id) => nameOf.get(id) ?? `#${id}`).join(", ")}</td>
                {admin ? <td class="row-actions"><a class="button" href={`/settings/teams/${t.id}`}>{ctx.t("common.edit")}</a></td> : null}
              </tr>
            ))}
          </DataTable>
      )}
      {admin ? (
        <section aria-labelledby="team-add-title">
          <h2 id="team-add-title">{ctx.t("settings.teams.add")}</h2>
          <form method="post" action="/settings/teams" class="settings-form" novalidate>
            <Csrf ctx={ctx} />
            <TeamFields ctx={ctx} form={props.form} people={props.people} />
            <div class="form-actions"><button type="submit" class="primary">{ctx.t("settings.teams.add")}</button></div>
          </form>
        </section>
      ) : <p class="muted">{ctx.t("settings.teams.read_only")}</p>}
    </SettingsFrame>
  );
}

export function TeamEditPage(props: { ctx: ViewContext; team: TeamView; people: { id: number; name: string }[]; form: TeamForm; notice?: string | null; children?: Child }) {
  const { ctx } = props;
  return (
    <SettingsFrame ctx={ctx} area="teams" title={`${ctx.t("settings.teams.edit")}: ${props.team.name}`} notice={props.notice}>
      <form method="post" action={`/settings/teams/${props.team.id}`} class="settings-form" novalidate>
        <Csrf ctx={ctx} />
        <TeamFields ctx={ctx} form={props.form} people={props.people} />
        <div class="form-actions">
          <button type="submit" class="primary">{ctx.t("common.save")}</button>
          <a class="button link" href="/settings/teams">{ctx.t("common.cancel")}</a>
        </div>
      </form>
      {props.children}
    </SettingsFrame>
  );
}
