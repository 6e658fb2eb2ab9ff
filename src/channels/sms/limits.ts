// How long one SMS reply may be. Concatenated SMS reach the handset in parts; past a few parts
// phones join them badly and every part is billed, so Pano stops at ten (1,530 plain characters,
// 670 with Vietnamese diacritics).
export const MAX_SEGMENTS = 10;
/** The composer's plain character limit: ten GSM-7 parts. The part count is checked on top (UCS-2 fits fewer). */
export const SMS_CHAR_LIMIT = MAX_SEGMENTS * 153;
