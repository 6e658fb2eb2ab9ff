// The page an emailed survey link opens, without a login: the rating is recorded (or why not is
// said), then a short comment form. Plain HTML forms: they work without JavaScript.
import { Layout, type ShellContext } from "../layout.tsx";
import type { CsatKey } from "../i18n/index.ts";

export function SurveyLinkPage(props: {
  ctx: ShellContext;
  /** What happened, as a key of views/i18n/csat.ts; `ok` says whether it is good news. */
  say: { key: CsatKey; vars?: Record<string, string | number>; ok: boolean };
  /** The comment form after a rating: the signed fields it posts back. */
  comment?: Record<string, string> | null;
  /** The stop link's confirmation: the signed fields its button posts back. */
  stop?: Record<string, string> | null;
}) {
  const { ctx, say } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t("csat.page.title")} bodyClass="auth-body">
      <main id="main" class="auth-card csat-page">
        <h1>{t("csat.page.title")}</h1>
        <p class={say.ok ? "notice" : "form-error"} role={say.ok ? "status" : "alert"} data-outcome={say.key}>{t(say.key, say.vars)}</p>
        {props.comment ? (
          <form method="post" action="/csat/comment" class="stack">
            {Object.entries(props.comment).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
            <label for="comment">{t("csat.page.comment")}</label>
            <textarea id="comment" name="comment" rows={4} maxlength={2000} autofocus></textarea>
            <button type="submit" class="primary">{t("csat.page.send")}</button>
          </form>
        ) : null}
        {props.stop ? (
          <form method="post" action="/csat/stop" class="stack">
            {Object.entries(props.stop).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
            <button type="submit" class="primary">{t("csat.page.stop_button")}</button>
          </form>
        ) : null}
      </main>
    </Layout>
  );
}
