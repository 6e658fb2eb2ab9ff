// Preferences: language, time zone, switchboard user (phone_user_id), password change.
import type { ViewContext } from "../context.ts";
import { Layout } from "../layout.tsx";
import { FormMessages, type FormState } from "./login.tsx";

const ZONES = ["Asia/Ho_Chi_Minh", "Asia/Bangkok", "Asia/Singapore", "Asia/Tokyo", "Europe/London", "Europe/Paris", "America/New_York", "America/Los_Angeles", "UTC"];

export function AccountPage(props: { ctx: ViewContext; prefs: FormState; password: FormState; phoneUserId?: string | null }) {
  const { ctx } = props;
  const t = ctx.t;
  const zones = ZONES.includes(ctx.timeZone) ? ZONES : [ctx.timeZone, ...ZONES];
  return (
    <Layout ctx={ctx} title={t("prefs.title")} area="account">
      <div class="page-narrow">
        <h1>{t("prefs.title")}</h1>
        <section aria-labelledby="prefs-h" class="card">
          <h2 id="prefs-h">{t("prefs.title")}</h2>
          <FormMessages state={props.prefs} />
          <form method="post" action="/account" class="stack">
            <input type="hidden" name="_csrf" value={ctx.csrf} />
            <label for="pref-lang">{t("prefs.language")}</label>
            <select id="pref-lang" name="language">
              <option value="vi" selected={ctx.lang === "vi"}>Tiếng Việt</option>
              <option value="en" selected={ctx.lang === "en"}>English</option>
            </select>
            <label for="pref-tz">{t("prefs.timezone")}</label>
            <select id="pref-tz" name="timezone">
              {zones.map((z) => <option value={z} selected={z === ctx.timeZone}>{z}</option>)}
            </select>
            <label for="pref-phone-user">{t("call.phone_user_id")}</label>
            <input id="pref-phone-user" name="phone_user_id" value={props.phoneUserId ?? ""} maxlength={100} aria-describedby="pref-phone-user-hint" />
            <small id="pref-phone-user-hint">{t("call.phone_user_id_hint")}</small>
            <button type="submit" class="primary">{t("common.save")}</button>
          </form>
        </section>
        <section aria-labelledby="pw-h" class="card">
          <h2 id="pw-h">{t("prefs.change_password")}</h2>
          <FormMessages state={props.password} />
          <form method="post" action="/account/password" class="stack">
            <input type="hidden" name="_csrf" value={ctx.csrf} />
            <label for="pw-current">{t("auth.password_current")}</label>
            <input id="pw-current" name="current" type="password" autocomplete="current-password" required />
            <label for="pw-new">{t("auth.password_new")}</label>
            <input id="pw-new" name="password" type="password" autocomplete="new-password" minlength={10} required aria-describedby="pw-rules" />
            <small id="pw-rules">{t("auth.password_rules")}</small>
            <label for="pw-confirm">{t("auth.password_confirm")}</label>
            <input id="pw-confirm" name="confirm" type="password" autocomplete="new-password" minlength={10} required />
            <button type="submit" class="primary">{t("prefs.change_password")}</button>
          </form>
        </section>
      </div>
    </Layout>
  );
}
