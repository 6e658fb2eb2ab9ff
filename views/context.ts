// What every server-rendered view receives: who is looking, in which language and time zone.
import type { UserRow } from "../src/store/users.ts";
import type { Lang, Translate } from "./i18n/index.ts";

export interface ViewContext {
  user: UserRow;
  lang: Lang;
  t: Translate;
  timeZone: string;
  /** Sent back as the X-CSRF-Token header (htmx) or the _csrf form field. */
  csrf: string;
  now: number;
}
