// Vietnam's public holidays for a year (Bộ luật Lao động 2019, Điều 112): Tết Dương lịch (1/1),
// Tết Nguyên đán (5 days: the last day of the lunar year and the first four of the new one),
// Giỗ Tổ Hùng Vương (10/3 lunar), 30/4, 1/5 and Quốc khánh (2/9 plus an adjacent day, 1/9 here).
// Each year the government may move days (nghỉ bù, a different Tết span): the list fills a team's
// holidays as a starting point the admin edits, never a fixed rule.
//
// Lunar dates use the Vietnamese calendar: new moons and solar terms computed astronomically
// (Meeus' approximations, as in Hồ Ngọc Đức's widely used algorithm) at UTC+7, which is why Tết
// in Vietnam can fall a day apart from the Chinese date computed at UTC+8.

const VN_ZONE = 7;
const SYNODIC = 29.530588853;
const dr = Math.PI / 180;
const int = Math.floor;

function julianDay(d: number, m: number, y: number): number {
  const a = int((14 - m) / 12);
  const yy = y + 4800 - a;
  const mm = m + 12 * a - 3;
  return d + int((153 * mm + 2) / 5) + 365 * yy + int(yy / 4) - int(yy / 100) + int(yy / 400) - 32045;
}

function fromJulianDay(jd: number): string {
  const a = jd + 32044;
  const b = int((4 * a + 3) / 146097);
  const c = a - int((b * 146097) / 4);
  const d = int((4 * c + 3) / 1461);
  const e = c - int((1461 * d) / 4);
  const m = int((5 * e + 2) / 153);
  const day = e - int((153 * m + 2) / 5) + 1;
  const month = m + 3 - 12 * int(m / 10);
  const year = b * 100 + d - 4800 + int(m / 10);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The Julian day (fractional, UT) of the k-th new moon after 1900-01-01. */
function newMoon(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 += 0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * dr);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3;
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3;
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3;
  let C1 = (0.1734 - 0.000393 * T) * Math.sin(M * dr) + 0.0021 * Math.sin(2 * dr * M);
  C1 += -0.4068 * Math.sin(Mpr * dr) + 0.0161 * Math.sin(dr * 2 * Mpr) - 0.0004 * Math.sin(dr * 3 * Mpr);
  C1 += 0.0104 * Math.sin(dr * 2 * F) - 0.0051 * Math.sin(dr * (M + Mpr)) - 0.0074 * Math.sin(dr * (M - Mpr));
  C1 += 0.0004 * Math.sin(dr * (2 * F + M)) - 0.0004 * Math.sin(dr * (2 * F - M)) - 0.0006 * Math.sin(dr * (2 * F + Mpr));
  C1 += 0.001 * Math.sin(dr * (2 * F - Mpr)) + 0.0005 * Math.sin(dr * (2 * Mpr + M));
  const deltaT = T < -11
    ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
    : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return jd1 + C1 - deltaT;
}

/** The sun's ecliptic longitude (radians, 0..2π) at Julian day jdn. */
function sunLongitude(jdn: number): number {
  const T = (jdn - 2451545.0) / 36525;
  const T2 = T * T;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  const DL = (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(dr * M) + (0.019993 - 0.000101 * T) * Math.sin(dr * 2 * M) + 0.00029 * Math.sin(dr * 3 * M);
  const L = (L0 + DL) * dr;
  return L - Math.PI * 2 * int(L / (Math.PI * 2));
}

/** Which of the 12 solar-term sectors (0..11) the sun is in on local day `day`. */
const sunSector = (day: number) => int((sunLongitude(day - 0.5 - VN_ZONE / 24) / Math.PI) * 6);
const newMoonDay = (k: number) => int(newMoon(k) + 0.5 + VN_ZONE / 24);

/** The local day the 11th lunar month (the one holding the winter solstice) of year y begins. */
function lunarMonth11(y: number): number {
  const k = int((julianDay(31, 12, y) - 2415021) / SYNODIC);
  const nm = newMoonDay(k);
  return sunSector(nm) >= 9 ? newMoonDay(k - 1) : nm;
}

/** Months after month 11 of a 13-month year before its leap month. */
function leapMonthOffset(a11: number): number {
  const k = int((a11 - 2415021.076998695) / SYNODIC + 0.5);
  let i = 1;
  let arc = sunSector(newMoonDay(k + i));
  let last: number;
  do {
    last = arc;
    i++;
    arc = sunSector(newMoonDay(k + i));
  } while (arc !== last && i < 14);
  return i - 1;
}

/** The solar date (YYYY-MM-DD) of lunar day/month of lunar year `year` (not a leap month). */
export function lunarToSolar(day: number, month: number, year: number): string {
  const a11 = month < 11 ? lunarMonth11(year - 1) : lunarMonth11(year);
  const b11 = month < 11 ? lunarMonth11(year) : lunarMonth11(year + 1);
  const k = int(0.5 + (a11 - 2415021.076998695) / SYNODIC);
  let off = month - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365 && off >= leapMonthOffset(a11)) off += 1;
  return fromJulianDay(newMoonDay(k + off) + day - 1);
}

export interface Holiday { date: string; name: { vi: string; en: string } }

const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);

/** The statutory holidays of a Gregorian year, in date order. */
export function vietnamHolidays(year: number): Holiday[] {
  const tet = lunarToSolar(1, 1, year);
  const list: Holiday[] = [
    { date: `${year}-01-01`, name: { vi: "Tết Dương lịch", en: "New Year's Day" } },
    { date: shift(tet, -1), name: { vi: "Tết Nguyên đán (cuối năm)", en: "Lunar New Year's Eve" } },
    ...[0, 1, 2, 3].map((n) => ({ date: shift(tet, n), name: { vi: `Tết Nguyên đán (mùng ${n + 1})`, en: `Lunar New Year (day ${n + 1})` } })),
    { date: lunarToSolar(10, 3, year), name: { vi: "Giỗ Tổ Hùng Vương", en: "Hùng Kings' Commemoration" } },
    { date: `${year}-04-30`, name: { vi: "Ngày Giải phóng miền Nam", en: "Reunification Day" } },
    { date: `${year}-05-01`, name: { vi: "Quốc tế Lao động", en: "International Labour Day" } },
    { date: `${year}-09-01`, name: { vi: "Quốc khánh (ngày liền kề)", en: "National Day (adjacent day)" } },
    { date: `${year}-09-02`, name: { vi: "Quốc khánh", en: "National Day" } },
  ];
  return list.sort((a, b) => a.date.localeCompare(b.date));
}
