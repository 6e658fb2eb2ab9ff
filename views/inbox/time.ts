// Date formatting for the inbox's hot paths: an Intl.DateTimeFormat costs far more to build than
// to use, and a page shows dozens of times, so one formatter per language and zone is kept.
// Same style as formatDateTime in the catalogue (dd/mm/yy 24 h in Vietnamese).
import type { Lang } from "../i18n/index.ts";

const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(ms: number, lang: Lang, timeZone: string): string {
  const key = `${lang}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === "vi" ? "vi-VN" : "en-GB", { timeZone, dateStyle: "short", timeStyle: "short" });
    if (formatters.size > 100) formatters.clear();
    formatters.set(key, f);
  }
  return f.format(ms);
}
