// Durations the way a manager reads them: "4 phút", "1 giờ 20 phút", never raw seconds.
import type { Translate } from "../i18n/index.ts";

export function formatDuration(seconds: number | null, t: Translate): string {
  if (seconds === null) return t("duration.none");
  if (seconds < 60) return t("duration.seconds", { n: seconds });
  const min = Math.round(seconds / 60);
  if (min < 60) return t("duration.minutes", { n: min });
  if (min < 24 * 60) return t("duration.hours", { h: Math.floor(min / 60), m: min % 60 });
  return t("duration.days", { d: Math.floor(min / 1440), h: Math.floor((min % 1440) / 60) });
}
