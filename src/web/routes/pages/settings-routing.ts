// Settings > Routing rules: list, add, edit, reorder, switch on/off, delete, and "try this
// message". Saving goes through the store's RoutingRules (which checks a rule as it does for the
// REST API), with the API's input schemas and "try" from web/routing-rule-input.ts.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import { PanoError } from "../../../domain/errors.ts";
import { RoutingPage, RuleEditPage, TryResult, type RuleForm, type RuleView, type TryOutcome } from "../../../../views/settings/routing.tsx";
import { list, readForm, text, type FormValues } from "./settings-form.ts";
import { routingRulesFor, type StoredRule } from "../../../store/routing-rules.ts";
import { parseRuleInput, patchSchema, presentRule, ruleSchema, trySchema, tryRules } from "../../routing-rule-input.ts";
import { noticeFrom, redirectWithNotice } from "./settings-notice.ts";

/** A refusal of the rule (PanoError with a field), or null for anything else, which is not the form's to show. */
const refusalOf = (err: unknown): PanoError | null => (err instanceof PanoError && err.code === "validation_failed" ? err : null);

export function routingSettings(pano: Pano) {
  const app = new Hono<PageEnv>();
  const store = routingRulesFor(pano.store.sqlite, pano.writer);
  const actor = (c: Context<PageEnv>) => c.get("user").id;
  const ruleView = (r: StoredRule): RuleView => ({ ...presentRule(r), id: String(r.id) });
  const rules = (): RuleView[] => store.list().map(ruleView);
  const channels = () => pano.channels.list().map((ch) => ({ id: ch.id, name: ch.name }));

  const page = (c: Context<PageEnv>, extra: Partial<Parameters<typeof RoutingPage>[0]> = {}, status: 200 | 422 = 200) =>
    c.html(RoutingPage({ ctx: c.get("view"), rules: rules(), channels: channels(), form: { values: {}, errors: {} }, notice: status === 200 ? noticeFrom(c) : null, ...extra }), status);

  /** Form -> API body, or the form back with the field that is not JSON marked. */
  const toBody = (c: Context<PageEnv>, f: FormValues): { body: Record<string, unknown> } | { form: RuleForm } => {
    const t = c.get("view").t;
    const values = { name: text(f, "name"), conditions: text(f, "conditions"), actions: text(f, "actions"), enabled: list(f, "enabled").includes("true") };
    const errors: Record<string, string> = {};
    const parse = (key: "conditions" | "actions") => {
      try {
        const v = JSON.parse(values[key] || "{}");
        if (v && typeof v === "object" && !Array.isArray(v)) return v;
      } catch {
        // reported below
      }
      errors[key] = t("routing.err.json");
      return null;
    };
    const conditions = parse("conditions");
    const actions = parse("actions");
    if (Object.keys(errors).length) return { form: { values, errors, formError: t("settings.fix_errors") } };
    return { body: { name: values.name, enabled: values.enabled, conditions, actions } };
  };
  /** The API's refusal shown beside the field it names (conditions.regex -> the conditions box). */
  const refused = (c: Context<PageEnv>, f: FormValues, r: PanoError): RuleForm => {
    const t = c.get("view").t;
    const key = ["name", "conditions", "actions"].find((k) => (r.field ?? "").split(".")[0] === k) ?? "actions";
    return {
      values: { name: text(f, "name"), conditions: text(f, "conditions"), actions: text(f, "actions"), enabled: list(f, "enabled").includes("true") },
      errors: { [key]: key === "name" ? t("settings.err.required") : `${t("settings.err.invalid")}: ${r.message}` },
      formError: t("settings.fix_errors"),
    };
  };

  app.get("/", (c) => page(c));

  app.post("/", async (c) => {
    const f = await readForm(c);
    const b = toBody(c, f);
    if ("form" in b) return page(c, { form: b.form }, 422);
    try {
      const body = parseRuleInput(ruleSchema, b.body);
      await store.create({ name: body.name, enabled: body.enabled, conditions: body.conditions, actions: body.actions }, body.position, actor(c));
    } catch (err) {
      const r = refusalOf(err);
      if (!r) throw err;
      return page(c, { form: refused(c, f, r) }, 422);
    }
    return redirectWithNotice(c, "/settings/routing", "saved");
  });

  app.post("/try", async (c) => {
    const view = c.get("view");
    const f = await readForm(c);
    const channel = text(f, "channel_id");
    const first = list(f, "first_message").includes("true");
    let outcome: TryOutcome | null = null;
    let tryError: string | null = null;
    try {
      const r = tryRules(pano, parseRuleInput(trySchema, { text: text(f, "text"), first_message: first, ...(channel ? { channel_id: channel } : {}) }));
      outcome = { ...r, rules: r.rules.map((v) => ({ ...v, checks: v.checks.map((ch) => ({ condition: ch.condition, passed: ch.passed, reason: view.lang === "vi" ? ch.vi : ch.en })) })) };
    } catch (err) {
      const r = refusalOf(err);
      if (!r) throw err;
      tryError = `${view.t("settings.err.invalid")}: ${r.message}`;
    }
    if (c.req.header("hx-request")) return c.html(TryResult({ ctx: view, outcome, error: tryError }) ?? "");
    return page(c, { tryText: text(f, "text"), tryChannel: channel, tryFirst: first, outcome, tryError });
  });

  app.get("/:id{[0-9]+}", (c) => {
    const found = store.get(Number(c.req.param("id")));
    if (!found) throw new PanoError("not_found", "Routing rule not found");
    const rule = ruleView(found);
    const form: RuleForm = { values: { name: rule.name, enabled: rule.enabled, conditions: JSON.stringify(rule.conditions, null, 2), actions: JSON.stringify(rule.actions, null, 2) }, errors: {} };
    return c.html(RuleEditPage({ ctx: c.get("view"), id: rule.id, form }));
  });

  app.post("/:id{[0-9]+}", async (c) => {
    const id = c.req.param("id");
    const f = await readForm(c);
    const b = toBody(c, f);
    if ("form" in b) return c.html(RuleEditPage({ ctx: c.get("view"), id, form: b.form }), 422);
    let saved;
    try {
      const body = parseRuleInput(patchSchema, b.body);
      saved = await store.update(Number(id), body, body.position, actor(c));
    } catch (err) {
      const r = refusalOf(err);
      if (!r) throw err;
      return c.html(RuleEditPage({ ctx: c.get("view"), id, form: refused(c, f, r) }), 422);
    }
    if (!saved) throw new PanoError("not_found", "Routing rule not found");
    return redirectWithNotice(c, "/settings/routing", "saved");
  });

  app.post("/:id{[0-9]+}/toggle", async (c) => {
    const cur = store.get(Number(c.req.param("id")));
    if (!cur) throw new PanoError("not_found", "Routing rule not found");
    await store.update(cur.id, { enabled: !cur.enabled }, undefined, actor(c));
    return redirectWithNotice(c, "/settings/routing", "saved");
  });

  app.post("/:id{[0-9]+}/move", async (c) => {
    const id = Number(c.req.param("id"));
    const ids = store.list().map((r) => r.id);
    const at = ids.indexOf(id);
    if (at < 0) throw new PanoError("not_found", "Routing rule not found");
    const to = text(await readForm(c), "direction") === "up" ? at - 1 : at + 1;
    if (to >= 0 && to < ids.length) {
      [ids[at], ids[to]] = [ids[to], ids[at]];
      await store.reorder(ids, actor(c));
    }
    return redirectWithNotice(c, "/settings/routing", "saved");
  });

  app.post("/:id{[0-9]+}/delete", async (c) => {
    if (!(await store.remove(Number(c.req.param("id")), actor(c)))) throw new PanoError("not_found", "Routing rule not found");
    return redirectWithNotice(c, "/settings/routing", "deleted");
  });

  return app;
}
