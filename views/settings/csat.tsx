// Settings › Teams › a team: its satisfaction survey (docs/csat.md), a form of its own below the team's.
import type { ViewContext } from "../context.ts";
import { Csrf } from "./frame.tsx";
import { TextField, Checkbox, FormError } from "./fields.tsx";
import { DEFAULT_QUESTION, MAX_DAYS_BETWEEN, MAX_DELAY_MINUTES } from "../../src/domain/csat.ts";

export interface CsatForm { values: Record<string, string>; enabled: boolean; errors: Record<string, string>; formError?: string | null; saved?: boolean }

export function CsatSettingsSection(props: { ctx: ViewContext; teamId: number; form: CsatForm }) {
  const { ctx, form } = props;
  const t = ctx.t;
  return (
    <section aria-labelledby="csat-title" id="csat" class="csat-settings">
      <h2 id="csat-title">{t("csat.settings.title")}</h2>
      <p class="muted">{t("csat.settings.intro")}</p>
      {form.saved ? <p class="notice" role="status">{t("csat.settings.saved")}</p> : null}
      <form method="post" action={`/settings/teams/${props.teamId}/csat`} class="settings-form" novalidate>
        <Csrf ctx={ctx} />
        <FormError message={form.formError} />
        <Checkbox name="enabled" label={t("csat.settings.enabled")} checked={form.enabled} />
        <TextField name="delay_minutes" type="number" min={0} max={MAX_DELAY_MINUTES} label={t("csat.settings.delay")} hint={t("csat.settings.delay_hint")}
          value={form.values.delay_minutes ?? "0"} error={form.errors.delay_minutes} />
        <TextField name="min_days_between" type="number" min={0} max={MAX_DAYS_BETWEEN} label={t("csat.settings.days")} hint={t("csat.settings.days_hint")}
          value={form.values.min_days_between ?? "30"} error={form.errors.min_days_between} />
        <TextField name="text_vi" label={t("csat.settings.text_vi")} hint={t("csat.settings.text_hint", { text: DEFAULT_QUESTION.vi })}
          value={form.values.text_vi} error={form.errors.text_vi} />
        <TextField name="text_en" label={t("csat.settings.text_en")} hint={t("csat.settings.text_hint", { text: DEFAULT_QUESTION.en })}
          value={form.values.text_en} error={form.errors.text_en} />
        <div class="form-actions"><button type="submit" class="primary">{t("csat.settings.save")}</button></div>
      </form>
    </section>
  );
}
