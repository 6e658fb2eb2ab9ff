// The one-line notice a settings page shows after a successful form post (Post/Redirect/Get).
// Its own module so every settings page can use it without importing the settings router.
import type { Context } from "hono";
import type { PageEnv } from "../../view-context.ts";

const NOTICES = {
  saved: "settings.saved",
  deleted: "settings.deleted",
  disabled: "settings.users.disabled_notice",
  revoked: "settings.tokens.revoked",
  redelivered: "webhooks.redelivered",
  pinged: "webhooks.pinged",
} as const;

export function redirectWithNotice(c: Context, path: string, notice: keyof typeof NOTICES): Response {
  return c.redirect(`${path}${path.includes("?") ? "&" : "?"}notice=${notice}`, 303);
}

/** The notice a redirected page shows, in the reader's language. */
export function noticeFrom(c: Context<PageEnv>): string | null {
  const n = c.req.query("notice") ?? "";
  return n in NOTICES ? c.get("view").t(NOTICES[n as keyof typeof NOTICES]) : null;
}
