// Settings > Quality: the scorecards (criteria with weights, scales and short guidance; active or
// archived; every criteria change a new version) and how the review queue samples conversations.
import type { ViewContext } from "../context.ts";
import type { Scorecard, QaSettings } from "../../src/store/qa-scorecards.ts";
import { MAX_CRITERIA } from "../../src/domain/qa.ts";
import { SettingsFrame, DataTable, Csrf, ActionButton } from "./frame.tsx";
import { TextField, TextArea, Checkbox, FormError } from "./fields.tsx";

export interface CriterionRow { id: string; name: string; guidance: string; weight: string; scale: string; critical: boolean }
export interface ScorecardForm { name: string; description: string; criteria: CriterionRow[]; errors: Record<string, string>; formError?: string | null }

export function QaSettingsPage(props: { ctx: ViewContext; scorecards: Scorecard[]; sampling: QaSettings; notice?: string | null; samplingError?: string | null }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <SettingsFrame ctx={ctx} area="qa" title={t("qa.settings.title")} notice={props.notice}>
      <p class="hint">{t("qa.settings.hint")}</p>
      <p><a class="button primary" href="/settings/qa/new">{t("qa.settings.new")}</a></p>
      {props.scorecards.length === 0 ? <p class="empty">{t("qa.settings.empty")}</p> : (
        <DataTable ctx={ctx} class="qa-scorecards" columns={[t("qa.settings.name"), t("qa.settings.criteria"), t("qa.col.status")]}>
          {props.scorecards.map((s) => (
            <tr data-scorecard-id={String(s.id)}>
              <td><strong>{s.name}</strong> <span class="muted">· {t("qa.settings.version", { v: s.version })}</span>{s.description ? <><br /><small class="muted">{s.description}</small></> : null}</td>
              <td>{t("qa.settings.criteria_count", { n: s.criteria.length })}: {s.criteria.map((c) => `${c.name} (${c.weight})`).join(", ")}</td>
              <td>{t(s.status === "active" ? "qa.settings.status.active" : "qa.settings.status.archived")}</td>
              <td class="row-actions">
                <a class="button" href={`/settings/qa/${s.id}`}>{t("common.edit")}</a>
                <ActionButton ctx={ctx} action={`/settings/qa/${s.id}/status`} fields={{ status: s.status === "active" ? "archived" : "active" }} label={t(s.status === "active" ? "qa.settings.archive" : "qa.settings.restore")} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <section aria-labelledby="qa-sampling-title">
        <h2 id="qa-sampling-title">{t("qa.settings.sampling")}</h2>
        <form method="post" action="/settings/qa/sampling" class="settings-form" novalidate>
          <Csrf ctx={ctx} />
          <FormError message={props.samplingError} />
          <TextField name="per_agent_week" type="number" min={0} max={100} label={t("qa.settings.per_agent_week")} value={props.sampling.per_agent_week} />
          <Checkbox name="complaints" label={t("qa.settings.complaints")} checked={props.sampling.complaints} />
          <Checkbox name="low_csat" label={t("qa.settings.low_csat")} checked={props.sampling.low_csat} />
          <div class="form-actions"><button type="submit" class="primary">{t("qa.settings.save_sampling")}</button></div>
        </form>
      </section>
    </SettingsFrame>
  );
}

/** The rows the form shows: the scorecard's criteria and a few empty ones to add more. */
const withBlankRows = (rows: CriterionRow[]) =>
  [...rows, ...Array.from({ length: Math.max(0, Math.min(MAX_CRITERIA, rows.length + 3) - rows.length) }, () => ({ id: "", name: "", guidance: "", weight: "1", scale: "5", critical: false }))];

export function ScorecardPage(props: { ctx: ViewContext; id: number | null; version?: number; form: ScorecardForm }) {
  const { ctx, form } = props;
  const t = ctx.t;
  const action = props.id === null ? "/settings/qa/new" : `/settings/qa/${props.id}`;
  return (
    <SettingsFrame ctx={ctx} area="qa" title={t(props.id === null ? "qa.settings.new" : "qa.settings.edit")}>
      <form method="post" action={action} class="settings-form qa-scorecard-form" novalidate>
        <Csrf ctx={ctx} />
        <FormError message={form.formError} />
        <TextField name="name" label={t("qa.settings.name")} value={form.name} required error={form.errors.name} />
        <TextArea name="description" label={t("qa.settings.description")} value={form.description} rows={2} error={form.errors.description} />
        <fieldset class="qa-criteria-rows">
          <legend>{t("qa.settings.criteria")}</legend>
          <p class="hint">{t("qa.settings.criteria_hint")} {props.id !== null ? t("qa.settings.version_hint") : null}</p>
          {form.errors.criteria ? <p class="field-error" role="alert">{form.errors.criteria}</p> : null}
          {withBlankRows(form.criteria).map((c, i) => (
            <div class="qa-criterion-row" role="group" aria-label={t("qa.settings.criterion_n", { n: i + 1 })}>
              <input type="hidden" name={`criteria.${i}.id`} value={c.id} />
              <TextField name={`criteria.${i}.name`} label={`${t("qa.settings.criterion_n", { n: i + 1 })}: ${t("qa.settings.criterion_name")}`} value={c.name} error={form.errors[`criteria.${i}.name`]} />
              <TextField name={`criteria.${i}.guidance`} label={t("qa.settings.guidance")} value={c.guidance} error={form.errors[`criteria.${i}.guidance`]} />
              <TextField name={`criteria.${i}.weight`} type="number" min={1} max={100} label={t("qa.settings.weight")} value={c.weight} error={form.errors[`criteria.${i}.weight`]} />
              <TextField name={`criteria.${i}.scale`} type="number" min={1} max={9} label={t("qa.settings.scale")} value={c.scale} error={form.errors[`criteria.${i}.scale`]} />
              <Checkbox name={`criteria.${i}.critical`} label={t("qa.settings.critical")} checked={c.critical} />
            </div>
          ))}
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="primary">{t("common.save")}</button>
          <a class="button link" href="/settings/qa">{t("common.cancel")}</a>
        </div>
      </form>
    </SettingsFrame>
  );
}
