// Settings › Categories (admins): the shop's own tags and their examples, the same rules as
// /api/v1/categories; a change is learned before the page comes back, so "try" sees it at once.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import { PanoError } from "../../../domain/errors.ts";
import { listCategories, categoryById, saveCategory, deleteCategory, type CategoryInput } from "../../../store/categories.ts";
import { tagKey } from "../../../domain/triage/custom-categories.ts";
import { categorySchema } from "../api/categories.ts";
import { CategoriesPage, CategoryEditPage, type CategoryForm, type CategoryTrial } from "../../../../views/settings/categories.tsx";
import type { Translate } from "../../../../views/i18n/index.ts";
import { issuesByField, readForm, text, type FieldErrors, type FormValues } from "./settings-form.ts";
import { noticeFrom, redirectWithNotice } from "./settings-notice.ts";

const valuesOf = (f: FormValues) => ({ tag: text(f, "tag"), examples: text(f, "examples"), from_labels: text(f, "from_labels") ? "1" : "0" });

function check(pano: Pano, values: Record<string, string>, t: Translate, exceptId: number | null): { ok: true; input: CategoryInput } | { ok: false; form: CategoryForm } {
  const raw = { tag: values.tag, examples: values.examples.split("\n").map((l) => l.trim()).filter(Boolean), from_labels: values.from_labels === "1" };
  const parsed = categorySchema.safeParse(raw);
  const errors: FieldErrors = parsed.success ? {} : issuesByField(parsed.error, t, raw);
  if (parsed.success) {
    if (!parsed.data.examples.length && !parsed.data.from_labels) errors.examples = t("settings.categories.need_examples");
    else if (listCategories(pano.store.sqlite).some((c) => c.id !== exceptId && tagKey(c.tag) === tagKey(parsed.data.tag))) errors.tag = t("settings.err.duplicate");
    if (!Object.keys(errors).length) return { ok: true, input: { tag: parsed.data.tag, examples: [...new Set(parsed.data.examples)], fromLabels: parsed.data.from_labels } };
  }
  return { ok: false, form: { values, errors, formError: t("settings.fix_errors") } };
}

export function categorySettings(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  const page = (c: Context<PageEnv>, form: CategoryForm, trial: CategoryTrial | null = null, status: 200 | 422 = 200) =>
    c.html(CategoriesPage({ ctx: c.get("view"), categories: listCategories(db), form, trial, notice: status === 200 ? noticeFrom(c) : null }), status);
  const categoryOr404 = (c: Context<PageEnv>) => {
    const cat = categoryById(db, Number(c.req.param("id")));
    if (!cat) throw new PanoError("not_found", "Category not found");
    return cat;
  };

  app.get("/", (c) => page(c, { values: { from_labels: "1" }, errors: {} }));
  app.post("/", async (c) => {
    const r = check(pano, valuesOf(await readForm(c)), c.get("view").t, null);
    if (!r.ok) return page(c, r.form, null, 422);
    await saveCategory(db, pano.writer, r.input, null, c.get("user").id);
    await pano.categories.soon();
    return redirectWithNotice(c, "/settings/categories", "saved");
  });
  app.post("/try", async (c) => {
    const sample = text(await readForm(c), "text").slice(0, 20_000);
    const suggested = new Set(pano.categories.suggest(sample).map((s) => s.tag));
    const scores = pano.categories.scores(sample).map((s) => ({ tag: s.tag, confidence: s.confidence, suggested: suggested.has(s.tag) }));
    return page(c, { values: { from_labels: "1" }, errors: {} }, { text: sample, scores });
  });
  app.get("/:id{[0-9]+}", (c) => {
    const cat = categoryOr404(c);
    return c.html(CategoryEditPage({ ctx: c.get("view"), id: cat.id, form: { values: { tag: cat.tag, examples: cat.examples.join("\n"), from_labels: cat.fromLabels ? "1" : "0" }, errors: {} } }));
  });
  app.post("/:id{[0-9]+}", async (c) => {
    const cur = categoryOr404(c);
    const r = check(pano, valuesOf(await readForm(c)), c.get("view").t, cur.id);
    if (!r.ok) return c.html(CategoryEditPage({ ctx: c.get("view"), id: cur.id, form: r.form }), 422);
    await saveCategory(db, pano.writer, r.input, cur.id, c.get("user").id);
    await pano.categories.soon();
    return redirectWithNotice(c, "/settings/categories", "saved");
  });
  app.post("/:id{[0-9]+}/delete", async (c) => {
    await deleteCategory(pano.writer, categoryOr404(c).id, c.get("user").id);
    await pano.categories.soon();
    return redirectWithNotice(c, "/settings/categories", "deleted");
  });
  return app;
}
