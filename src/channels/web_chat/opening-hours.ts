// Whether the shop answers now, by the business hours of the team the widget follows, and if not
// when it next does, said in the calendar's own time zone ("We reply from 08:00 on Monday").
import { addBusinessMs, type BusinessHours } from "../../domain/sla.ts";

export interface ShopHours {
  open: boolean;
  /** ISO time of the next opening; null when open, or when the calendar never opens (no hours at all). */
  next_open: string | null;
  /** The line the frame shows when closed, in both languages (the API does not know the visitor's). */
  says: { vi: string; en: string } | null;
}

const VI_DAYS = ["Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"];
const EN_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Local calendar parts of t in the zone. */
function local(t: number, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(t)).map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return { date, clock: `${parts.hour}:${parts.minute}`, weekday: new Date(`${date}T00:00:00Z`).getUTCDay(), day: Number(parts.day), month: Number(parts.month) };
}
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400_000);

/** Open now (always, without a calendar), or closed with the next opening and its sentence. */
export function shopHours(bh: BusinessHours | null, now: number): ShopHours {
  if (!bh) return { open: true, next_open: null, says: null };
  // The first business moment at or after now: now itself when inside the hours.
  const next = addBusinessMs(now, 0, bh);
  if (next === now) return { open: true, next_open: null, says: null };
  if (!Number.isFinite(next)) {
    return { open: false, next_open: null, says: { vi: "Shop hiện chưa trực chat.", en: "We are not answering chats at the moment." } };
  }
  const a = local(now, bh.timeZone);
  const b = local(next, bh.timeZone);
  const gap = daysBetween(a.date, b.date);
  // Within the week the weekday is enough; a long break (Tết) also names the date.
  const vi = gap === 0 ? "hôm nay" : gap === 1 ? "ngày mai" : gap < 7 ? VI_DAYS[b.weekday] : `${VI_DAYS[b.weekday]} ${String(b.day).padStart(2, "0")}/${String(b.month).padStart(2, "0")}`;
  const en = gap === 0 ? "today" : gap === 1 ? "tomorrow" : gap < 7 ? `on ${EN_DAYS[b.weekday]}` : `on ${EN_DAYS[b.weekday]} ${b.day} ${EN_MONTHS[b.month - 1]}`;
  return {
    open: false,
    next_open: new Date(next).toISOString(),
    says: { vi: `Shop sẽ trả lời từ ${b.clock} ${vi}.`, en: `We reply from ${b.clock} ${en}.` },
  };
}
