// Settings > SLA: response and resolution targets per team and priority, and each team's business
// hours and holidays (with Vietnam's public holidays of a year added in one click, then edited).
import type { ViewContext } from "../context.ts";
import type { MessageKey } from "../i18n/index.ts";

import { SettingsFrame, DataTable, Csrf, ActionButton } from "./frame.tsx";
import { TextField, TextArea, Select, FormError } from "./fields.tsx";
import { WEEKDAYS } from "../../src/domain/sla.ts";
import { PRIORITIES } from "../../src/domain/conversation.ts";
import type { Holiday } from "../../src/domain/vn-holidays.ts";
import type { BreachActions } from "../../src/domain/sla-breach.ts";

export interface SlaForm { values: Record<string, string>; errors: Record<string, string>; formError?: string | null }
export interface SlaPolicyView { id: number; teamId: number | null; priority: string | null; first: number | null; next: number | null; resolution: number | null; onBreach: BreachActions | null }
export interface PolicyChoices { teams: { id: number; name: string }[]; people: { id: number; name: string }[] }
export interface TeamHoursView { id: number; name: string; summary: { days: number; holidays: number; timeZone: string } | null }

const s = (ctx: ViewContext, k: MessageKey, vars?: Record<string, string | number>) => ctx.t(k, vars);

/** 90 -> "1 giờ 30 phút"; the form takes minutes, the table reads like a person. */
export function minutesText(ctx: ViewContext, m: number | null): string {
  if (m === null) return "—";
  const h = Math.floor(m / 60);
  const min = m % 60;
  if (!h) return s(ctx, "sla.minutes", { n: min });
  return min ? s(ctx, "sla.hours_minutes", { h, m: min }) : s(ctx, "sla.hours", { h });
}

function PolicyFields(props: { ctx: ViewContext; form: SlaForm; teams: { id: number; name: string }[]; people: { id: number; name: string }[] }) {
  const { ctx, form } = props;
  const escalate = [{ value: "", label: s(ctx, "sla.breach_keep") }, ...(["urgent", "high"] as const).map((p) => ({ value: p, label: ctx.t(`priority.${p}` as MessageKey) }))];
  const handTo = [{ value: "", label: s(ctx, "sla.breach_keep") }, { value: "queue", label: s(ctx, "sla.breach_queue") }, ...props.people.map((p) => ({ value: String(p.id), label: p.name }))];
  const teams = [{ value: "", label: s(ctx, "sla.any_team") }, ...props.teams.map((t) => ({ value: String(t.id), label: t.name }))];
  const priorities = [{ value: "", label: s(ctx, "sla.any_priority") }, ...PRIORITIES.map((p) => ({ value: p, label: ctx.t(`priority.${p}` as MessageKey) }))];
  return (
    <>
      <FormError message={form.formError} />
      <Select name="team_id" label={s(ctx, "sla.team")} value={form.values.team_id ?? ""} options={teams} error={form.errors.team_id} />
      <Select name="priority" label={s(ctx, "sla.priority")} value={form.values.priority ?? ""} options={priorities} error={form.errors.priority} />
      <TextField name="first_response_minutes" type="number" min={1} label={s(ctx, "sla.first_response")} value={form.values.first_response_minutes} hint={s(ctx, "sla.minutes_hint")} error={form.errors.first_response_minutes} />
      <TextField name="next_response_minutes" type="number" min={1} label={s(ctx, "sla.next_response")} value={form.values.next_response_minutes} hint={s(ctx, "sla.minutes_hint")} error={form.errors.next_response_minutes} />
      <TextField name="resolution_minutes" type="number" min={1} label={s(ctx, "sla.resolution")} value={form.values.resolution_minutes} hint={s(ctx, "sla.minutes_hint")} error={form.errors.resolution_minutes} />
      <fieldset>
        <legend>{s(ctx, "sla.on_breach")}</legend>
        <p class="hint">{s(ctx, "sla.on_breach_hint")}</p>
        <Select name="breach_priority" label={s(ctx, "sla.breach_priority")} value={form.values.breach_priority ?? ""} options={escalate} error={form.errors.breach_priority} />
        <Select name="breach_assignee" label={s(ctx, "sla.breach_assignee")} value={form.values.breach_assignee ?? ""} options={handTo} error={form.errors.breach_assignee} />
      </fieldset>
    </>
  );
}

