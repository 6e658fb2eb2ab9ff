// A team's survey settings as the API (PATCH /api/v1/teams/:id/csat) and Settings › Teams take
// them: one schema, so both refuse the same values. Fields left out keep their saved value.
import { z } from "zod";
import { MAX_DAYS_BETWEEN, MAX_DELAY_MINUTES, MAX_QUESTION, type CsatSettings } from "../domain/csat.ts";

const question = z.string().trim().max(MAX_QUESTION).nullable().transform((v) => v || null);

export const csatSettingsSchema = z.object({
  enabled: z.boolean(),
  delay_minutes: z.number().int().min(0).max(MAX_DELAY_MINUTES),
  text_vi: question,
  text_en: question,
  min_days_between: z.number().int().min(0).max(MAX_DAYS_BETWEEN),
}).partial().strict();

export type CsatSettingsInput = z.output<typeof csatSettingsSchema>;

export function mergeCsatSettings(saved: CsatSettings, input: CsatSettingsInput): CsatSettings {
  return {
    enabled: input.enabled ?? saved.enabled,
    delayMinutes: input.delay_minutes ?? saved.delayMinutes,
    textVi: input.text_vi === undefined ? saved.textVi : input.text_vi,
    textEn: input.text_en === undefined ? saved.textEn : input.text_en,
    minDaysBetween: input.min_days_between ?? saved.minDaysBetween,
  };
}

export const presentCsatSettings = (teamId: number, s: CsatSettings) => ({
  team_id: String(teamId), enabled: s.enabled, delay_minutes: s.delayMinutes, text_vi: s.textVi, text_en: s.textEn, min_days_between: s.minDaysBetween,
});
