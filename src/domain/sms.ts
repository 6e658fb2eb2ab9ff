// How an SMS is counted and billed (3GPP TS 23.038 / 23.040): a text made only of the GSM 7-bit
// alphabet fits 160 characters in one message, 153 per part once it is split (the rest of each part
// carries the join header); anything else goes as UCS-2: 70 in one, 67 per part. Most Vietnamese
// letters with diacritics (ế, ộ, ư, đ...) are not in the GSM alphabet, so one of them turns the whole
// text to UCS-2 and a 100-character reply costs two messages instead of one.
import { withoutDiacritics } from "./contact.ts";

const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
/** The extension table: each costs two septets (an escape, then the character). */
const GSM_EXTENDED = new Set("^{}\\[~]|€\f");

export type SmsEncoding = "gsm7" | "ucs2";

export interface SmsCount {
  encoding: SmsEncoding;
  /** What a person counts: characters as they see them (code points). */
  characters: number;
  /** Messages (parts) the text is sent and billed as; 0 for an empty text. */
  segments: number;
  /** Room in one part: 160/153 (GSM-7) or 70/67 (UCS-2). */
  perSegment: number;
  /** Room left in the last part before it takes one more. */
  remaining: number;
}

const SINGLE = { gsm7: 160, ucs2: 70 } as const;
const PART = { gsm7: 153, ucs2: 67 } as const;

export const isGsm7 = (text: string) => Array.from(text).every((ch) => GSM_BASIC.has(ch) || GSM_EXTENDED.has(ch));

/** Each character's cost in its encoding's units: septets for GSM-7, UTF-16 code units for UCS-2. */
function costs(text: string, encoding: SmsEncoding): number[] {
  return Array.from(text, (ch) => (encoding === "gsm7" ? (GSM_EXTENDED.has(ch) ? 2 : 1) : ch.length));
}

/** Parts and room for `text`; a character's units are never split across two parts. */
export function smsCount(text: string): SmsCount {
  const encoding: SmsEncoding = isGsm7(text) ? "gsm7" : "ucs2";
  const units = costs(text, encoding);
  const total = units.reduce((a, b) => a + b, 0);
  const characters = units.length;
  if (total === 0) return { encoding, characters, segments: 0, perSegment: SINGLE[encoding], remaining: SINGLE[encoding] };
  if (total <= SINGLE[encoding]) return { encoding, characters, segments: 1, perSegment: SINGLE[encoding], remaining: SINGLE[encoding] - total };
  const room = PART[encoding];
  let segments = 1;
  let used = 0;
  for (const u of units) {
    if (used + u > room) {
      segments++;
      used = 0;
    }
    used += u;
  }
  return { encoding, characters, segments, perSegment: room, remaining: room - used };
}

const TYPOGRAPHY: [RegExp, string][] = [
  [/[“”„«»]/g, '"'],
  [/[‘’‚`]/g, "'"],
  [/[–—−]/g, "-"],
  [/…/g, "..."],
  [/[\u00a0\u2007\u202f]/g, " "],
];

/** The text as it goes "không dấu": no Vietnamese marks, typographic quotes and dashes made plain. */
export function plainSms(text: string): string {
  return TYPOGRAPHY.reduce((t, [re, to]) => t.replace(re, to), withoutDiacritics(text));
}

/** The plain version and its count when sending it that way costs fewer messages; else null. */
export function plainSaves(text: string): { text: string; count: SmsCount } | null {
  const plain = plainSms(text);
  if (plain === text) return null;
  const count = smsCount(plain);
  return count.segments < smsCount(text).segments ? { text: plain, count } : null;
}
