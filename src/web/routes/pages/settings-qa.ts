// Settings > Quality (admins): scorecards (new, edit, archive or use again) and the review queue's
// sampling. The same store calls as /api/v1/qa, so both validate and audit alike.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import { PanoError } from "../../../domain/errors.ts";
import type { Translate } from "../../../../views/i18n/index.ts";
import { listScorecards, scorecardById, saveScorecard, scorecardInputSchema, qaSettings, qaSettingsSchema, saveQaSettings, type Scorecard, type ScorecardInput } from "../../../store/qa-scorecards.ts";
import { QaSettingsPage, ScorecardPage, type CriterionRow, type ScorecardForm } from "../../../../views/settings/qa.tsx";
import { issuesByField, list, readForm, text, type FormValues } from "./settings-form.ts";
import { noticeFrom, redirectWithNotice } from "./settings-notice.ts";
import { MAX_CRITERIA } from "../../../domain/qa.ts";

const checked = (f: FormValues, name: string) => list(f, name).includes("true");

/** The starter scorecard a new one is filled with, in the admin's language. */
function example(t: Translate): ScorecardForm {
  const row = (key: "greeting" | "correct" | "tone" | "resolution" | "policy", weight: number, scale: number, critical = false): CriterionRow => ({
    id: "", name: t(`qa.example.${key}`), guidance: t(`qa.example.${key}_guidance`), weight: String(weight), scale: String(scale), critical,
  });
  return { name: t("qa.example.name"), description: "", errors: {}, criteria: [row("greeting", 1, 5), row("correct", 3, 5), row("tone", 2, 5), row("resolution", 3, 5), row("policy", 2, 1, true)] };
}

const formOf = (s: Scorecard): ScorecardForm => ({
  name: s.name, description: s.description, errors: {},
  criteria: s.criteria.map((c) => ({ id: c.id, name: c.name, guidance: c.guidance, weight: String(c.weight), scale: String(c.scale), critical: c.critical })),
});

/** Form -> a valid scorecard, or the form again with each error beside its field. Rows without a name are dropped. */
function check(f: FormValues, t: Translate, status: Scorecard["status"]): { ok: true; input: ScorecardInput } | { ok: false; form: ScorecardForm } {
  const rows: CriterionRow[] = [];
  for (let i = 0; i < MAX_CRITERIA + 3; i++) {
    if (f[`criteria.${i}.name`] === undefined) break;
    rows.push({ id: text(f, `criteria.${i}.id`), name: text(f, `criteria.${i}.name`), guidance: text(f, `criteria.${i}.guidance`), weight: text(f, `criteria.${i}.weight`), scale: text(f, `criteria.${i}.scale`), critical: checked(f, `criteria.${i}.critical`) });
  }
  const kept = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.name);
  const num = (v: string) => (v === "" ? undefined : Number(v));
  const raw = {
    name: text(f, "name"), description: text(f, "description"), status,
    criteria: kept.map(({ r }) => ({ ...(r.id ? { id: r.id } : {}), name: r.name, guidance: r.guidance, weight: num(r.weight), scale: num(r.scale), critical: r.critical })),
  };
  const parsed = scorecardInputSchema.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors: Record<string, string> = {};
  // Errors name the kept rows' positions; the form shows them on the row the admin typed in.
  for (const [field, message] of Object.entries(issuesByField(parsed.error, t, raw))) {
    const m = /^criteria\.(\d+)\.(\w+)$/.exec(field);
    errors[m ? `criteria.${kept[Number(m[1])]?.i ?? m[1]}.${m[2]}` : field] = field === "criteria" ? t("qa.settings.no_criteria") : message;
  }
  return { ok: false, form: { name: raw.name, description: raw.description, criteria: rows, errors, formError: t("settings.fix_errors") } };
}

export function qaSettingsPages(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  const cardOr404 = (c: Context<PageEnv>) => {
    const s = scorecardById(db, Number(c.req.param("id")));
    if (!s) throw new PanoError("not_found", "Scorecard not found");
    return s;
  };
  const listPage = (c: Context<PageEnv>, samplingError: string | null = null) =>
    c.html(QaSettingsPage({ ctx: c.get("view"), scorecards: listScorecards(db), sampling: qaSettings(db), notice: noticeFrom(c), samplingError }), samplingError ? 422 : 200);

  app.get("/", (c) => listPage(c));
  app.get("/new", (c) => c.html(ScorecardPage({ ctx: c.get("view"), id: null, form: listScorecards(db).length ? { ...example(c.get("view").t), name: "", criteria: [] } : example(c.get("view").t) })));
  app.post("/new", async (c) => {
    const r = check(await readForm(c), c.get("view").t, "active");
    if (!r.ok) return c.html(ScorecardPage({ ctx: c.get("view"), id: null, form: r.form }), 422);
    await saveScorecard(db, pano.writer, r.input, null, c.get("user").id);
    return redirectWithNotice(c, "/settings/qa", "saved");
  });
  app.get("/:id{[0-9]+}", (c) => {
    const s = cardOr404(c);
    return c.html(ScorecardPage({ ctx: c.get("view"), id: s.id, version: s.version, form: formOf(s) }));
  });
  app.post("/:id{[0-9]+}", async (c) => {
    const s = cardOr404(c);
    const r = check(await readForm(c), c.get("view").t, s.status);
    if (!r.ok) return c.html(ScorecardPage({ ctx: c.get("view"), id: s.id, version: s.version, form: r.form }), 422);
    await saveScorecard(db, pano.writer, r.input, s.id, c.get("user").id);
    return redirectWithNotice(c, "/settings/qa", "saved");
  });
  app.post("/:id{[0-9]+}/status", async (c) => {
    const s = cardOr404(c);
    const status = text(await readForm(c), "status") === "archived" ? "archived" : "active";
    await saveScorecard(db, pano.writer, { name: s.name, description: s.description, criteria: s.criteria, status }, s.id, c.get("user").id);
    return redirectWithNotice(c, "/settings/qa", "saved");
  });
  app.post("/sampling", async (c) => {
    const f = await readForm(c);
    const parsed = qaSettingsSchema.safeParse({ per_agent_week: Number(text(f, "per_agent_week") || NaN), complaints: checked(f, "complaints"), low_csat: checked(f, "low_csat") });
    if (!parsed.success) return listPage(c, `${c.get("view").t("qa.settings.per_agent_week")}: ${c.get("view").t("settings.err.number")}`);
    await saveQaSettings(pano.writer, parsed.data, c.get("user").id);
    return redirectWithNotice(c, "/settings/qa", "saved");
  });
  return app;
}