export function SlaPage(props: { ctx: ViewContext; policies: SlaPolicyView[]; teams: TeamHoursView[]; people: { id: number; name: string }[]; form: SlaForm; canEdit: boolean; notice?: string | null }) {
  const { ctx } = props;
  const teamName = new Map(props.teams.map((t) => [t.id, t.name]));
  const personName = new Map(props.people.map((p) => [p.id, p.name]));
  const onBreach = (a: BreachActions | null) => [
    a?.priority ? s(ctx, "sla.breach_to_priority", { priority: ctx.t(`priority.${a.priority}` as MessageKey) }) : null,
    a?.assignee_id === null ? s(ctx, "sla.breach_queue") : a?.assignee_id !== undefined ? s(ctx, "sla.breach_to_person", { name: personName.get(a.assignee_id) ?? `#${a.assignee_id}` }) : null,
  ].filter(Boolean).join(" · ") || s(ctx, "sla.breach_notify_only");
  return (
    <SettingsFrame ctx={ctx} area="sla" title={s(ctx, "sla.title")} notice={props.notice}>
      <p class="hint">{s(ctx, "sla.hint")}</p>
      {props.policies.length === 0 ? <p class="empty">{s(ctx, "sla.empty")}</p> : (
        <DataTable ctx={ctx} class="sla-table" actions={props.canEdit} columns={[s(ctx, "sla.team"), s(ctx, "sla.priority"), s(ctx, "sla.first_response"), s(ctx, "sla.next_response"), s(ctx, "sla.resolution"), s(ctx, "sla.on_breach")]}>
          {props.policies.map((p) => (
            <tr data-policy-id={String(p.id)}>
              <td>{p.teamId === null ? s(ctx, "sla.any_team") : teamName.get(p.teamId) ?? `#${p.teamId}`}</td>
              <td>{p.priority === null ? s(ctx, "sla.any_priority") : ctx.t(`priority.${p.priority}` as MessageKey)}</td>
              <td>{minutesText(ctx, p.first)}</td>
              <td>{minutesText(ctx, p.next)}</td>
              <td>{minutesText(ctx, p.resolution)}</td>
              <td>{onBreach(p.onBreach)}</td>
              {props.canEdit ? (
                <td class="row-actions">
                  <a class="button" href={`/settings/sla/${p.id}`}>{ctx.t("common.edit")}</a>
                  <ActionButton ctx={ctx} action={`/settings/sla/${p.id}/delete`} label={ctx.t("common.delete")} confirm={ctx.t("settings.confirm_delete")} danger />
                </td>
              ) : null}
            </tr>
          ))}
        </DataTable>
      )}
      {props.canEdit ? (
        <section aria-labelledby="sla-add-title">
          <h2 id="sla-add-title">{s(ctx, "sla.add")}</h2>
          <form method="post" action="/settings/sla" class="settings-form" novalidate>
            <Csrf ctx={ctx} />
            <PolicyFields ctx={ctx} form={props.form} teams={props.teams} people={props.people} />
            <div class="form-actions"><button type="submit" class="primary">{s(ctx, "sla.add")}</button></div>
          </form>
        </section>
      ) : null}
      <section aria-labelledby="sla-hours-title">
        <h2 id="sla-hours-title">{s(ctx, "sla.hours_title")}</h2>
        <p class="hint">{s(ctx, "sla.hours_hint")}</p>
        <DataTable ctx={ctx} class="hours-table" columns={[s(ctx, "sla.team"), s(ctx, "sla.hours_title")]}>
          {props.teams.map((t) => (
            <tr data-team-id={String(t.id)}>
              <td>{t.name}</td>
              <td>{t.summary ? s(ctx, "sla.hours_summary", { days: t.summary.days, holidays: t.summary.holidays, zone: t.summary.timeZone }) : s(ctx, "sla.always_open")}</td>
              <td class="row-actions"><a class="button" href={`/settings/sla/teams/${t.id}`}>{props.canEdit ? ctx.t("common.edit") : s(ctx, "sla.view")}</a></td>
            </tr>
          ))}
        </DataTable>
      </section>
    </SettingsFrame>
  );
}

