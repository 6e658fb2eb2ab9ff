// Settings › Teams › a team's survey form: form strings <-> the API's schema (csat-settings-input.ts).
import type { Translate } from "../../views/i18n/index.ts";
import type { ViewContext } from "../../views/context.ts";
import type { CsatSettings } from "../domain/csat.ts";
import { CsatSettingsSection, type CsatForm } from "../../views/settings/csat.tsx";
import { csatSettingsSchema, mergeCsatSettings } from "./csat-settings-input.ts";
import { issuesByField, text, type FormValues } from "./routes/pages/settings-form.ts";

export const csatSection = (ctx: ViewContext, teamId: number, form: CsatForm) => CsatSettingsSection({ ctx, teamId, form });

export function csatFormOf(s: CsatSettings, saved = false): CsatForm {
  return {
    enabled: s.enabled, errors: {}, saved,
    values: { delay_minutes: String(s.delayMinutes), min_days_between: String(s.minDaysBetween), text_vi: s.textVi ?? "", text_en: s.textEn ?? "" },
  };
}

const num = (v: string) => (/^\d+$/.test(v) ? Number(v) : v === "" ? undefined : NaN);

export function readCsatForm(f: FormValues, saved: CsatSettings, t: Translate): { ok: true; settings: CsatSettings } | { ok: false; form: CsatForm } {
  const values = { delay_minutes: text(f, "delay_minutes"), min_days_between: text(f, "min_days_between"), text_vi: text(f, "text_vi"), text_en: text(f, "text_en") };
  const enabled = [f.enabled].flat().includes("true");
  const input = { enabled, delay_minutes: num(values.delay_minutes) ?? 0, min_days_between: num(values.min_days_between) ?? 0, text_vi: values.text_vi, text_en: values.text_en };
  const parsed = csatSettingsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, form: { values, enabled, errors: issuesByField(parsed.error, t, input), formError: t("settings.fix_errors") } };
  return { ok: true, settings: mergeCsatSettings(saved, parsed.data) };
}
