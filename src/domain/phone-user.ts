// An agent's switchboard identity (phone_user_id: a Stringee user id or a PBX extension), which the
// answer URL rings and a click-to-call dials first. Blank means none: their email stands in.
export const PHONE_USER_ID = /^[A-Za-z0-9_.@+-]{1,100}$/;

/** "" or only spaces -> null (cleared); otherwise the trimmed id, or undefined when it is not one. */
export function phoneUserIdOf(v: string | null | undefined): string | null | undefined {
  const s = (v ?? "").trim();
  if (!s) return null;
  return PHONE_USER_ID.test(s) ? s : undefined;
}
