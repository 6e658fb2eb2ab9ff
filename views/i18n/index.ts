// Picks the catalogue for a user's language and formats times in their time zone.
import { vi, type MessageKey } from "./vi.ts";
import { en } from "./en.ts";

export type Lang = "vi" | "en";
export type { MessageKey };
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const catalogues: Record<Lang, Record<MessageKey, string>> = { vi, en };

export function isLang(v: unknown): v is Lang {
  return v === "vi" || v === "en";
}

export function translator(lang: Lang): Translate {
  const cat = catalogues[lang] ?? vi;
  return (key, vars) => {
    const s = cat[key] ?? vi[key] ?? key;
    return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)) : s;
  };
}

/** Date and time as people in Vietnam write it (dd/mm/yyyy, 24 h) or in English style. */
export function formatDateTime(ms: number, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(lang === "vi" ? "vi-VN" : "en-GB", { timeZone, dateStyle: "short", timeStyle: "short" }).format(ms);
}

/** "5 phút", "2 giờ": how long a customer has waited, coarse on purpose. */
export function formatWait(fromMs: number, nowMs: number, t: Translate): string {
  const min = Math.floor((nowMs - fromMs) / 60_000);
  if (min < 1) return t("time.just_now");
  if (min < 60) return t("time.minutes", { n: min });
  if (min < 48 * 60) return t("time.hours", { n: Math.floor(min / 60) });
  return t("time.days", { n: Math.floor(min / 1440) });
}
