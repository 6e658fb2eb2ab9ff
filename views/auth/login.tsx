// Login and first-run (create the first admin). Plain forms: they work without JavaScript.
import { Layout, type ShellContext } from "../layout.tsx";

export interface FormState {
  error?: string;
  notice?: string;
  values?: Record<string, string>;
}

export function FormMessages(props: { state: FormState }) {
  return (
    <>
      {props.state.notice ? <p class="notice" role="status">{props.state.notice}</p> : null}
      {props.state.error ? <p class="form-error" role="alert" id="form-error">{props.state.error}</p> : null}
    </>
  );
}

export function LoginPage(props: { ctx: ShellContext; next: string; state: FormState }) {
  const { ctx, state } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t("auth.login")} bodyClass="auth-body">
      <section class="auth-card">
        <h1>{t("auth.login")}</h1>
        <p class="tagline">{t("app.tagline")}</p>
        <FormMessages state={state} />
        <form method="post" action={`/login?lang=${ctx.lang}`} class="stack">
          <input type="hidden" name="next" value={props.next} />
          <label for="email">{t("auth.email")}</label>
          <input id="email" name="email" type="email" autocomplete="username" required autofocus value={state.values?.email ?? ""}
            aria-describedby={state.error ? "form-error" : undefined} />
          <label for="password">{t("auth.password")}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <label class="check"><input type="checkbox" name="remember" value="1" /> {t("auth.remember")}</label>
          <button type="submit" class="primary">{t("auth.login")}</button>
        </form>
        <p class="lang-links">
          <a href="/login?lang=vi" lang="vi">Tiếng Việt</a> · <a href="/login?lang=en" lang="en">English</a>
        </p>
      </section>
    </Layout>
  );
}

export function SetupPage(props: { ctx: ShellContext; state: FormState }) {
  const { ctx, state } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t("auth.setup_title")} bodyClass="auth-body">
      <section class="auth-card">
        <h1>{t("auth.setup_title")}</h1>
        <p>{t("auth.setup_intro")}</p>
        <FormMessages state={state} />
        <form method="post" action={`/setup?lang=${ctx.lang}`} class="stack">
          <label for="name">{t("auth.name")}</label>
          <input id="name" name="name" autocomplete="name" required value={state.values?.name ?? ""} />
          <label for="email">{t("auth.email")}</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={state.values?.email ?? ""} />
          <label for="password">{t("auth.password_new")}</label>
          <input id="password" name="password" type="password" autocomplete="new-password" minlength={10} required aria-describedby="pw-rules" />
          <small id="pw-rules">{t("auth.password_rules")}</small>
          <label for="confirm">{t("auth.password_confirm")}</label>
          <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength={10} required />
          <button type="submit" class="primary">{t("auth.setup_create")}</button>
        </form>
      </section>
    </Layout>
  );
}