export function SlaPolicyEditPage(props: { ctx: ViewContext; id: number; teams: { id: number; name: string }[]; people: { id: number; name: string }[]; form: SlaForm }) {
  const { ctx } = props;
  return (
    <SettingsFrame ctx={ctx} area="sla" title={s(ctx, "sla.edit")}>
      <form method="post" action={`/settings/sla/${props.id}`} class="settings-form" novalidate>
        <Csrf ctx={ctx} />
        <PolicyFields ctx={ctx} form={props.form} teams={props.teams} people={props.people} />
        <div class="form-actions">
          <button type="submit" class="primary">{ctx.t("common.save")}</button>
          <a class="button link" href="/settings/sla">{ctx.t("common.cancel")}</a>
        </div>
      </form>
    </SettingsFrame>
  );
}

export function TeamHoursPage(props: { ctx: ViewContext; team: { id: number; name: string }; form: SlaForm; canEdit: boolean; year: number; known: Map<string, Holiday>; notice?: string | null }) {
  const { ctx, form, team } = props;
  const holidays = (form.values.holidays ?? "").split("\n").map((l) => l.trim()).filter(Boolean);
  return (
    <SettingsFrame ctx={ctx} area="sla" title={s(ctx, "sla.hours_for", { team: team.name })} notice={props.notice}>
      <p class="hint">{s(ctx, "sla.hours_hint")}</p>
      <form method="post" action={`/settings/sla/teams/${team.id}`} class="settings-form hours-form" novalidate>
        <Csrf ctx={ctx} />
        <FormError message={form.formError} />
        <TextField name="time_zone" label={s(ctx, "sla.time_zone")} value={form.values.time_zone} error={form.errors.time_zone} placeholder="Asia/Ho_Chi_Minh" />
        <fieldset>
          <legend>{s(ctx, "sla.week")}</legend>
          <p class="hint">{s(ctx, "sla.day_hint")}</p>
          {WEEKDAYS.map((d) => (
            <TextField name={`hours_${d}`} label={s(ctx, `sla.day.${d}` as MessageKey)} value={form.values[`hours_${d}`]} error={form.errors[`hours_${d}`]} placeholder="08:00-12:00,13:30-17:30" />
          ))}
        </fieldset>
        <TextArea name="holidays" label={s(ctx, "sla.holidays")} value={form.values.holidays} rows={8} hint={s(ctx, "sla.holidays_hint")} error={form.errors.holidays} />
        {holidays.some((h) => props.known.has(h)) ? (
          <ul class="holiday-names">
            {holidays.filter((h) => props.known.has(h)).map((h) => <li><time datetime={h}>{h}</time> · {props.known.get(h)!.name[ctx.lang]}</li>)}
          </ul>
        ) : null}
        {props.canEdit ? (
          <div class="form-actions">
            <button type="submit" class="primary">{ctx.t("common.save")}</button>
            <a class="button link" href="/settings/sla">{ctx.t("common.cancel")}</a>
          </div>
        ) : null}
      </form>
      {props.canEdit ? (
        <form method="post" action={`/settings/sla/teams/${team.id}/vn-holidays`} class="settings-form inline-form">
          <Csrf ctx={ctx} />
          <TextField name="year" type="number" min={2000} max={2100} label={s(ctx, "sla.vn_year")} value={props.year} />
          <button type="submit">{s(ctx, "sla.add_vn_holidays")}</button>
          <p class="hint">{s(ctx, "sla.vn_holidays_hint")}</p>
        </form>
      ) : null}
    </SettingsFrame>
  );
}
