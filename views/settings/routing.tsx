// Settings > Routing rules: the ordered list (move up/down, on/off, edit, delete), the add form
// with conditions and actions as JSON, and the "try a message" box that explains each rule.
import type { ViewContext } from "../context.ts";
import { SettingsFrame, DataTable, Csrf, ActionButton } from "./frame.tsx";
import { TextField, TextArea, Select, Checkbox, FormError } from "./fields.tsx";

export interface RuleView { id: string; name: string; position: number; enabled: boolean; conditions: unknown; actions: unknown }
export interface RuleForm { values: { name?: string; conditions?: string; actions?: string; enabled?: boolean }; errors: Record<string, string>; formError?: string | null }
export interface TryCheck { condition: string; passed: boolean; reason: string }
export interface TryOutcome {
  triage: { intent: string; urgent: boolean };
  fired: string[];
  decision: Record<string, unknown>;
  rules: { name: string; matched: boolean; enabled: boolean; checks: TryCheck[] }[];
}

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

function RuleFields(props: { ctx: ViewContext; form: RuleForm }) {
  const { ctx, form } = props;
  return (
    <>
      <FormError message={form.formError} />
      <TextField name="name" label={ctx.t("settings.name")} value={form.values.name} required error={form.errors.name} />
      <Checkbox name="enabled" label={ctx.t("routing.enabled")} checked={form.values.enabled ?? true} />
      <TextArea name="conditions" label={ctx.t("routing.conditions")} value={form.values.conditions ?? "{\n  \"keywords\": []\n}"} rows={6} hint={ctx.t("routing.json_hint")} error={form.errors.conditions} />
      <TextArea name="actions" label={ctx.t("routing.actions")} value={form.values.actions ?? "{\n  \"priority\": \"high\"\n}"} rows={5} error={form.errors.actions} />
    </>
  );
}

export function TryResult(props: { ctx: ViewContext; outcome: TryOutcome | null; error?: string | null }) {
  const { ctx, outcome } = props;
  if (props.error) return <p class="form-error" role="alert">{props.error}</p>;
  if (!outcome) return null;
  const fired = outcome.rules.filter((r) => r.matched);
  return (
    <div class="try-outcome" role="status">
      <p>{ctx.t("settings.routing.triage", { intent: outcome.triage.intent, urgent: outcome.triage.urgent ? ctx.t("common.yes") : ctx.t("common.no") })}</p>
      {fired.length ? fired.map((r) => <p><strong>{ctx.t("routing.try.matched", { name: r.name })}</strong></p>) : <p><strong>{ctx.t("routing.try.none")}</strong></p>}
      {fired.length ? (<><h3>{ctx.t("settings.routing.decision")}</h3><pre class="json">{pretty(outcome.decision)}</pre></>) : null}
      <h3>{ctx.t("routing.try.why")}</h3>
      {outcome.rules.map((r) => (
        <details open={r.matched}>
          <summary>{r.name}{r.enabled ? "" : ` (${ctx.t("routing.disabled")})`}</summary>
          <ul class="rule-checks">
            {r.checks.map((ch) => <li class={ch.passed ? "passed" : "failed"}>{ch.passed ? "✓ " : "✗ "}{ch.reason}</li>)}
          </ul>
        </details>
      ))}
    </div>
  );
}

export function RoutingPage(props: {
  ctx: ViewContext; rules: RuleView[]; channels: { id: number; name: string }[]; form: RuleForm;
  tryText?: string; tryChannel?: string; tryFirst?: boolean; outcome?: TryOutcome | null; tryError?: string | null; notice?: string | null;
}) {
  const { ctx, rules } = props;
  return (
    <SettingsFrame ctx={ctx} area="routing" title={ctx.t("routing.title")} notice={props.notice}>
      {rules.length === 0 ? <p class="empty">{ctx.t("routing.empty")}</p> : (
        <DataTable ctx={ctx} class="rules-table" columns={[ctx.t("routing.position"), ctx.t("settings.name"), ctx.t("routing.conditions"), ctx.t("routing.actions")]}>
          {rules.map((r, i) => (
            <tr data-rule-id={r.id}>
              <td>{String(r.position)}</td>
              <td>
                <a href={`/settings/routing/${r.id}`}>{r.name}</a>{" "}
                <span class={`badge ${r.enabled ? "status-active" : "status-paused"}`}>{r.enabled ? ctx.t("routing.enabled") : ctx.t("routing.disabled")}</span>
              </td>
              <td><pre class="json">{pretty(r.conditions)}</pre></td>
              <td><pre class="json">{pretty(r.actions)}</pre></td>
              <td class="row-actions">
                {i > 0 ? <ActionButton ctx={ctx} action={`/settings/routing/${r.id}/move`} fields={{ direction: "up" }} label={ctx.t("routing.move_up")} /> : null}
                {i < rules.length - 1 ? <ActionButton ctx={ctx} action={`/settings/routing/${r.id}/move`} fields={{ direction: "down" }} label={ctx.t("routing.move_down")} /> : null}
                <ActionButton ctx={ctx} action={`/settings/routing/${r.id}/toggle`} label={r.enabled ? ctx.t("routing.disable") : ctx.t("routing.enable")} />
                <ActionButton ctx={ctx} action={`/settings/routing/${r.id}/delete`} label={ctx.t("common.delete")} confirm={ctx.t("settings.confirm_delete")} danger />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <section class="try-box" aria-labelledby="try-title">
        <h2 id="try-title">{ctx.t("routing.try.title")}</h2>
        <form method="post" action="/settings/routing/try" class="settings-form" hx-post="/settings/routing/try" hx-target="#try-result" hx-swap="innerHTML">
          <Csrf ctx={ctx} />
          <TextArea name="text" label={ctx.t("routing.try.text")} value={props.tryText ?? ""} rows={3} required />
          <Select name="channel_id" label={ctx.t("routing.try.channel")} value={props.tryChannel ?? ""}
            options={[{ value: "", label: ctx.t("settings.routing.any_channel") }, ...props.channels.map((c) => ({ value: String(c.id), label: c.name }))]} />
          <Checkbox name="first_message" label={ctx.t("settings.routing.first_message")} checked={props.tryFirst ?? true} />
          <div class="form-actions"><button type="submit" class="primary">{ctx.t("routing.try.submit")}</button></div>
          <div id="try-result" aria-live="polite"><TryResult ctx={ctx} outcome={props.outcome ?? null} error={props.tryError} /></div>
        </form>
      </section>
      <section aria-labelledby="rule-add-title">
        <h2 id="rule-add-title">{ctx.t("routing.add")}</h2>
        <form method="post" action="/settings/routing" class="settings-form" novalidate>
          <Csrf ctx={ctx} />
          <RuleFields ctx={ctx} form={props.form} />
          <div class="form-actions"><button type="submit" class="primary">{ctx.t("routing.add")}</button></div>
        </form>
      </section>
    </SettingsFrame>
  );
}

export function RuleEditPage(props: { ctx: ViewContext; id: string; form: RuleForm }) {
  const { ctx } = props;
  return (
    <SettingsFrame ctx={ctx} area="routing" title={ctx.t("settings.routing.edit")}>
      <form method="post" action={`/settings/routing/${props.id}`} class="settings-form" novalidate>
        <Csrf ctx={ctx} />
        <RuleFields ctx={ctx} form={props.form} />
        <div class="form-actions">
          <button type="submit" class="primary">{ctx.t("common.save")}</button>
          <a class="button link" href="/settings/routing">{ctx.t("common.cancel")}</a>
        </div>
      </form>
    </SettingsFrame>
  );
}
