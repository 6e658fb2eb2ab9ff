// Quiet hours for automatic SMS and ZNS: no text message wakes a customer between 21:00 and 08:00
// Vietnam time (Zalo itself refuses some ZNS at night). A send that falls inside is deferred to the
// end of the quiet hours, never dropped.
import { DEFAULT_QUIET_HOURS, type QuietHours } from "./routing.ts";

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(at: number, tz: string): { y: number; mo: number; d: number; h: number; mi: number } {
  let f = formatters.get(tz);
  if (!f) formatters.set(tz, (f = new Intl.DateTimeFormat("en-US", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })));
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return { y: Number(p.year), mo: Number(p.month), d: Number(p.day), h: Number(p.hour), mi: Number(p.minute) };
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** When a send at `at` may go: `at` itself outside the quiet hours, else when they end (in their time zone). */
export function afterQuietHours(at: number, q: QuietHours = DEFAULT_QUIET_HOURS): number {
  const tz = q.timezone ?? DEFAULT_QUIET_HOURS.timezone;
  const w = wallClock(at, tz);
  const now = w.h * 60 + w.mi;
  const s = minutes(q.start);
  const e = minutes(q.end);
  const quiet = s > e ? now >= s || now < e : now >= s && now < e;
  if (!quiet) return at;
  // The end's wall-clock time today or tomorrow, found from the offset the zone has at that moment.
  const dayAhead = s > e && now >= s ? 1 : 0;
  const guess = Date.UTC(w.y, w.mo - 1, w.d + dayAhead, Math.floor(e / 60), e % 60);
  const seen = wallClock(guess, tz);
  const offset = Date.UTC(seen.y, seen.mo - 1, seen.d, seen.h, seen.mi) - guess;
  return guess - offset;
}
